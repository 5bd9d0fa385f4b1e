//! Answering quickly while the database is unreachable.
//!
//! When a request fails because the database cannot be reached, the
//! handler answers 503 (see [`super::error`]) and marks its response with
//! [`Outage`]. This layer sees the mark and, for a short while, answers
//! every other request with 503 at once instead of letting each one wait
//! for the pool's acquire timeout; after that the next request tries the
//! database again, so the app recovers by itself. Health checks pass
//! through: `/_readiness` must keep asking the database.
use std::sync::{
    atomic::{AtomicI64, Ordering},
    Arc,
};

use axum::{
    extract::{Request, State},
    http::{header, HeaderValue, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

use super::error::OUTAGE_RETRY_SECS;

/// How long requests are answered without trying the database after an
/// outage was seen, in milliseconds.
const HOLD_MS: i64 = 1_000;

/// Marks a response that failed because the database could not serve it.
#[derive(Debug, Clone, Copy)]
pub struct Outage {
    /// The database is unreachable (not merely busy): answer everything
    /// with 503 for a moment.
    pub hold: bool,
}

/// Until when (unix milliseconds) this process answers 503 directly.
#[derive(Debug, Default, Clone)]
pub struct OutageState(Arc<AtomicI64>);

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

impl OutageState {
    fn hold(&self) {
        self.0.store(now_ms() + HOLD_MS, Ordering::Relaxed);
    }

    fn holding(&self) -> bool {
        self.0.load(Ordering::Relaxed) > now_ms()
    }
}

/// The 503 answered while holding (the error-page layer renders it).
#[must_use]
pub fn unavailable() -> Response {
    let mut res = StatusCode::SERVICE_UNAVAILABLE.into_response();
    res.headers_mut().insert(
        header::RETRY_AFTER,
        HeaderValue::from_str(&OUTAGE_RETRY_SECS.to_string())
            .unwrap_or(HeaderValue::from_static("5")),
    );
    res.extensions_mut().insert(Outage { hold: false });
    res
}

/// Layer: short-circuits while an outage is fresh, and notices new ones.
pub async fn guard(State(state): State<OutageState>, req: Request, next: Next) -> Response {
    if req.uri().path().starts_with("/_") {
        return next.run(req).await;
    }
    if state.holding() {
        return unavailable();
    }
    let res = next.run(req).await;
    if res.extensions().get::<Outage>().is_some_and(|o| o.hold) {
        state.hold();
    }
    res
}
