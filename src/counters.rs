//! Site-wide counters (users, questions, answers, solved questions,
//! reviews), kept current by the writes that change them so the home page
//! never counts large tables.
use std::collections::HashMap;

use sea_orm::{ConnectionTrait, DbErr, EntityTrait, Value};

pub use crate::db::entities::site_counters::{self, Entity, Model};
use crate::db::Sql;

pub const USERS: &str = "users";
pub const QUESTIONS: &str = "questions";
pub const ANSWERS: &str = "answers";
pub const SOLVED: &str = "solved";
pub const REVIEWS: &str = "reviews";
/// Changes to questions' search documents (never recounted: only whether
/// it moved matters, to kept search rankings).
pub const SEARCH_EDITS: &str = "search_edits";

/// Adds `delta` to counter `name` (atomically, in the caller's transaction).
///
/// # Errors
/// On database errors.
pub async fn add(db: &impl ConnectionTrait, name: &'static str, delta: i64) -> Result<(), DbErr> {
    if delta == 0 {
        return Ok(());
    }
    Sql::new("UPDATE site_counters SET value = value + ? WHERE name = ?")
        .push_bind("", [Value::from(delta), Value::from(name)])
        .execute(db)
        .await?;
    Ok(())
}

/// Every counter, by name (one query).
///
/// # Errors
/// On database errors.
pub async fn all(db: &impl ConnectionTrait) -> Result<HashMap<String, i64>, DbErr> {
    Ok(Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.name, c.value))
        .collect())
}

/// The value of counter `name` (0 before its row exists).
///
/// # Errors
/// On database errors.
pub async fn value(db: &impl ConnectionTrait, name: &'static str) -> Result<i64, DbErr> {
    Ok(Entity::find_by_id(name)
        .one(db)
        .await?
        .map_or(0, |c| c.value))
}

/// Recomputes every counter from the tables (after bulk loads, and by the
/// `reputation:verify` family of checks).
///
/// # Errors
/// On database errors.
pub async fn recount(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    for (name, sql) in [
        (
            USERS,
            "SELECT COUNT(*) FROM users WHERE deleted_at IS NULL AND email_confirmed_at IS NOT NULL",
        ),
        (QUESTIONS, "SELECT COUNT(*) FROM questions WHERE deleted_at IS NULL"),
        (
            ANSWERS,
            "SELECT COUNT(*) FROM answers a JOIN questions q ON q.id = a.question_id \
             WHERE a.deleted_at IS NULL AND q.deleted_at IS NULL",
        ),
        (
            SOLVED,
            "SELECT COUNT(*) FROM questions WHERE deleted_at IS NULL AND accepted_answer_id IS NOT NULL",
        ),
        (REVIEWS, "SELECT COUNT(*) FROM reviews WHERE deleted_at IS NULL"),
    ] {
        let mut q = Sql::new("UPDATE site_counters SET value = (");
        q.push(sql).push_bind(") WHERE name = ?", [Value::from(name)]);
        q.execute(db).await?;
    }
    Ok(())
}
