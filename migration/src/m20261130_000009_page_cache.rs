//! `page_cache_generation`: one row whose number every app process bumps
//! after writes and polls, so each process's anonymous page cache forgets
//! its pages within a second of a write made through any other process.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("page_cache_generation")
                .col(ColumnDef::new("id").integer().not_null().primary_key())
                .col(ColumnDef::new("generation").big_integer().not_null())
                .to_owned(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared("INSERT INTO page_cache_generation (id, generation) VALUES (1, 0)")
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("page_cache_generation").to_owned())
            .await
    }
}
