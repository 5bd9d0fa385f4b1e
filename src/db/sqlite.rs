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
//!
//! A writer that finds the write lock taken waits until another connection
//! of this process commits (a WAL hook wakes it), or 1 ms at most (a
//! commit of another process, a rollback), instead of SQLite's default
//! sleeps of 1…100 ms: a waiter asleep for 100 ms while the lock was free
//! most of that time put vote POSTs' p99 at 306 ms, and retrying on a
//! timer cost 15 % of the CPU in `BEGIN IMMEDIATE`.
use std::{
    cell::Cell,
    ffi::{c_char, c_int, c_void},
    sync::{Condvar, Mutex},
    time::{Duration, Instant},
};

use sea_orm::{
    sqlx::{self, sqlite::SqliteConnection, Executor},
    ConnectOptions, Database, DatabaseConnection, DbErr,
};

/// loco's own defaults, on every connection, but for memory: no mapping
/// of the database file, and 2 MiB of page cache per connection.
/// (`busy_timeout` is [`BUSY_LIMIT`], through [`busy`].)
///
/// loco maps up to 128 MiB of the file on each connection and caches 2,000
/// pages (8 MiB) on each. Resident memory counts a mapped page once per
/// mapping, and on the large benchmark set the app ended the page
/// benchmark at 126 MiB (59 MiB of it mapped file). Reads through the
/// kernel's own page cache instead made no page slower there (the hot
/// lists read index entries only) and it ended at 87 MiB.
const PRAGMAS: &str = "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; \
    PRAGMA synchronous = NORMAL; PRAGMA mmap_size = 0; \
    PRAGMA journal_size_limit = 67108864; PRAGMA cache_size = -2048;";

/// How long a writer waits for the lock before `SQLITE_BUSY` (answered
/// 503 by the outage mapping), as loco's `busy_timeout = 5000`.
const BUSY_LIMIT: Duration = Duration::from_secs(5);

/// The longest wait between two tries: another process's commit or a
/// rollback wakes nobody here.
const BUSY_STEP: Duration = Duration::from_millis(1);

/// SQLite's own threshold for checkpointing the WAL after a commit; the
/// WAL hook below replaces the one that did it.
const CHECKPOINT_PAGES: c_int = 1000;

/// Commits so far in this process, and the waiters for the next one.
static COMMITS: (Mutex<u64>, Condvar) = (Mutex::new(0), Condvar::new());

