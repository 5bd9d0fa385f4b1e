//! `SeaORM` entities, one per table. Written in the shape sea-orm-codegen
//! produces; behaviour belongs in `src/models/<table>.rs`, not here.
pub mod prelude;

pub mod account_tokens;
pub mod answers;
pub mod audit_logs;
pub mod courses;
pub mod flags;
pub mod jobs;
pub mod question_tags;
pub mod questions;
pub mod reputation_daily;
pub mod reputation_events;
pub mod reviews;
pub mod sessions;
pub mod site_counters;
pub mod tags;
pub mod users;
pub mod votes;
