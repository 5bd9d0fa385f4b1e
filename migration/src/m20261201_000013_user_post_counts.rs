//! `users.question_count` and `users.answer_count`: each user's live
//! questions and answers, kept by the transactions that add, delete or
//! restore them, so a profile never counts them (the most active user of
//! the large benchmark set has 990 questions; counting them, even through
//! the partial indexes, was a fifth of the profile page).
use sea_orm_migration::prelude::*;

use crate::sql::exec_all;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        exec_all(
            m,
            &[
                "ALTER TABLE users ADD COLUMN question_count BIGINT NOT NULL DEFAULT 0",
                "ALTER TABLE users ADD COLUMN answer_count BIGINT NOT NULL DEFAULT 0",
                "UPDATE users SET \
                 question_count = (SELECT COUNT(*) FROM questions q \
                 WHERE q.user_id = users.id AND q.deleted_at IS NULL), \
                 answer_count = (SELECT COUNT(*) FROM answers a \
                 WHERE a.user_id = users.id AND a.deleted_at IS NULL)",
            ],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        exec_all(
            m,
            &[
                "ALTER TABLE users DROP COLUMN question_count",
                "ALTER TABLE users DROP COLUMN answer_count",
            ],
        )
        .await
    }
}
