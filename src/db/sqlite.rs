//! SQLite connections, each set up alike, with a stable query planner.
//!
//! loco runs its `PRAGMA`s once, on whichever connection the pool hands
//! out; here every connection gets them (a config's own `run_on_start`
//! still runs once, as loco documents it). And each connection turns on the
//! query planner stability guarantee (QPSG): without it SQLite marks a
//! statement whose plan might depend on a bound value (`LIMIT ?`, which
//! every `find().one()` binds) as expired whenever a new value is bound,
//! so every execution parsed and planned the statement again — 7 % of the
//! CPU of a question page under load, measured with perf.
use std::time::Duration;

use sea_orm::{
    sqlx::{self, sqlite::SqliteConnection, Executor},
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbErr,
};

/// loco's own defaults, on every connection.
const PRAGMAS: &str = "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; \
    PRAGMA synchronous = NORMAL; PRAGMA mmap_size = 134217728; \
    PRAGMA journal_size_limit = 67108864; PRAGMA cache_size = 2000; PRAGMA busy_timeout = 5000;";

#[allow(unsafe_code)]
async fn stable_plans(conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    let mut handle = conn.lock_handle().await?;
    let raw = handle.as_raw_handle().as_ptr();
    // SAFETY: `raw` is this connection's open handle, held locked for the
    // call; the option takes an int and an optional out-pointer (null).
    let rc = unsafe {
        libsqlite3_sys::sqlite3_db_config(
            raw,
            libsqlite3_sys::SQLITE_DBCONFIG_ENABLE_QPSG,
            1 as std::ffi::c_int,
            std::ptr::null_mut::<std::ffi::c_int>(),
        )
    };
    if rc == libsqlite3_sys::SQLITE_OK {
        Ok(())
    } else {
        Err(sqlx::Error::Protocol(format!(
            "sqlite3_db_config(QPSG) = {rc}"
        )))
    }
}

/// A pool for `config` whose every connection has the pragmas and QPSG.
///
/// # Errors
/// When the database cannot be opened.
pub async fn connect(config: &loco_rs::config::Database) -> Result<DatabaseConnection, DbErr> {
    let mut opt = ConnectOptions::new(&config.uri);
    opt.max_connections(config.max_connections)
        .min_connections(config.min_connections)
        .connect_timeout(Duration::from_millis(config.connect_timeout))
        .idle_timeout(Duration::from_millis(config.idle_timeout))
        .sqlx_logging(config.enable_logging);
    if let Some(acquire) = config.acquire_timeout {
        opt.acquire_timeout(Duration::from_millis(acquire));
    }
    opt.map_sqlx_sqlite_pool_opts(|pool| {
        pool.after_connect(|conn, _| {
            Box::pin(async move {
                stable_plans(conn).await?;
                conn.execute(sqlx::raw_sql(PRAGMAS)).await?;
                Ok(())
            })
        })
    });
    let db = Database::connect(opt).await?;
    if let Some(sql) = &config.run_on_start {
        // the operator's own config, not user input; it may hold any SQL,
        // so it runs once, as loco runs it, after the built-in pragmas
        db.execute_unprepared(sql).await?;
    }
    Ok(db)
}
