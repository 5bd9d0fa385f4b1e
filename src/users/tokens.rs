//! Single-use links mailed to an account's address: password resets (one
//! hour) and e-mail confirmations (48 hours). Only a SHA-256 of each token
//! is stored, so a copy of the table cannot be used to act for anyone.
use base64::Engine;
use chrono::{Duration, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::ActiveValue::Set;
use sha2::{Digest, Sha256};

pub use crate::db::entities::account_tokens::{ActiveModel, Column, Entity, Model};
use crate::db::DbResult;

/// What a link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Reset,
    Confirm,
}

impl Purpose {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Reset => "reset",
            Self::Confirm => "confirm",
        }
    }

    /// How long a link works, in minutes.
    #[must_use]
    pub const fn lifetime_minutes(self) -> i64 {
        match self {
            Self::Reset => 60,
            Self::Confirm => 48 * 60,
        }
    }
}

fn digest(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Model {
    /// Creates a link for `user_id` and returns its token (the only time it
    /// exists in clear).
    ///
    /// # Errors
    /// On database errors.
    pub async fn issue(
        db: &impl ConnectionTrait,
        user_id: i64,
        purpose: Purpose,
    ) -> DbResult<String> {
        let bytes: [u8; 32] = rand::random();
        let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        let now = Utc::now().fixed_offset();
        ActiveModel {
            token_hash: Set(digest(&token)),
            expires_at: Set(now + Duration::minutes(purpose.lifetime_minutes())),
            user_id: Set(user_id),
            purpose: Set(purpose.as_str().to_string()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
        Ok(token)
    }

    /// The unused, unexpired link for `token` and `purpose`, if any.
    ///
    /// # Errors
    /// On database errors.
    pub async fn find_valid(
        db: &impl ConnectionTrait,
        token: &str,
        purpose: Purpose,
    ) -> DbResult<Option<Self>> {
        if token.is_empty() || token.len() > 100 {
            return Ok(None);
        }
        let now = Utc::now().fixed_offset();
        Entity::find()
            .filter(Column::TokenHash.eq(digest(token)))
            .filter(Column::Purpose.eq(purpose.as_str()))
            .filter(Column::UsedAt.is_null())
            .filter(Column::ExpiresAt.gt(now))
            .one(db)
            .await
    }

    /// Marks the link used. Returns false when a concurrent request used it
    /// first: the conditional update is what makes the token single-use.
    ///
    /// # Errors
    /// On database errors.
    pub async fn consume(&self, db: &impl ConnectionTrait) -> DbResult<bool> {
        let now = Utc::now().fixed_offset();
        let res = Entity::update_many()
            .col_expr(Column::UsedAt, Expr::value(now))
            .filter(Column::Id.eq(self.id))
            .filter(Column::UsedAt.is_null())
            .exec(db)
            .await?;
        Ok(res.rows_affected == 1)
    }
}

/// Ends every outstanding link of `purpose` for `user_id`: once a password
/// changes (by a reset, in the settings, or a suspension) no older reset
/// link may set another one.
///
/// # Errors
/// On database errors.
pub async fn revoke_all(
    db: &impl ConnectionTrait,
    user_id: i64,
    purpose: Purpose,
) -> Result<u64, DbErr> {
    let now = Utc::now().fixed_offset();
    Ok(Entity::update_many()
        .col_expr(Column::UsedAt, Expr::value(now))
        .filter(Column::UserId.eq(user_id))
        .filter(Column::Purpose.eq(purpose.as_str()))
        .filter(Column::UsedAt.is_null())
        .exec(db)
        .await?
        .rows_affected)
}
