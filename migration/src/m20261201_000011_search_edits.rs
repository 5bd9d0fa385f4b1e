//! The `search_edits` counter: bumped in every transaction that changes a
//! question's search document, so a kept search ranking is known to be
//! current by reading one row (`forum/questions/rankings.rs`).
use sea_orm_migration::prelude::*;

use crate::sql::exec_all;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        exec_all(
            m,
            &["INSERT INTO site_counters (name, value) VALUES ('search_edits', 0)"],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        exec_all(
            m,
            &["DELETE FROM site_counters WHERE name = 'search_edits'"],
        )
        .await
    }
}
