//! Sessions: what a login remembers and how long it lasts. This is the one
//! place that decides whether a session still counts; the tower-sessions
//! store (`web::session_store`) only moves rows.
//!
//! A session counts while the user's `session_version` still matches the
//! one stored at login (bumped to end every session at once), the user is
//! neither suspended nor deleted, the login is younger than the absolute
//! lifetime, and the row itself has not expired from idleness.
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter};
use serde::{Deserialize, Serialize};

use super::accounts::Model;
use crate::db::entities::sessions;

/// Session data key that holds the login.
pub const LOGIN_KEY: &str = "auth";
/// How often (seconds) an active session's idle expiry is pushed forward:
/// the store writes only modified sessions, so touching once an hour keeps
/// an active user logged in without a write per page.
const TOUCH_EVERY: i64 = 3_600;

/// What the session remembers about a login.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Login {
    pub uid: i64,
    /// The user's `session_version` at login.
    pub sv: i32,
    /// Login time (unix seconds), for the absolute lifetime.
    pub at: i64,
    /// Last time the idle expiry was pushed forward (unix seconds).
    pub seen: i64,
}

impl Login {
    /// A new login of `user` at `now`.
    #[must_use]
    pub fn new(user: &Model, now: DateTime<Utc>) -> Self {
        Self {
            uid: user.id,
            sv: user.session_version,
            at: now.timestamp(),
            seen: now.timestamp(),
        }
    }

    /// Whether this login still holds for `user` (see the module doc).
    #[must_use]
    pub fn holds(&self, user: &Model, now: DateTime<Utc>, absolute_days: i64) -> bool {
        let fresh = now.timestamp() - self.at < absolute_days * 86_400;
        user.id == self.uid && user.can_log_in(now) && user.session_version == self.sv && fresh
    }

    /// The login with its idle expiry pushed forward, when it is time.
    #[must_use]
    pub fn touched(&self, now: DateTime<Utc>) -> Option<Self> {
        (now.timestamp() - self.seen > TOUCH_EVERY).then(|| Self {
            seen: now.timestamp(),
            ..self.clone()
        })
    }
}

/// Deletes every session of `user_id` except `keep` (the caller's own).
///
/// # Errors
/// On database errors.
pub async fn delete_for_user(
    db: &impl ConnectionTrait,
    user_id: i64,
    keep: Option<&str>,
) -> Result<u64, DbErr> {
    let mut q = sessions::Entity::delete_many().filter(sessions::Column::UserId.eq(user_id));
    if let Some(keep) = keep {
        q = q.filter(sessions::Column::Id.ne(keep));
    }
    Ok(q.exec(db).await?.rows_affected)
}

/// Deletes the rows of sessions that expired from idleness.
///
/// # Errors
/// On database errors.
pub async fn delete_expired(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    Ok(sessions::Entity::delete_many()
        .filter(sessions::Column::ExpiryDate.lte(Utc::now().timestamp()))
        .exec(db)
        .await?
        .rows_affected)
}

/// How many unexpired sessions `user_id` has.
///
/// # Errors
/// On database errors.
pub async fn live(db: &impl ConnectionTrait, user_id: i64) -> Result<u64, DbErr> {
    sessions::Entity::find()
        .filter(sessions::Column::UserId.eq(user_id))
        .filter(sessions::Column::ExpiryDate.gt(Utc::now().timestamp()))
        .count(db)
        .await
}
