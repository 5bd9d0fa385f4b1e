//! The HTTP plumbing every page shares: sessions, the current user, CSRF,
//! HTML error pages, security headers, static files and the page context.
//!
//! Order of the layers (outermost first), wired in `middleware.rs`:
//! anonymous page cache (applied in `after_routes`, so a hit skips all the
//! rest) → request id → logger → security headers (and `Secure` cookies) →
//! static files → metrics → query counter → session → language → error pages → input guard
//! → outage guard → current user → CSRF → loco's own (body limit, panic
//! catcher, etag, timeout) → routes.
pub mod auth;
pub mod client_ip;
pub mod csrf;
pub mod error;
pub mod error_pages;
pub mod flash;
pub mod fragments;
pub mod headers;
pub mod ids;
pub mod input;
pub mod metrics;
pub mod middleware;
pub mod outage;
pub mod page;
pub mod page_cache;
pub mod present;
pub mod query_count;
pub mod revisions_page;
pub mod session_store;
pub mod static_files;

pub use auth::{AdminUser, CurrentUser, MaybeUser, Member, StaffUser};
pub use ids::Id;
pub use page::Page;

/// A JSON answer (the progressive-enhancement path of forms).
///
/// # Errors
/// Never; the signature fits handlers.
pub fn json(value: impl serde::Serialize) -> error::Result<axum::response::Response> {
    use axum::response::IntoResponse;
    Ok(axum::Json(value).into_response())
}
