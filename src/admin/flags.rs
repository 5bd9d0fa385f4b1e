//! Flags: a user with enough reputation reports a post once, with a reason;
//! moderators resolve the queue as helpful (often deleting or locking the
//! post) or declined, and the flagger sees the outcome.
use chrono::Utc;
use sea_orm::{
    entity::prelude::*, prelude::DateTimeWithTimeZone, ActiveValue::Set, DatabaseTransaction,
    FromQueryResult, QueryOrder, QuerySelect, Value,
};
use serde::{Deserialize, Serialize};

pub use crate::db::entities::flags::{ActiveModel, Column, Entity, Model};
use crate::{
    audit::{self, Action, Subject},
    db::{for_update, write_txn, DbResult, Sql, Unique},
    forum::{answers, comments, questions},
    notifications::{self, Kind as NoteKind, Note},
    reviews,
    text::has_forbidden_chars,
    users::Actor,
    votes::{repository::VoteRepository, repository::VoteTx, Kind, Target, Votes},
};

pub const REASONS: &[&str] = &["spam", "offensive", "off_topic", "other"];
pub const NOTE_MAX: usize = 500;

/// One flag per user and post.
const ONCE: Unique = Unique {
    name: "flags_once",
    sqlite: "flags.user_id, flags.target_kind, flags.target_id",
};

/// Where a flag stands, as stored in `flags.status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Pending,
    Helpful,
    Declined,
}

impl Status {
    pub const ALL: [Self; 3] = [Self::Pending, Self::Helpful, Self::Declined];

    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Helpful => "helpful",
            Self::Declined => "declined",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// What a flag points at: a post (question, answer, review) or a comment,
/// stored as `target_kind` 1–3 (the vote kinds) or 4.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flagged {
    Post(Target),
    Comment(i64),
}

/// `flags.target_kind` of a comment.
pub const COMMENT: i16 = 4;

impl Flagged {
    #[must_use]
    pub const fn code(self) -> i16 {
        match self {
            Self::Post(target) => target.kind.code(),
            Self::Comment(_) => COMMENT,
        }
    }

    #[must_use]
    pub const fn id(self) -> i64 {
        match self {
            Self::Post(target) => target.id,
            Self::Comment(id) => id,
        }
    }

    #[must_use]
    pub fn from_code(code: i16, id: i64) -> Option<Self> {
        if code == COMMENT {
            return Some(Self::Comment(id));
        }
        Kind::from_code(code).map(|kind| Self::Post(Target { kind, id }))
    }

    /// The audit subject of the flagged thing.
    #[must_use]
    pub const fn subject(self) -> Subject {
        match self {
            Self::Post(target) => subject(target.kind),
            Self::Comment(_) => Subject::Comment,
        }
    }

    /// Where it is shown (with its anchor); `None` when it is gone.
    ///
    /// # Errors
    /// On database errors.
    pub async fn url(self, db: &impl ConnectionTrait) -> DbResult<Option<String>> {
        match self {
            Self::Post(target) => crate::votes::post_url(db, target).await,
            Self::Comment(id) => Ok(comments::find_live(db, id, false).await?.map(|c| c.url())),
        }
    }

    /// Its author, if it exists and is live.
    async fn live_author(self, votes: &Votes, db: &impl ConnectionTrait) -> DbResult<Option<i64>> {
        match self {
            Self::Post(target) => {
                // the vote repository knows how to find a post's author and state
                let mut tx = votes.repo().begin().await?;
                let info = tx.target(target).await?;
                tx.commit().await?;
                Ok(info.filter(|i| i.live).map(|i| i.author_id))
            }
            Self::Comment(id) => Ok(comments::find_live(db, id, false).await?.map(|c| c.user_id)),
        }
    }
}

/// The flag form.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FlagParams {
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub note: String,
}

