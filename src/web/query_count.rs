//! Counts the SQL statements each request runs.
//!
//! sea-orm calls a metric callback for every statement; the callback bumps
//! the counter of the request being served (a task-local set by this
//! layer). The count is exposed as `x-query-count` in development and tests
//! so that tests can assert "a constant number of queries per page".
use std::sync::{
    atomic::{AtomicU32, Ordering},
    Arc,
};

use axum::{
    extract::{Request, State},
    http::HeaderValue,
    middleware::Next,
    response::Response,
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

/// Runs `work` without counting its statements against the request: for
/// housekeeping a request does now and then (a sweep once in 512 hits),
/// which is not the request's own cost and would make the count vary.
pub async fn aside<F: std::future::Future>(work: F) -> F::Output {
    COUNTER.scope(Arc::new(AtomicU32::new(0)), work).await
}

pub const HEADER: &str = "x-query-count";

pub async fn layer(State(expose): State<bool>, req: Request, next: Next) -> Response {
    let counter = Arc::new(AtomicU32::new(0));
    let mut res = COUNTER.scope(counter.clone(), next.run(req)).await;
    if expose {
        res.headers_mut()
            .insert(HEADER, HeaderValue::from(counter.load(Ordering::Relaxed)));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn statements_set_aside_are_not_the_requests() {
        let stmt = sea_orm::Statement::from_string(sea_orm::DbBackend::Sqlite, "SELECT 1");
        let counter = Arc::new(AtomicU32::new(0));
        COUNTER
            .scope(counter.clone(), async {
                record(&stmt);
                aside(async { record(&stmt) }).await;
                record(&stmt);
            })
            .await;
        assert_eq!(counter.load(Ordering::Relaxed), 2);
    }
}
