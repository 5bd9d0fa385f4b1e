//! Moderation and administration: flags raised by users, the flag queue,
//! actions on accounts (suspend, roles, reputation adjustments, "log out
//! everywhere") and on posts (lock, delete, restore), and the audit log.
//!
//! Owns the tables `flags` and `audit_logs`, the `/admin` pages (staff
//! only; [`ADMIN_ONLY`] names those for admins alone) and the public POST
//! `/…/{id}/flag`.
//!
//! Offers the other modules: [`audit`] (record an action in the caller's
//! transaction, the audit-log rule for posts), [`flags`] (a user's own
//! flags) and [`moderation`] (`may_moderate`, `lift_expired`).
pub mod audit;
pub mod flags;
mod handlers;
pub mod moderation;
mod views;

pub use handlers::{routes, ADMIN_ONLY};