/// Why a flag (or its resolution) was refused.
#[derive(Debug, thiserror::Error)]
pub enum FlagError {
    #[error("no such post or flag")]
    NotFound,
    #[error("own post")]
    Own,
    #[error("needs {0} reputation")]
    NotEnoughReputation(i64),
    #[error("already flagged")]
    Duplicate,
    #[error("unknown reason")]
    BadReason,
    #[error("a note is needed")]
    NoteNeeded,
    #[error("already resolved")]
    AlreadyResolved,
    #[error(transparent)]
    Review(#[from] reviews::ReviewError),
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl FlagError {
    /// The Fluent key of the message (refusals the flagger may see).
    #[must_use]
    pub const fn key(&self) -> &'static str {
        match self {
            Self::NotFound => "flag-error-not-found",
            Self::Own => "flag-error-own",
            Self::NotEnoughReputation(_) => "flag-error-reputation",
            Self::Duplicate => "flag-error-duplicate",
            Self::BadReason => "flag-error-reason",
            Self::NoteNeeded => "flag-error-note",
            Self::AlreadyResolved => "flag-error-resolved",
            Self::Review(_) | Self::Db(_) => "error-500-message",
        }
    }
}

/// Flags `target` for `user`. Refuses own posts, missing or deleted ones,
/// users under the reputation threshold (staff excepted) and a second flag
/// of the same post (the unique index decides).
///
/// # Errors
/// Why the flag was refused, or a database error.
pub async fn create(
    db: &DatabaseConnection,
    votes: &Votes,
    user: &Actor,
    target: Flagged,
    params: &FlagParams,
) -> Result<Model, FlagError> {
    if !REASONS.contains(&params.reason.as_str()) {
        return Err(FlagError::BadReason);
    }
    let note = params.note.trim();
    if note.chars().count() > NOTE_MAX || has_forbidden_chars(note, true) {
        return Err(FlagError::NoteNeeded);
    }
    if params.reason == "other" && note.is_empty() {
        return Err(FlagError::NoteNeeded);
    }
    let min = votes.rules().flag_min();
    if !user.is_staff() && user.reputation < min {
        return Err(FlagError::NotEnoughReputation(min));
    }
    let Some(author_id) = target.live_author(votes, db).await? else {
        return Err(FlagError::NotFound);
    };
    if author_id == user.id {
        return Err(FlagError::Own);
    }
    let now = Utc::now().fixed_offset();
    ActiveModel {
        user_id: Set(user.id),
        target_kind: Set(target.code()),
        target_id: Set(target.id()),
        reason: Set(params.reason.clone()),
        note: Set((!note.is_empty()).then(|| note.to_string())),
        status: Set(Status::Pending.as_str().to_string()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(|err| {
        if ONCE.violated_by(&err) {
            FlagError::Duplicate
        } else {
            err.into()
        }
    })
}

/// What the moderator does with the flagged post when the flag is helpful.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Followup {
    None,
    Delete,
    Lock,
}

impl Followup {
    const fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Delete => "delete",
            Self::Lock => "lock",
        }
    }
}

/// The flag `id`, locked for the rest of `txn` (PostgreSQL; SQLite's
/// immediate transaction already holds the write lock).
async fn lock(txn: &DatabaseTransaction, id: i64) -> DbResult<Option<Model>> {
    let mut q = Sql::new("SELECT * FROM flags WHERE id = ?");
    q.push_bind("", [Value::from(id)]);
    q.push(for_update(txn.get_database_backend()));
    Model::find_by_statement(q.build(txn.get_database_backend()))
        .one(txn)
        .await
}

/// Resolves flag `id` (and every other pending flag on the same post) as
/// helpful or declined, optionally deleting or locking the post, in one
/// transaction with its audit rows. The flag's row is locked first and the
/// update must find it pending, so two moderators resolving at once cannot
/// both act: the second is told it is already resolved.
///
/// # Errors
/// `NotFound`, `AlreadyResolved`, or a database error.
pub async fn resolve(
    db: &DatabaseConnection,
    votes: &Votes,
    id: i64,
    actor: &Actor,
    helpful: bool,
    followup: Followup,
    note: &str,
) -> Result<(), FlagError> {
    let txn = write_txn(db).await?;
    let flag = lock(&txn, id).await?.ok_or(FlagError::NotFound)?;
    if flag.status != Status::Pending.as_str() {
        return Err(FlagError::AlreadyResolved);
    }
    let now = Utc::now().fixed_offset();
    let status = if helpful {
        Status::Helpful
    } else {
        Status::Declined
    };
    let note = note.trim();
    let mut q = Sql::new(
        "UPDATE flags SET status = ?, resolved_by = ?, resolved_at = ?, resolution_note = ?, updated_at = ? \
         WHERE target_kind = ? AND target_id = ? AND status = ? RETURNING user_id",
    );
    q.push_bind(
        "",
        [
            Value::from(status.as_str()),
            Value::from(actor.id),
            Value::from(now),
            Value::from((!note.is_empty()).then(|| note.to_string())),
            Value::from(now),
            Value::from(flag.target_kind),
            Value::from(flag.target_id),
            Value::from(Status::Pending.as_str()),
        ],
    );
    let flaggers: Vec<i64> = Flagger::find_by_statement(q.build(txn.get_database_backend()))
        .all(&txn)
        .await?
        .into_iter()
        .map(|f| f.user_id)
        .collect();
    if flaggers.is_empty() {
        return Err(FlagError::AlreadyResolved);
    }
    let target = Flagged::from_code(flag.target_kind, flag.target_id).ok_or(FlagError::NotFound)?;
    // the flaggers hear the outcome (before a delete hides the post's page)
    let url = target.url(&txn).await?.unwrap_or_default();
    let outcome = Note::new(NoteKind::Flag, Some(actor.id), url, "")
        .detail(status.as_str())
        .reason(note);
    notifications::notify(&txn, &flaggers, &outcome).await?;
    let followup = if helpful { followup } else { Followup::None };
    // the follow-up is a moderation action of its own in the log, written
    // only when it changed something (the post may be gone already)
    let post = flag.target_id;
    let (action, author) = match (followup, target) {
        (
            Followup::Delete,
            Flagged::Post(Target {
                kind: Kind::Question,
                ..
            }),
        ) => (
            Action::PostDelete,
            questions::set_deleted(&txn, votes, post, actor.id, true, note).await?,
        ),
        (
            Followup::Delete,
            Flagged::Post(Target {
                kind: Kind::Answer, ..
            }),
        ) => (
            Action::PostDelete,
            answers::set_deleted(&txn, votes, post, actor.id, true, note).await?,
        ),
        (
            Followup::Delete,
            Flagged::Post(Target {
                kind: Kind::Review, ..
            }),
        ) => (
            Action::PostDelete,
            reviews::set_deleted(&txn, votes, post, actor.id, true, note).await?,
        ),
        (Followup::Delete, Flagged::Comment(id)) => (
            Action::PostDelete,
            comments::set_deleted(&txn, id, actor.id, true).await?,
        ),
        (
            Followup::Lock,
            Flagged::Post(Target {
                kind: Kind::Question,
                ..
            }),
        ) => (
            Action::QuestionLock,
            questions::set_locked_in(&txn, post, actor.id, true, note).await?,
        ),
        _ => (Action::PostEdit, None),
    };
    if let Some(author) = author {
        let entry = audit::Entry::new(actor.id, action, target.subject(), post)
            .user(author)
            .reason(note)
            .details(format!("flag #{}", flag.id));
        audit::record(&txn, &entry).await?;
    }
    let entry = audit::Entry::new(actor.id, Action::FlagResolve, Subject::Flag, flag.id)
        .reason(note)
        .details(format!(
            "{}; {}; {} {}",
            status.as_str(),
            followup.as_str(),
            target.subject().as_str(),
            flag.target_id
        ));
    audit::record(&txn, &entry).await?;
    txn.commit().await?;
    Ok(())
}

