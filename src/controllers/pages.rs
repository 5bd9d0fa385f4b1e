//! Pages that are not a resource: the 404 for unknown URLs.
use axum::{http::StatusCode, response::IntoResponse};

/// Fallback for every unknown path: an empty 404 that the error-page layer
/// turns into the 404 page in the user's language.
pub async fn not_found() -> impl IntoResponse {
    StatusCode::NOT_FOUND
}
