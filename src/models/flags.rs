//! Flags: a user with enough reputation reports a post once, with a reason;
//! moderators resolve the queue as helpful (often deleting or locking the
//! post) or declined, and the flagger sees the outcome.
use chrono::Utc;
use loco_rs::prelude::*;
use sea_orm::{prelude::DateTimeWithTimeZone, ActiveValue::Set, FromQueryResult, Value};
use serde::{Deserialize, Serialize};

pub use super::_entities::flags::{self, ActiveModel, Column, Entity, Model};
use super::{audit, is_unique_violation, questions, reviews};
use crate::{
    db::{write_txn, Sql},
    text::has_forbidden_chars,
    votes::{repository::VoteRepository, repository::VoteTx, Kind, Target, Votes},
    web::CurrentUser,
};

pub const REASONS: &[&str] = &["spam", "offensive", "off_topic", "other"];
pub const NOTE_MAX: usize = 500;

/// The flag form.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FlagParams {
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagError {
    NotFound,
    Own,
    NotEnoughReputation(i64),
    Duplicate,
    BadReason,
    NoteNeeded,
    AlreadyResolved,
}

impl FlagError {
    /// The Fluent key of the message.
    #[must_use]
    pub const fn key(self) -> &'static str {
        match self {
            Self::NotFound => "flag-error-not-found",
            Self::Own => "flag-error-own",
            Self::NotEnoughReputation(_) => "flag-error-reputation",
            Self::Duplicate => "flag-error-duplicate",
            Self::BadReason => "flag-error-reason",
            Self::NoteNeeded => "flag-error-note",
            Self::AlreadyResolved => "flag-error-resolved",
        }
    }
}

const fn kind_code(kind: Kind) -> i16 {
    kind.code()
}

/// Flags `target` for `user`. Refuses own posts, missing or deleted ones,
/// users under the reputation threshold (staff excepted) and a second flag
/// of the same post (the unique index decides).
///
/// # Errors
/// Why the flag was refused; database errors as `Err(Error)`.
pub async fn create(
    db: &DatabaseConnection,
    votes: &Votes,
    user: &CurrentUser,
    target: Target,
    params: &FlagParams,
) -> Result<std::result::Result<Model, FlagError>> {
    if !REASONS.contains(&params.reason.as_str()) {
        return Ok(Err(FlagError::BadReason));
    }
    let note = params.note.trim();
    if note.chars().count() > NOTE_MAX || has_forbidden_chars(note, true) {
        return Ok(Err(FlagError::NoteNeeded));
    }
    if params.reason == "other" && note.is_empty() {
        return Ok(Err(FlagError::NoteNeeded));
    }
    let min = votes.rules().flag_min();
    if !user.is_staff() && user.reputation < min {
        return Ok(Err(FlagError::NotEnoughReputation(min)));
    }
    // the vote repository knows how to find a post's author and state
    let mut tx = votes.repo().begin().await?;
    let info = tx.target(target).await?;
    tx.commit().await?;
    let Some(info) = info.filter(|i| i.live) else {
        return Ok(Err(FlagError::NotFound));
    };
    if info.author_id == user.id {
        return Ok(Err(FlagError::Own));
    }
    let now = Utc::now().fixed_offset();
    let inserted = ActiveModel {
        user_id: Set(user.id),
        target_kind: Set(kind_code(target.kind)),
        target_id: Set(target.id),
        reason: Set(params.reason.clone()),
        note: Set((!note.is_empty()).then(|| note.to_string())),
        status: Set("pending".to_string()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await;
    match inserted {
        Ok(flag) => Ok(Ok(flag)),
        Err(err) if is_unique_violation(&err) => Ok(Err(FlagError::Duplicate)),
        Err(err) => Err(err.into()),
    }
}

/// What the moderator does with the flagged post when the flag is helpful.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Followup {
    None,
    Delete,
    Lock,
}

/// Resolves flag `id` (and every other pending flag on the same post) as
/// helpful or declined, optionally deleting or locking the post, in one
/// transaction with its audit row.
///
/// # Errors
/// `AlreadyResolved`/`NotFound`, or database errors.
pub async fn resolve(
    db: &DatabaseConnection,
    votes: &Votes,
    id: i64,
    actor: &CurrentUser,
    helpful: bool,
    followup: Followup,
    note: &str,
) -> Result<std::result::Result<(), FlagError>> {
    let txn = write_txn(db).await?;
    let Some(flag) = Entity::find_by_id(id).one(&txn).await? else {
        return Ok(Err(FlagError::NotFound));
    };
    if flag.status != "pending" {
        return Ok(Err(FlagError::AlreadyResolved));
    }
    let now = Utc::now().fixed_offset();
    let status = if helpful { "helpful" } else { "declined" };
    let note = note.trim();
    Sql::new(
        "UPDATE flags SET status = ?, resolved_by = ?, resolved_at = ?, resolution_note = ?, updated_at = ? \
         WHERE target_kind = ? AND target_id = ? AND status = 'pending'",
    )
    .push_bind(
        "",
        [
            Value::from(status),
            Value::from(actor.id),
            Value::from(now),
            Value::from((!note.is_empty()).then(|| note.to_string())),
            Value::from(now),
            Value::from(flag.target_kind),
            Value::from(flag.target_id),
        ],
    )
    .execute(&txn)
    .await?;
    let kind = Kind::from_code(flag.target_kind).ok_or(Error::NotFound)?;
    let followup = if helpful { followup } else { Followup::None };
    // the follow-up is a moderation action of its own in the log, written
    // only when it changed something (the post may be gone already)
    let id = flag.target_id;
    let (action, author) = match (followup, kind) {
        (Followup::Delete, Kind::Question) => (
            "post.delete",
            questions::set_deleted(&txn, votes, id, actor.id, true).await?,
        ),
        (Followup::Delete, Kind::Answer) => (
            "post.delete",
            super::answers::set_deleted(&txn, votes, id, actor.id, true).await?,
        ),
        (Followup::Delete, Kind::Review) => (
            "post.delete",
            reviews::set_deleted(&txn, votes, id, actor.id, true)
                .await
                .map_err(|e| Error::Message(format!("{e:?}")))?,
        ),
        (Followup::Lock, Kind::Question) => (
            "question.lock",
            questions::set_locked_in(&txn, id, actor.id, true).await?,
        ),
        _ => ("", None),
    };
    if let Some(author) = author {
        let entry = audit::Entry::new(actor.id, action, kind_name(kind), id)
            .user(author)
            .reason(note)
            .details(format!("flag #{}", flag.id));
        audit::record(&txn, &entry).await?;
    }
    let followup_name = match followup {
        Followup::None => "none",
        Followup::Delete => "delete",
        Followup::Lock => "lock",
    };
    let entry = audit::Entry::new(actor.id, "flag.resolve", "flag", flag.id)
        .reason(note)
        .details(format!(
            "{status}; {followup_name}; {} {}",
            kind_name(kind),
            flag.target_id
        ));
    audit::record(&txn, &entry).await?;
    txn.commit().await?;
    Ok(Ok(()))
}

#[must_use]
pub const fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Question => "question",
        Kind::Answer => "answer",
        Kind::Review => "review",
    }
}

