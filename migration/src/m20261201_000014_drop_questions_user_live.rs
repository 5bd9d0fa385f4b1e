//! Drops `questions_user_live`: profiles read a user's number of live
//! questions off `users.question_count` now, so the index had no reader
//! left while every question write still kept it. (`answers_user_live`
//! stays: the profile's count of accepted answers reads it.)
use sea_orm_migration::prelude::*;

use crate::sql::exec_all;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        exec_all(m, &["DROP INDEX questions_user_live"]).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        exec_all(
            m,
            &["CREATE INDEX questions_user_live ON questions (user_id) WHERE deleted_at IS NULL"],
        )
        .await
    }
}
