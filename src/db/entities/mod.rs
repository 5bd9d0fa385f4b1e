//! `SeaORM` entities, one per table, in the shape sea-orm-codegen produces
//! (`cargo loco db entities` output, moved here). Behaviour belongs to the
//! feature module that owns the table, not here.
pub mod prelude;

pub mod account_tokens;
pub mod answers;
pub mod audit_logs;
pub mod close_votes;
pub mod comment_votes;
pub mod comments;
pub mod courses;
pub mod flags;
pub mod follows;
pub mod jobs;
pub mod notification_prefs;
pub mod notifications;
pub mod question_tags;
pub mod questions;
pub mod reputation_daily;
pub mod reputation_events;
pub mod reviews;
pub mod revisions;
pub mod sessions;
pub mod site_counters;
pub mod suggested_edits;
pub mod tags;
pub mod users;
pub mod votes;
