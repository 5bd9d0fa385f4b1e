//! Counts the SQL statements each request runs.
//!
//! sea-orm calls a metric callback for every statement; the callback bumps
//! the counter of the request being served (a task-local that the web
//! layer `web::query_count` sets), so that tests can assert "a constant
//! number of queries per page".
use std::{
    future::Future,
    sync::{
        atomic::{AtomicU32, Ordering},
        Arc,
    },
};

tokio::task_local! {
    static COUNTER: Arc<AtomicU32>;
}

/// Called from the database metric callback for every statement; logs it
/// at trace level under `nightcoder::sql` (`RUST_LOG=nightcoder::sql=trace`).
pub fn record(statement: &sea_orm::Statement) {
    let _ = COUNTER.try_with(|c| c.fetch_add(1, Ordering::Relaxed));
    tracing::trace!(target: "nightcoder::sql", sql = %statement.sql);
}

/// Runs `work` counting its statements in `counter`.
pub async fn counted<F: Future>(counter: Arc<AtomicU32>, work: F) -> F::Output {
    COUNTER.scope(counter, work).await
}

/// Runs `work` without counting its statements against the request: for
/// housekeeping a request does now and then (a sweep once in 512 hits),
/// which is not the request's own cost and would make the count vary.
pub async fn aside<F: Future>(work: F) -> F::Output {
    counted(Arc::new(AtomicU32::new(0)), work).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn statements_set_aside_are_not_the_requests() {
        let stmt = sea_orm::Statement::from_string(sea_orm::DbBackend::Sqlite, "SELECT 1");
        let counter = Arc::new(AtomicU32::new(0));
        counted(counter.clone(), async {
            record(&stmt);
            aside(async { record(&stmt) }).await;
            record(&stmt);
        })
        .await;
        assert_eq!(counter.load(Ordering::Relaxed), 2);
    }
}
