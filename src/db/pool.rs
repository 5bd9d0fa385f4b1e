//! The connection pool, opened here for both databases rather than by loco.
//!
//! sqlx pings a pooled connection on every checkout by default, and the ORM
//! checks one out for every statement outside a transaction. On SQLite a
//! ping is one more trip to the connection's own thread (a wake-up and a
//! context switch each way) and proves nothing: a file has no server or
//! network to drop the link. On PostgreSQL it is a network round trip and a
//! wake-up of the server process per statement; a connection is only worth
//! testing once it has been idle long enough for a server restart, a proxy
//! or a firewall to have dropped it.
use std::time::Duration;

use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbErr};

/// How long a PostgreSQL connection may sit idle before its next checkout
/// pings it first.
const PING_AFTER_IDLE: Duration = Duration::from_secs(30);

/// The options loco would use for `config`, with at most `max` connections
/// and the checkout ping as above.
#[must_use]
pub fn options(config: &loco_rs::config::Database, max: u32) -> ConnectOptions {
    let mut opt = ConnectOptions::new(&config.uri);
    opt.max_connections(max)
        .min_connections(config.min_connections.min(max))
        .connect_timeout(Duration::from_millis(config.connect_timeout))
        .idle_timeout(Duration::from_millis(config.idle_timeout))
        .sqlx_logging(config.enable_logging);
    if let Some(acquire) = config.acquire_timeout {
        opt.acquire_timeout(Duration::from_millis(acquire));
    }
    if is_sqlite(&config.uri) {
        opt.test_before_acquire(false);
    } else {
        opt.test_before_acquire_if_idle_for(PING_AFTER_IDLE);
    }
    opt
}

fn is_sqlite(uri: &str) -> bool {
    uri.starts_with("sqlite:")
}

/// Opens the pool for `config` (SQLite through `db::sqlite`, which sizes
/// it and sets up each connection), then runs the config's `run_on_start`
/// once, as loco does.
///
/// # Errors
/// When the database cannot be opened or `run_on_start` fails.
pub async fn connect(config: &loco_rs::config::Database) -> Result<DatabaseConnection, DbErr> {
    let db = if is_sqlite(&config.uri) {
        let max = super::sqlite::pool_size(config.max_connections);
        super::sqlite::connect(options(config, max)).await?
    } else {
        Database::connect(options(config, config.max_connections)).await?
    };
    if let Some(sql) = &config.run_on_start {
        // the operator's own config, not user input; it may hold any SQL,
        // so it runs once, as loco runs it (after SQLite's own pragmas)
        db.execute_unprepared(sql).await?;
    }
    Ok(db)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(uri: &str) -> loco_rs::config::Database {
        serde_json::from_value(serde_json::json!({
            "uri": uri,
            "enable_logging": false,
            "connect_timeout": 500,
            "idle_timeout": 500,
            "min_connections": 1,
            "max_connections": 10,
        }))
        .expect("a database config")
    }

    #[test]
    fn a_sqlite_connection_is_never_pinged_and_a_postgres_one_only_after_idling() {
        let sqlite = options(&config("sqlite://x.sqlite?mode=rwc"), 4);
        assert!(!sqlite.get_test_before_acquire());
        assert_eq!(sqlite.get_test_before_acquire_if_idle_for(), None);
        assert_eq!(sqlite.get_max_connections(), Some(4));
        let pg = options(&config("postgres://u@h/db"), 10);
        assert!(!pg.get_test_before_acquire());
        assert_eq!(
            pg.get_test_before_acquire_if_idle_for(),
            Some(PING_AFTER_IDLE)
        );
    }

    #[tokio::test]
    async fn the_configs_run_on_start_runs_once_the_pool_is_open() {
        let path = std::env::temp_dir().join(format!("nc-pool-{}.sqlite", std::process::id()));
        let mut config = config(&format!("sqlite://{}?mode=rwc", path.display()));
        config.run_on_start = Some("CREATE TABLE opened (at INTEGER)".into());
        let db = connect(&config).await.expect("the pool opens");
        let made = db.execute_unprepared("INSERT INTO opened VALUES (1)").await;
        db.close().await.expect("the pool closes");
        for end in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{end}", path.display()));
        }
        made.expect("run_on_start made the table");
    }
}
