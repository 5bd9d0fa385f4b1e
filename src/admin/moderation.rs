//! Moderator and admin actions on accounts. Each runs in one transaction
//! with its audit row and its reputation effect.
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, FromQueryResult, QuerySelect, Value};

use crate::{
    audit::{self, Action, Subject},
    db::{write_txn, DbResult, Sql},
    forms::FieldErrors,
    text::has_forbidden_chars,
    users::{self, tokens, Actor, Role},
    votes::{Reason, SqlTx, Votes},
};

/// Longest reason a moderation form accepts, in characters.
pub const REASON_MAX: usize = 500;

/// A reason typed into a moderation form: trimmed, at most `REASON_MAX`
/// characters, no control characters. `None` when it breaks those rules.
#[must_use]
pub fn clean_reason(raw: &str) -> Option<String> {
    let reason = raw.trim();
    (reason.chars().count() <= REASON_MAX && !has_forbidden_chars(reason, true))
        .then(|| reason.to_string())
}

/// A reason the form cannot do without; when it is empty or invalid the
/// message goes to `errors[field]`.
pub fn required_reason(raw: &str, errors: &mut FieldErrors, field: &str) -> Option<String> {
    let reason = clean_reason(raw).filter(|r| !r.is_empty());
    if reason.is_none() {
        errors.add_with(
            field,
            "error-reason-required",
            vec![("max", REASON_MAX.into())],
        );
    }
    reason
}

/// May `actor` act on `target`? Admins on anyone but themselves; moderators
/// only on plain users.
#[must_use]
pub fn may_moderate(actor: &Actor, target: &users::Model) -> bool {
    actor.id != target.id && (actor.is_admin() || (actor.is_staff() && target.role() == Role::User))
}

/// Suspends `user` until `until` with a reason: sessions end at once, login,
/// posting and voting stop, and the reputation their votes gave others is
/// reversed until they are reinstated.
///
/// # Errors
/// On database errors.
pub async fn suspend(
    db: &DatabaseConnection,
    votes: &Votes,
    actor: &Actor,
    user: &users::Model,
    until: DateTime<Utc>,
    reason: &str,
) -> DbResult<()> {
    let txn = write_txn(db).await?;
    Sql::new(
        "UPDATE users SET suspended_until = ?, suspension_reason = ?, updated_at = ? WHERE id = ?",
    )
    .push_bind(
        "",
        [
            Value::from(until.fixed_offset()),
            Value::from(reason.to_string()),
            Value::from(Utc::now().fixed_offset()),
            Value::from(user.id),
        ],
    )
    .execute(&txn)
    .await?;
    users::Model::end_sessions(&txn, user.id).await?;
    // a reset link mailed before the suspension must not open a new login
    tokens::revoke_all(&txn, user.id, tokens::Purpose::Reset).await?;
    crate::votes::voter_status_changed(
        votes,
        &txn,
        user.id,
        Reason::VoterSuspended,
        Some(actor.id),
    )
    .await?;
    let entry = audit::Entry::new(actor.id, Action::UserSuspend, Subject::User, user.id)
        .user(user.id)
        .reason(reason)
        .details(format!("→ {}", until.format("%Y-%m-%d %H:%M UTC")));
    audit::record(&txn, &entry).await?;
    txn.commit().await?;
    Ok(())
}

