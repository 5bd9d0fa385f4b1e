//! Each user's kept numbers of live questions and answers
//! (`users.question_count`, `users.answer_count`): moved by the
//! transactions that add, delete or restore a post, so that a profile reads
//! them off the user's row instead of counting the user's posts.
use sea_orm::{ConnectionTrait, DbErr, Value};

use crate::db::Sql;

/// Adds to user `user_id`'s kept numbers of live questions and answers
/// (in the caller's transaction).
///
/// # Errors
/// On database errors.
pub async fn add(
    db: &impl ConnectionTrait,
    user_id: i64,
    questions: i64,
    answers: i64,
) -> Result<(), DbErr> {
    Sql::new("UPDATE users SET question_count = question_count + ?, answer_count = answer_count + ? WHERE id = ?")
        .push_bind("", [Value::from(questions), Value::from(answers), Value::from(user_id)])
        .execute(db)
        .await?;
    Ok(())
}

/// Recounts every user's numbers from the tables (after bulk loads).
///
/// # Errors
/// On database errors.
pub async fn recount(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    db.execute_unprepared(
        "UPDATE users SET \
         question_count = (SELECT COUNT(*) FROM questions q WHERE q.user_id = users.id AND q.deleted_at IS NULL), \
         answer_count = (SELECT COUNT(*) FROM answers a WHERE a.user_id = users.id AND a.deleted_at IS NULL)",
    )
    .await?;
    Ok(())
}
