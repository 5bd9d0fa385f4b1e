//! Users: accounts, login and sessions, profiles and avatars, password
//! change and reset, e-mail confirmation, roles.
//!
//! Owns the tables `users`, `sessions` and `account_tokens`, and the pages
//! under `/login`, `/register`, `/password`, `/settings`, `/users/{name}`,
//! `/avatars` and `/lang`.
//!
//! Offers the other modules:
//! * [`Actor`] — who is acting (id, role, reputation), made by the HTTP
//!   layer from the session; [`Role`].
//! * [`Author`] — how a post's author is shown.
//! * the `users` table: [`Model`] with its finders (`find_by_username`,
//!   `find_public`, `top`, …) and [`end_sessions`](Model::end_sessions).
//! * [`sessions`] — the rules of a login's lifetime; [`tokens`] — single-use
//!   mailed links; [`mails`] and [`jobs`] — the account mails and the queue
//!   jobs that send them.
//! * [`post_counts`] — each user's kept numbers of live questions and
//!   answers, moved by the writes that add, delete or restore a post.
pub mod accounts;
mod actor;
pub mod avatars;
mod handlers;
pub mod jobs;
pub mod mails;
pub mod post_counts;
pub mod profile;
pub mod sessions;
pub mod tokens;
mod views;

pub use accounts::{
    login_bucket, normalize_email, normalize_login, valid_username, ActiveModel, Column, Entity,
    Error, Model, RegisterParams, Registered, Role,
};
pub use actor::{Actor, Author};
pub use handlers::routes;