#[derive(Debug, FromQueryResult)]
struct Flagger {
    user_id: i64,
}

/// The audit subject of a flagged post.
#[must_use]
pub const fn subject(kind: Kind) -> Subject {
    match kind {
        Kind::Question => Subject::Question,
        Kind::Answer => Subject::Answer,
        Kind::Review => Subject::Review,
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
pub async fn queue(
    db: &impl ConnectionTrait,
    status: Status,
    page: u64,
) -> DbResult<Vec<QueueRow>> {
    let mut q = Sql::new(
        "SELECT f.id, f.target_kind, f.target_id, f.reason, f.note, f.status, f.created_at, u.username AS flagger, \
         COALESCE(q.id, aq.id, cq.id) AS question_id, COALESCE(q.slug, aq.slug, cq.slug) AS question_slug, \
         COALESCE(q.title, aq.title, r.title, cq.title) AS title, \
         COALESCE(q.excerpt, substr(a.body, 1, 200), r.excerpt, substr(c.body, 1, 200)) AS excerpt, \
         (COALESCE(q.deleted_at, a.deleted_at, r.deleted_at, c.deleted_at) IS NOT NULL) AS target_deleted, \
         (SELECT COUNT(*) FROM flags o WHERE o.target_kind = f.target_kind AND o.target_id = f.target_id) AS same_target \
         FROM flags f JOIN users u ON u.id = f.user_id \
         LEFT JOIN questions q ON f.target_kind = 1 AND q.id = f.target_id \
         LEFT JOIN answers a ON f.target_kind = 2 AND a.id = f.target_id \
         LEFT JOIN questions aq ON aq.id = a.question_id \
         LEFT JOIN reviews r ON f.target_kind = 3 AND r.id = f.target_id \
         LEFT JOIN comments c ON f.target_kind = 4 AND c.id = f.target_id \
         LEFT JOIN questions cq ON cq.id = c.question_id WHERE f.status = ?",
    );
    q.push_bind("", [Value::from(status.as_str())]);
    q.push(if status == Status::Pending {
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
    QueueRow::find_by_statement(q.build(db.get_database_backend()))
        .all(db)
        .await
}

/// Number of pending flags.
///
/// # Errors
/// On database errors.
pub async fn pending_count(db: &impl ConnectionTrait) -> DbResult<u64> {
    Entity::find()
        .filter(Column::Status.eq(Status::Pending.as_str()))
        .count(db)
        .await
}

/// One of a user's own flags, with its outcome.
#[derive(Debug, Clone, Serialize)]
pub struct OwnFlag {
    pub id: i64,
    pub kind: i16,
    pub target_id: i64,
    pub reason: String,
    pub status: String,
    pub note: Option<String>,
    pub ts: i64,
}

/// A user's own flags, newest first, with their outcome.
///
/// # Errors
/// On database errors.
pub async fn by_user(
    db: &impl ConnectionTrait,
    user_id: i64,
    limit: u64,
) -> DbResult<Vec<OwnFlag>> {
    Ok(Entity::find()
        .filter(Column::UserId.eq(user_id))
        .order_by_desc(Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(|f| OwnFlag {
            id: f.id,
            kind: f.target_kind,
            target_id: f.target_id,
            reason: f.reason,
            status: f.status,
            note: f.resolution_note,
            ts: f.created_at.timestamp(),
        })
        .collect())
}