/// Lifts a suspension; the user's votes count again.
///
/// # Errors
/// On database errors.
pub async fn unsuspend(
    db: &DatabaseConnection,
    votes: &Votes,
    actor: &Actor,
    user: &users::Model,
    reason: &str,
) -> DbResult<()> {
    let txn = write_txn(db).await?;
    Sql::new("UPDATE users SET suspended_until = NULL, suspension_reason = NULL, updated_at = ? WHERE id = ?")
        .push_bind("", [Value::from(Utc::now().fixed_offset()), Value::from(user.id)])
        .execute(&txn)
        .await?;
    crate::votes::voter_status_changed(votes, &txn, user.id, Reason::VoterRestored, Some(actor.id))
        .await?;
    audit::record(
        &txn,
        &audit::Entry::new(actor.id, Action::UserUnsuspend, Subject::User, user.id)
            .user(user.id)
            .reason(reason),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Reinstates every user whose suspension has run out: clears it and lets
/// their votes pay again. Runs at login (for that user), hourly in the
/// server and from `sessions:purge`; a user re-suspended meanwhile is left
/// alone (the update re-checks the date).
///
/// # Errors
/// On database errors.
pub async fn lift_expired(
    db: &DatabaseConnection,
    votes: &Votes,
    only: Option<i64>,
    now: DateTime<Utc>,
) -> DbResult<u64> {
    let mut query = users::Entity::find()
        .select_only()
        .column(users::Column::Id)
        .filter(users::Column::SuspendedUntil.lte(now.fixed_offset()));
    if let Some(id) = only {
        query = query.filter(users::Column::Id.eq(id));
    }
    let ids: Vec<i64> = query.into_tuple().all(db).await?;
    let mut lifted = 0;
    for id in ids {
        let txn = write_txn(db).await?;
        let changed = Sql::new("UPDATE users SET suspended_until = NULL, suspension_reason = NULL WHERE id = ? AND suspended_until <= ?")
            .push_bind("", [Value::from(id), Value::from(now.fixed_offset())])
            .execute(&txn)
            .await?;
        if changed == 1 {
            crate::votes::voter_status_changed(votes, &txn, id, Reason::VoterRestored, None)
                .await?;
            lifted += 1;
        }
        txn.commit().await?;
    }
    Ok(lifted)
}

/// Changes `user`'s role (admins only).
///
/// # Errors
/// On database errors.
pub async fn set_role(
    db: &DatabaseConnection,
    actor: &Actor,
    user: &users::Model,
    role: Role,
    reason: &str,
) -> DbResult<()> {
    let txn = write_txn(db).await?;
    let mut active: users::ActiveModel = user.clone().into();
    active.role = Set(role.as_str().to_string());
    active.updated_at = Set(Utc::now().fixed_offset());
    active.update(&txn).await?;
    let entry = audit::Entry::new(actor.id, Action::UserRole, Subject::User, user.id)
        .user(user.id)
        .reason(reason)
        .details(format!("{} → {}", user.role, role.as_str()));
    audit::record(&txn, &entry).await?;
    txn.commit().await?;
    Ok(())
}

/// Ends every session of `user` ("log out everywhere").
///
/// # Errors
/// On database errors.
pub async fn logout_everywhere(
    db: &DatabaseConnection,
    actor: &Actor,
    user: &users::Model,
    reason: &str,
) -> DbResult<()> {
    let txn = write_txn(db).await?;
    users::Model::end_sessions(&txn, user.id).await?;
    audit::record(
        &txn,
        &audit::Entry::new(actor.id, Action::UserLogout, Subject::User, user.id)
            .user(user.id)
            .reason(reason),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Adds `delta` to `user`'s reputation as a ledger row with the reason
/// (admins only).
///
/// # Errors
/// On database errors.
pub async fn adjust_reputation(
    db: &DatabaseConnection,
    votes: &Votes,
    actor: &Actor,
    user: &users::Model,
    delta: i64,
    reason: &str,
    day: NaiveDate,
) -> DbResult<()> {
    let txn = write_txn(db).await?;
    let mut tx = SqlTx::borrowed(&txn);
    votes
        .adjust(&mut tx, user.id, delta, reason, actor.id, day)
        .await?;
    let entry = audit::Entry::new(actor.id, Action::UserReputation, Subject::User, user.id)
        .user(user.id)
        .reason(reason)
        .details(format!("{delta:+}"));
    audit::record(&txn, &entry).await?;
    txn.commit().await?;
    Ok(())
}

/// A deleted post, for the list moderators restore from.
#[derive(Debug, serde::Serialize)]
pub struct DeletedPost {
    pub kind: String,
    pub id: i64,
    pub title: String,
    pub url: String,
    pub author: String,
    pub deleted_ts: i64,
}

#[derive(Debug, FromQueryResult)]
struct DeletedRow {
    kind: String,
    id: i64,
    title: String,
    question_id: i64,
    question_slug: String,
    author: String,
    deleted_at: sea_orm::prelude::DateTimeWithTimeZone,
}

/// The most recently deleted questions, answers and reviews.
///
/// # Errors
/// On database errors.
pub async fn recently_deleted(db: &impl ConnectionTrait, limit: u64) -> DbResult<Vec<DeletedPost>> {
    let mut q = Sql::new(
        "SELECT * FROM (SELECT 'question' AS kind, q.id, q.title, q.id AS question_id, q.slug AS question_slug, \
         u.username AS author, q.deleted_at FROM questions q JOIN users u ON u.id = q.user_id WHERE q.deleted_at IS NOT NULL \
         UNION ALL SELECT 'answer' AS kind, a.id, q.title, q.id AS question_id, q.slug AS question_slug, \
         u.username AS author, a.deleted_at FROM answers a JOIN questions q ON q.id = a.question_id \
         JOIN users u ON u.id = a.user_id WHERE a.deleted_at IS NOT NULL \
         UNION ALL SELECT 'review' AS kind, r.id, r.title, 0 AS question_id, '' AS question_slug, \
         u.username AS author, r.deleted_at FROM reviews r JOIN users u ON u.id = r.user_id WHERE r.deleted_at IS NOT NULL) d \
         ORDER BY deleted_at DESC LIMIT ?",
    );
    q.push_bind("", [Value::from(i64::try_from(limit).unwrap_or(50))]);
    Ok(
        DeletedRow::find_by_statement(q.build(db.get_database_backend()))
            .all(db)
            .await?
            .into_iter()
            .map(|r| DeletedPost {
                url: match r.kind.as_str() {
                    "question" => format!("/questions/{}/{}", r.question_id, r.question_slug),
                    "answer" => format!(
                        "/questions/{}/{}#answer-{}",
                        r.question_id, r.question_slug, r.id
                    ),
                    _ => format!("/reviews/{}", r.id),
                },
                deleted_ts: r.deleted_at.timestamp(),
                kind: r.kind,
                id: r.id,
                title: r.title,
                author: r.author,
            })
            .collect(),
    )
}