/// A flag in the moderation queue, with its post and flagger.
#[derive(Debug, Clone, FromQueryResult)]
pub struct QueueRow {
    pub id: i64,
    pub target_kind: i16,
    pub target_id: i64,
    pub reason: String,
    pub note: Option<String>,
    pub status: String,
    pub created_at: DateTimeWithTimeZone,
    pub flagger: String,
    pub question_id: Option<i64>,
    pub question_slug: Option<String>,
    pub title: Option<String>,
    pub excerpt: Option<String>,
    pub target_deleted: bool,
    pub same_target: i64,
}

pub const PER_PAGE: u64 = 30;

/// The flags in `status`, oldest pending first (newest first otherwise),
/// each with its post and how many flags that post has.
///
/// # Errors
/// On database errors.
pub async fn queue(db: &impl ConnectionTrait, status: &str, page: u64) -> Result<Vec<QueueRow>> {
    let mut q = Sql::new(
        "SELECT f.id, f.target_kind, f.target_id, f.reason, f.note, f.status, f.created_at, u.username AS flagger, \
         COALESCE(q.id, aq.id) AS question_id, COALESCE(q.slug, aq.slug) AS question_slug, \
         COALESCE(q.title, aq.title, r.title) AS title, \
         COALESCE(q.excerpt, substr(a.body, 1, 200), r.excerpt) AS excerpt, \
         (COALESCE(q.deleted_at, a.deleted_at, r.deleted_at) IS NOT NULL) AS target_deleted, \
         (SELECT COUNT(*) FROM flags o WHERE o.target_kind = f.target_kind AND o.target_id = f.target_id) AS same_target \
         FROM flags f JOIN users u ON u.id = f.user_id \
         LEFT JOIN questions q ON f.target_kind = 1 AND q.id = f.target_id \
         LEFT JOIN answers a ON f.target_kind = 2 AND a.id = f.target_id \
         LEFT JOIN questions aq ON aq.id = a.question_id \
         LEFT JOIN reviews r ON f.target_kind = 3 AND r.id = f.target_id WHERE f.status = ?",
    );
    q.push_bind("", [Value::from(status.to_string())]);
    q.push(if status == "pending" {
        " ORDER BY f.id ASC"
    } else {
        " ORDER BY f.id DESC"
    });
    q.push_bind(
        " LIMIT ? OFFSET ?",
        [
            Value::from(PER_PAGE as i64),
            Value::from(((page.clamp(1, 500) - 1) * PER_PAGE) as i64),
        ],
    );
    Ok(
        QueueRow::find_by_statement(q.build(db.get_database_backend()))
            .all(db)
            .await?,
    )
}

/// Number of pending flags.
///
/// # Errors
/// On database errors.
pub async fn pending_count(db: &impl ConnectionTrait) -> Result<u64> {
    Ok(Entity::find()
        .filter(Column::Status.eq("pending"))
        .count(db)
        .await?)
}

/// A user's own flags, newest first, with their outcome.
///
/// # Errors
/// On database errors.
pub async fn by_user(db: &impl ConnectionTrait, user_id: i64, limit: u64) -> Result<Vec<Model>> {
    Ok(Entity::find()
        .filter(Column::UserId.eq(user_id))
        .order_by_desc(Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}

impl ActiveModelBehavior for ActiveModel {}
