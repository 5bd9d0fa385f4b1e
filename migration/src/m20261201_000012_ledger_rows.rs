//! `users.ledger_rows`: how many reputation ledger rows each user has, kept
//! by the statement that adds to their cached reputation, so the reputation
//! history's pager never counts the ledger (the most active user of the
//! large benchmark set has 3,138 rows; counting them was a quarter of the
//! page).
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
                "ALTER TABLE users ADD COLUMN ledger_rows BIGINT NOT NULL DEFAULT 0",
                "UPDATE users SET ledger_rows = (SELECT COUNT(*) FROM reputation_events e \
                 WHERE e.user_id = users.id)",
            ],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        exec_all(m, &["ALTER TABLE users DROP COLUMN ledger_rows"]).await
    }
}
