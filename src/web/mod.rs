//! The HTTP plumbing every page shares: sessions, the current user, CSRF,
//! HTML error pages, security headers, static files and the page context.
//!
//! Order of the layers (outermost first), wired in `middleware.rs`:
//! request id → logger → security headers → static files → query counter →
//! session → current user and language → error pages → CSRF → loco's own
//! (body limit, panic catcher, etag, timeout) → routes.
pub mod auth;
pub mod client_ip;
pub mod csrf;
pub mod errors;
pub mod flash;
pub mod headers;
pub mod middleware;
pub mod page;
pub mod query_count;
pub mod session_store;
pub mod static_files;

pub use auth::{AdminUser, CurrentUser, MaybeUser, StaffUser};
pub use page::Page;
