//! Following questions: the asker and every answerer follow automatically;
//! anyone signed in can follow or stop following.
use chrono::Utc;
use sea_orm::{prelude::DateTimeWithTimeZone, ConnectionTrait, FromQueryResult, Value};
use serde::Serialize;

use crate::db::{DbResult, Sql};

/// Makes `user_id` follow `question_id` (nothing if they already do).
///
/// # Errors
/// On database errors.
pub async fn follow(db: &impl ConnectionTrait, user_id: i64, question_id: i64) -> DbResult<()> {
    Sql::new(
        "INSERT INTO follows (user_id, question_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
    )
    .push_bind(
        "",
        [
            Value::from(user_id),
            Value::from(question_id),
            Value::from(Utc::now().fixed_offset()),
        ],
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Follows when not following, stops otherwise. Returns whether `user_id`
/// follows afterwards. Two clicks at once end in one of the two states,
/// never an error: the delete and the insert each decide on the row.
///
/// # Errors
/// On database errors.
pub async fn toggle(db: &impl ConnectionTrait, user_id: i64, question_id: i64) -> DbResult<bool> {
    let removed = Sql::new("DELETE FROM follows WHERE user_id = ? AND question_id = ?")
        .push_bind("", [Value::from(user_id), Value::from(question_id)])
        .execute(db)
        .await?;
    if removed > 0 {
        return Ok(false);
    }
    follow(db, user_id, question_id).await?;
    Ok(true)
}

/// A followed question, for the profile's "Following" list.
#[derive(Debug, Clone, FromQueryResult, Serialize)]
pub struct Followed {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub answer_count: i32,
    pub since: DateTimeWithTimeZone,
}

/// The questions `user_id` follows, most recently followed first.
///
/// # Errors
/// On database errors.
pub async fn following(
    db: &impl ConnectionTrait,
    user_id: i64,
    limit: u64,
) -> DbResult<Vec<Followed>> {
    let mut q = Sql::new(
        "SELECT q.id, q.slug, q.title, q.answer_count, f.created_at AS since FROM follows f \
         JOIN questions q ON q.id = f.question_id AND q.deleted_at IS NULL \
         WHERE f.user_id = ? ORDER BY f.created_at DESC, q.id DESC LIMIT ?",
    );
    q.push_bind("", [Value::from(user_id), Value::from(limit as i64)]);
    Followed::find_by_statement(q.build(db.get_database_backend()))
        .all(db)
        .await
}
