//! Suggested edits: users below the edit privilege propose a change to
//! someone's question or answer; it waits (one per post) until a user with
//! the review privilege or a moderator approves it (the edit is applied as
//! the suggester's revision and earns them points through the ledger) or
//! rejects it with a reason.
use chrono::Utc;
use sea_orm::{
    prelude::DateTimeWithTimeZone, ConnectionTrait, DatabaseBackend, DatabaseConnection,
    EntityTrait, FromQueryResult, Value,
};
use serde::Serialize;

use super::{
    answers,
    questions::{self, QuestionParams},
    Error,
};
use crate::{
    db::{entities::question_tags, write_txn, DbResult, Sql, Unique},
    markdown,
    notifications::{self, Kind as NoteKind},
    revisions::{Content, EditBy, Post},
    users::Actor,
    votes::{self, Target, Votes},
};

const ONE_PENDING: Unique = Unique {
    name: "suggested_edits_one_pending",
    sqlite: "suggested_edits.post_kind, suggested_edits.post_id",
};

/// Suggestions per queue page.
pub const PER_PAGE: u64 = 20;

/// Proposes `content` for `post` (a question or an answer) on behalf of
/// `actor`, with an optional `summary`.
///
/// # Errors
/// `NotFound`, `Locked`, `Pending` (the post already has a suggestion
/// waiting).
pub async fn suggest(
    db: &DatabaseConnection,
    actor: &Actor,
    post: Post,
    content: &Content,
    summary: &str,
) -> Result<(), Error> {
    let txn = write_txn(db).await?;
    let open = match post {
        Post::Question(id) => questions::Model::lock(&txn, id)
            .await?
            .filter(|q| !q.is_deleted())
            .map(|q| !q.is_locked()),
        Post::Answer(id) => answers::Model::find_live(&txn, id)
            .await?
            .map(|(_, q)| !q.is_locked()),
        Post::Review(_) => None,
    }
    .ok_or(Error::NotFound)?;
    if !open {
        return Err(Error::Locked);
    }
    let now = Utc::now().fixed_offset();
    let summary = summary.trim();
    let inserted = Sql::new(
        "INSERT INTO suggested_edits (post_kind, post_id, title, body, tags, summary, status, user_id, \
         created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)",
    )
    .push_bind(
        "",
        [
            Value::from(post.code()),
            Value::from(post.id()),
            Value::from(content.title.clone()),
            Value::from(content.body.clone()),
            Value::from(content.tags.clone()),
            Value::from((!summary.is_empty()).then(|| summary.to_string())),
            Value::from(actor.id),
            Value::from(now),
            Value::from(now),
        ],
    )
    .execute(&txn)
    .await;
    match inserted {
        Err(err) if ONE_PENDING.violated_by(&err) => Err(Error::Pending),
        Err(err) => Err(err.into()),
        Ok(_) => {
            txn.commit().await?;
            Ok(())
        }
    }
}

/// A suggestion in the queue, with the post as it is now.
#[derive(Debug, Clone, FromQueryResult, Serialize)]
pub struct Pending {
    pub id: i64,
    pub post_kind: i16,
    pub post_id: i64,
    pub title: Option<String>,
    pub body: String,
    pub tags: Option<String>,
    pub summary: Option<String>,
    pub user_id: i64,
    pub suggester: String,
    pub created_at: DateTimeWithTimeZone,
    pub question_id: i64,
    pub question_slug: String,
    pub question_title: String,
    pub current_body: String,
    pub current_tags: Option<String>,
}

#[derive(Debug, FromQueryResult)]
struct Count {
    n: i64,
}

/// Page `page` of the pending suggestions, oldest first, and how many wait.
/// Two queries.
///
/// # Errors
/// On database errors.
pub async fn queue(db: &impl ConnectionTrait, page: u64) -> DbResult<(Vec<Pending>, i64)> {
    let backend = db.get_database_backend();
    let count = Sql::new("SELECT COUNT(*) AS n FROM suggested_edits WHERE status = 'pending'");
    let total = Count::find_by_statement(count.build(backend))
        .one(db)
        .await?
        .map_or(0, |c| c.n);
    let mut q = Sql::new(
        "SELECT s.id, s.post_kind, s.post_id, s.title, s.body, s.tags, s.summary, s.user_id, \
         u.username AS suggester, s.created_at, q.id AS question_id, q.slug AS question_slug, \
         q.title AS question_title, COALESCE(a.body, q.body) AS current_body, ",
    );
    // an answer's suggestion has no tags
    q.push("CASE WHEN s.post_kind = 1 THEN ")
        .push(question_tags::names_of_q(backend))
        .push(" END AS current_tags ");
    q.push_bind(
        "FROM suggested_edits s JOIN users u ON u.id = s.user_id \
         LEFT JOIN answers a ON s.post_kind = 2 AND a.id = s.post_id \
         JOIN questions q ON q.id = CASE WHEN s.post_kind = 1 THEN s.post_id ELSE a.question_id END \
         WHERE s.status = 'pending' ORDER BY s.id LIMIT ? OFFSET ?",
        [
            Value::from(PER_PAGE as i64),
            Value::from(((page.clamp(1, 500) - 1) * PER_PAGE) as i64),
        ],
    );
    let rows = Pending::find_by_statement(q.build(backend)).all(db).await?;
    Ok((rows, total))
}

