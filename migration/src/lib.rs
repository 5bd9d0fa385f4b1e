//! Schema migrations. They run unchanged on SQLite and PostgreSQL; where the two
//! differ (full-text search, partial indexes) the migration asks the backend.
#![allow(elided_lifetimes_in_paths)]
#![allow(clippy::wildcard_imports)]
pub use sea_orm_migration::prelude::*;

mod m20261121_000001_users;
mod m20261121_000002_forum;
mod m20261121_000003_votes;
mod m20261121_000004_reviews;
mod m20261121_000005_moderation;
mod m20261129_000006_hardening;
mod m20261130_000007_community;
mod m20261130_000008_curation;
mod m20261130_000009_page_cache;
mod m20261201_000010_profile_counts;
mod m20261201_000011_search_edits;
mod m20261201_000012_ledger_rows;
mod m20261201_000013_user_post_counts;
mod m20261201_000014_drop_questions_user_live;
mod m20261201_000015_ranked_users;
mod sql;

pub use m20261121_000005_moderation::SQLITE_AUDIT_NO_DELETE;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261121_000001_users::Migration),
            Box::new(m20261121_000002_forum::Migration),
            Box::new(m20261121_000003_votes::Migration),
            Box::new(m20261121_000004_reviews::Migration),
            Box::new(m20261121_000005_moderation::Migration),
            Box::new(m20261129_000006_hardening::Migration),
            Box::new(m20261130_000007_community::Migration),
            Box::new(m20261130_000008_curation::Migration),
            Box::new(m20261130_000009_page_cache::Migration),
            Box::new(m20261201_000010_profile_counts::Migration),
            Box::new(m20261201_000011_search_edits::Migration),
            Box::new(m20261201_000012_ledger_rows::Migration),
            Box::new(m20261201_000013_user_post_counts::Migration),
            Box::new(m20261201_000014_drop_questions_user_live::Migration),
            Box::new(m20261201_000015_ranked_users::Migration),
            // inject-above (do not remove this comment)
        ]
    }
}
