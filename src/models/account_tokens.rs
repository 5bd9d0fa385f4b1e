//! Single-use, one-hour password-reset tokens. Only a SHA-256 of each token
//! is stored, so a copy of the table cannot be used to reset anyone.
use base64::Engine;
use chrono::{Duration, Utc};
use loco_rs::prelude::*;
use sea_orm::ActiveValue::Set;
use sha2::{Digest, Sha256};

pub use super::_entities::password_resets::{self, ActiveModel, Column, Entity, Model};

/// How long a reset link works.
pub const LIFETIME_MINUTES: i64 = 60;

fn digest(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Model {
    /// Creates a token for `user_id` and returns it (the only time it exists
    /// in clear).
    ///
    /// # Errors
    /// On database errors.
    pub async fn issue(db: &impl ConnectionTrait, user_id: i64) -> ModelResult<String> {
        let bytes: [u8; 32] = rand::random();
        let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        let now = Utc::now().fixed_offset();
        ActiveModel {
            token_hash: Set(digest(&token)),
            expires_at: Set(now + Duration::minutes(LIFETIME_MINUTES)),
            user_id: Set(user_id),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
        Ok(token)
    }

    /// The unused, unexpired reset for `token`, if any.
    ///
    /// # Errors
    /// On database errors.
    pub async fn find_valid(db: &impl ConnectionTrait, token: &str) -> ModelResult<Option<Self>> {
        if token.is_empty() || token.len() > 100 {
            return Ok(None);
        }
        let now = Utc::now().fixed_offset();
        Ok(Entity::find()
            .filter(Column::TokenHash.eq(digest(token)))
            .filter(Column::UsedAt.is_null())
            .filter(Column::ExpiresAt.gt(now))
            .one(db)
            .await?)
    }

    /// Marks the reset used. Returns false when a concurrent request used it
    /// first: the conditional update is what makes the token single-use.
    ///
    /// # Errors
    /// On database errors.
    pub async fn consume(&self, db: &impl ConnectionTrait) -> ModelResult<bool> {
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

impl ActiveModelBehavior for ActiveModel {}
