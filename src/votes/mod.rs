//! Votes and reputation. The ledger arrives with the votes issue; the forum
//! already calls in here so that both meet in one transaction.
use sea_orm::{DatabaseTransaction, DbErr};

use crate::models::questions;

/// Kinds of vote targets, as stored in `votes.target_kind`.
pub const QUESTION: i16 = 1;
pub const ANSWER: i16 = 2;
pub const REVIEW: i16 = 3;

/// Records the reputation effect of moving a question's accepted mark from
/// `old` to `new` (answer ids).
///
/// # Errors
/// On database errors.
pub async fn acceptance_changed(
    _txn: &DatabaseTransaction,
    _question: &questions::Model,
    _old: Option<i64>,
    _new: Option<i64>,
) -> Result<(), DbErr> {
    Ok(())
}

/// Reverses the reputation a deleted question earned.
///
/// # Errors
/// On database errors.
pub async fn question_deleted(
    _txn: &DatabaseTransaction,
    _question: &questions::Model,
    _actor_id: i64,
) -> Result<(), DbErr> {
    Ok(())
}

/// Reverses the reputation a deleted answer earned.
///
/// # Errors
/// On database errors.
pub async fn answer_deleted(
    _txn: &DatabaseTransaction,
    _answer: &crate::models::answers::Model,
    _actor_id: i64,
) -> Result<(), DbErr> {
    Ok(())
}

/// The viewer's votes on a page's posts: (kind, id) → "up"/"down".
///
/// # Errors
/// On database errors.
pub async fn viewer_votes(
    _db: &impl sea_orm::ConnectionTrait,
    _viewer: Option<i64>,
    _targets: &[(i16, i64)],
) -> Result<std::collections::HashMap<(i16, i64), &'static str>, DbErr> {
    Ok(std::collections::HashMap::new())
}
