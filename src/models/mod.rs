//! Active-record models: the behaviour of each table lives next to it.
pub mod _entities;
pub mod account_tokens;
pub mod answers;
pub mod audit;
pub mod counters;
pub mod courses;
pub mod flags;
pub mod moderation;

pub mod questions;
pub mod reviews;
pub mod sessions;
pub mod tags;
pub mod users;
pub mod votes;

/// True when `err` is a unique-constraint violation (both databases).
#[must_use]
pub fn is_unique_violation(err: &sea_orm::DbErr) -> bool {
    matches!(
        err.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}