thread_local! {
    /// When this connection's current wait began (each sqlx connection has
    /// its own worker thread, so this is per connection).
    static WAITING_SINCE: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// SQLite's busy handler: non-zero means "try again". It runs on the
/// connection's own worker thread, so blocking here holds up no task.
extern "C" fn busy(_: *mut c_void, count: c_int) -> c_int {
    let now = Instant::now();
    let since = WAITING_SINCE.with(|cell| {
        if count == 0 || cell.get().is_none() {
            cell.set(Some(now));
        }
        cell.get().unwrap_or(now)
    });
    if now.duration_since(since) >= BUSY_LIMIT {
        WAITING_SINCE.with(|cell| cell.set(None));
        return 0;
    }
    let (lock, wake) = &COMMITS;
    let Ok(seen) = lock.lock() else { return 1 };
    let before = *seen;
    // a poisoned lock only means a panic elsewhere: try again either way
    let _ = wake.wait_timeout_while(seen, BUSY_STEP, |n| *n == before);
    1
}

/// SQLite's WAL hook, called after a commit has released the write lock:
/// wakes one waiting writer, and checkpoints as the default hook did.
extern "C" fn committed(
    _: *mut c_void,
    db: *mut libsqlite3_sys::sqlite3,
    name: *const c_char,
    pages: c_int,
) -> c_int {
    if pages >= CHECKPOINT_PAGES {
        // SAFETY: SQLite hands the hook its own open handle and the name of
        // the database just committed; a passive checkpoint is what the
        // default hook runs here.
        #[allow(unsafe_code)]
        unsafe {
            libsqlite3_sys::sqlite3_wal_checkpoint(db, name);
        }
    }
    let (lock, wake) = &COMMITS;
    if let Ok(mut n) = lock.lock() {
        *n = n.wrapping_add(1);
    }
    wake.notify_one();
    libsqlite3_sys::SQLITE_OK
}

#[allow(unsafe_code)]
async fn stable_plans_and_short_waits(conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    let mut handle = conn.lock_handle().await?;
    let raw = handle.as_raw_handle().as_ptr();
    // SAFETY: `raw` is this connection's open handle, held locked for these
    // calls; the option takes an int and an optional out-pointer (null);
    // the handler is a plain function that ignores its (null) argument.
    let (qpsg, handler) = unsafe {
        (
            libsqlite3_sys::sqlite3_db_config(
                raw,
                libsqlite3_sys::SQLITE_DBCONFIG_ENABLE_QPSG,
                1 as c_int,
                std::ptr::null_mut::<c_int>(),
            ),
            libsqlite3_sys::sqlite3_busy_handler(raw, Some(busy), std::ptr::null_mut()),
        )
    };
    // SAFETY: as above; the hook is a plain function, its argument null.
    unsafe {
        libsqlite3_sys::sqlite3_wal_hook(raw, Some(committed), std::ptr::null_mut());
    }
    if qpsg == libsqlite3_sys::SQLITE_OK && handler == libsqlite3_sys::SQLITE_OK {
        Ok(())
    } else {
        Err(sqlx::Error::Protocol(format!(
            "sqlite3_db_config(QPSG) = {qpsg}, sqlite3_busy_handler = {handler}"
        )))
    }
}

/// How many connections a SQLite pool opens at most on a machine with
/// `cpus` cores: two per core, at least four.
///
/// A SQLite statement runs on its connection's own thread and its work is
/// CPU, so connections beyond the cores add threads to switch between and
/// one more mapping of the database each (resident memory counts a mapped
/// page once per mapping), but no throughput: on 2 cores, 4 connections
/// instead of 10 served the signed-in question page at the same or a lower
/// CPU cost per view and votes at the same rate, and the whole page
/// benchmark ended at 78 MiB resident instead of 93–99 MiB.
/// Four leave readers a connection while a writer waits for the lock and a
/// slow search runs. PostgreSQL keeps the configured size: its queries wait
/// on the network and another process, not on this one's cores.
#[must_use]
pub fn pool_limit(configured: u32, cpus: usize) -> u32 {
    let per_cpu = u32::try_from(cpus.saturating_mul(2)).unwrap_or(u32::MAX);
    configured.min(per_cpu.max(4)).max(1)
}

/// The pool size for a configured one on this machine (see [`pool_limit`]),
/// logged when it is lower.
#[must_use]
pub fn pool_size(configured: u32) -> u32 {
    let cpus = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let max = pool_limit(configured, cpus);
    if max < configured {
        tracing::info!(
            configured,
            max,
            cpus,
            "SQLite pool limited to two connections per core"
        );
    }
    max
}

/// Opens a pool with `opt` whose every connection has the pragmas and QPSG
/// (`db::pool::connect` sizes it and runs the config's `run_on_start`).
///
/// # Errors
/// When the database cannot be opened.
pub async fn connect(mut opt: ConnectOptions) -> Result<DatabaseConnection, DbErr> {
    opt.map_sqlx_sqlite_pool_opts(|pool| {
        pool.after_connect(|conn, _| {
            Box::pin(async move {
                conn.execute(sqlx::raw_sql(PRAGMAS)).await?;
                stable_plans_and_short_waits(conn).await?;
                Ok(())
            })
        })
    });
    Database::connect(opt).await
}

#[cfg(test)]
mod tests {
    use super::pool_limit;

    #[test]
    fn a_sqlite_pool_opens_two_connections_per_core_and_at_least_four() {
        assert_eq!(pool_limit(10, 2), 4);
        assert_eq!(pool_limit(10, 1), 4);
        assert_eq!(pool_limit(10, 3), 6);
        assert_eq!(pool_limit(10, 16), 10, "never more than configured");
        assert_eq!(pool_limit(2, 2), 2, "a smaller configured pool stays");
        assert_eq!(pool_limit(0, 2), 1, "a pool has a connection");
    }
}