/// A suggestion as the review needs it.
#[derive(Debug, Clone, FromQueryResult)]
struct Suggestion {
    id: i64,
    post_kind: i16,
    post_id: i64,
    title: Option<String>,
    body: String,
    tags: Option<String>,
    summary: Option<String>,
    status: String,
    user_id: i64,
}

/// What the reviewer decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Reject,
}

impl Decision {
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "approve" => Some(Self::Approve),
            "reject" => Some(Self::Reject),
            _ => None,
        }
    }
}

/// Approves or rejects suggestion `id`. The suggestion's row is locked and
/// must still be pending, so two reviewers deciding at once cannot both
/// act. Approving applies the edit as the suggester's revision, gives them
/// the configured points (within the lifetime cap) and tells them and the
/// author; rejecting needs a `reason`, which the suggester is told.
///
/// # Errors
/// `NotFound`, `Reviewed` (already decided), `Forbidden` (one's own),
/// `ReasonNeeded`, `Locked` (the post was locked meanwhile).
pub async fn review(
    db: &DatabaseConnection,
    votes: &Votes,
    reviewer: &Actor,
    id: i64,
    decision: Decision,
    reason: &str,
) -> Result<(), Error> {
    let reason = reason.trim();
    if decision == Decision::Reject && reason.is_empty() {
        return Err(Error::ReasonNeeded);
    }
    let txn = write_txn(db).await?;
    let mut q = Sql::new(
        "SELECT id, post_kind, post_id, title, body, tags, summary, status, user_id \
         FROM suggested_edits WHERE id = ?",
    );
    q.push_bind("", [Value::from(id)]);
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        q.push(" FOR UPDATE");
    }
    let s = Suggestion::find_by_statement(q.build(txn.get_database_backend()))
        .one(&txn)
        .await?
        .ok_or(Error::NotFound)?;
    if s.status != "pending" {
        return Err(Error::Reviewed);
    }
    if s.user_id == reviewer.id {
        return Err(Error::Forbidden);
    }
    let now = Utc::now().fixed_offset();
    let status = match decision {
        Decision::Approve => "approved",
        Decision::Reject => "rejected",
    };
    Sql::new(
        "UPDATE suggested_edits SET status = ?, reviewer_id = ?, reviewed_at = ?, reason = ?, \
         updated_at = ? WHERE id = ?",
    )
    .push_bind(
        "",
        [
            Value::from(status),
            Value::from(reviewer.id),
            Value::from(now),
            Value::from((!reason.is_empty()).then(|| reason.to_string())),
            Value::from(now),
            Value::from(s.id),
        ],
    )
    .execute(&txn)
    .await?;
    let (question, target, anchor) = match s.post_kind {
        1 => {
            let question = questions::Model::lock(&txn, s.post_id)
                .await?
                .filter(|q| !q.is_deleted())
                .ok_or(Error::NotFound)?;
            (question, Target::question(s.post_id), None)
        }
        _ => {
            let (_, question) = answers::Model::find_live(&txn, s.post_id)
                .await?
                .ok_or(Error::NotFound)?;
            let question = questions::Model::lock(&txn, question.id)
                .await?
                .ok_or(Error::NotFound)?;
            (
                question,
                Target::answer(s.post_id),
                Some(format!("answer-{}", s.post_id)),
            )
        }
    };
    if decision == Decision::Approve {
        if question.is_locked() {
            return Err(Error::Locked);
        }
        let by = EditBy::suggestion(s.user_id, s.summary.as_deref());
        if s.post_kind == 1 {
            let params = QuestionParams {
                title: s.title.clone().unwrap_or_default(),
                body: s.body.clone(),
                tags: s.tags.clone().unwrap_or_default(),
                summary: String::new(),
                check: String::new(),
                preview: String::new(),
            };
            let valid = params.validate().map_err(|_| Error::Forbidden)?;
            questions::apply_edit(&txn, question.clone(), by, valid).await?;
        } else if let Some(answer) = answers::Entity::find_by_id(s.post_id).one(&txn).await? {
            let html = markdown::render(&s.body).map_err(|_| Error::Forbidden)?;
            answers::apply_edit(&txn, answer, by, s.body.clone(), html).await?;
        }
        votes::suggested_edit_approved(votes, &txn, s.user_id, target, reviewer.id).await?;
    }
    let note = question
        .note(NoteKind::Edited, Some(reviewer.id), anchor)
        .detail(status)
        .reason(reason);
    notifications::notify(&txn, &[s.user_id], &note).await?;
    txn.commit().await?;
    Ok(())
}
