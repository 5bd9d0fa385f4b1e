//! Rust presenters: view-models and one render function per page.
pub mod admin;
pub mod auth;
pub mod leaderboard;
pub mod questions;
pub mod reviews;
pub mod shared;
pub mod users;
