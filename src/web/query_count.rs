//! Exposes the number of SQL statements a request ran (`db::statements`
//! counts them) as `x-query-count` in development and tests.
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

use crate::db::statements;

pub const HEADER: &str = "x-query-count";

pub async fn layer(State(expose): State<bool>, req: Request, next: Next) -> Response {
    let counter = Arc::new(AtomicU32::new(0));
    let mut res = statements::counted(counter.clone(), next.run(req)).await;
    if expose {
        res.headers_mut()
            .insert(HEADER, HeaderValue::from(counter.load(Ordering::Relaxed)));
    }
    res
}
