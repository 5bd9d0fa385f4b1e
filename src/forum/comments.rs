//! Comments under questions and answers: short, inline markdown only,
//! up-votes without reputation, edits by the owner for five minutes,
//! deletion by the owner or a moderator.
use chrono::{Duration, Utc};
use sea_orm::{
    prelude::DateTimeWithTimeZone, ConnectionTrait, DatabaseConnection, FromQueryResult, Value,
};
use serde::{Deserialize, Serialize};

use super::Error;
use crate::{
    audit::{self, Action, Subject},
    db::{write_txn, DbResult, Sql},
    forms::FieldErrors,
    markdown::{self, Mentions},
    notifications::{self, Kind, Note},
    text::{has_forbidden_chars, normalize_newlines},
    users::{self, Actor},
};

pub const BODY_MIN: usize = 15;
pub const BODY_MAX: usize = 600;
/// How long the owner may edit a comment.
pub const EDIT_WINDOW: Duration = Duration::minutes(5);
/// Comments shown under a post before "show all".
pub const SHOWN: i64 = 5;

/// What a comment hangs under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parent {
    Question(i64),
    Answer(i64),
}

impl Parent {
    #[must_use]
    pub const fn code(self) -> i16 {
        match self {
            Self::Question(_) => 1,
            Self::Answer(_) => 2,
        }
    }

    #[must_use]
    pub const fn id(self) -> i64 {
        match self {
            Self::Question(id) | Self::Answer(id) => id,
        }
    }

    /// The page anchor of the post (`question`, `answer-7`).
    #[must_use]
    pub fn anchor(self) -> String {
        match self {
            Self::Question(_) => "question".to_string(),
            Self::Answer(id) => format!("answer-{id}"),
        }
    }
}

/// The comment form.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CommentParams {
    #[serde(default)]
    pub body: String,
    /// Set by the Preview button: show the rendered comment, save nothing.
    #[serde(default)]
    pub preview: String,
}

impl CommentParams {
    /// The trimmed body, or why it cannot be posted.
    ///
    /// # Errors
    /// The field's problem (length, control characters).
    pub fn validate(&self) -> Result<String, FieldErrors> {
        let body = normalize_newlines(self.body.trim());
        let mut errors = FieldErrors::new();
        let len = body.chars().count();
        if len == 0 {
            errors.add("body", "error-required");
        } else if !(BODY_MIN..=BODY_MAX).contains(&len) {
            errors.add_with(
                "body",
                "error-length",
                vec![("min", BODY_MIN.into()), ("max", BODY_MAX.into())],
            );
        } else if has_forbidden_chars(&body, true) {
            errors.add("body", "error-control-chars");
        }
        if errors.is_empty() {
            Ok(body)
        } else {
            Err(errors)
        }
    }

    /// The comment rendered as it would be saved, when the Preview button
    /// was pressed and the body is acceptable (mentions are linked on save).
    #[must_use]
    pub fn preview_html(&self) -> Option<String> {
        if self.preview.is_empty() {
            return None;
        }
        let body = self.validate().ok()?;
        Some(markdown::render_inline(&body, &markdown::Mentions::none()))
    }
}

/// The post a comment goes under, with its question, as the rules need it.
#[derive(Debug, Clone, FromQueryResult)]
struct Post {
    author_id: i64,
    question_id: i64,
    asker_id: i64,
    title: String,
    slug: String,
    post_deleted: bool,
    question_deleted: bool,
    locked: bool,
}

async fn post(db: &impl ConnectionTrait, parent: Parent) -> DbResult<Option<Post>> {
    let mut q = match parent {
        Parent::Question(_) => Sql::new(
            "SELECT q.user_id AS author_id, q.id AS question_id, q.user_id AS asker_id, q.title, q.slug, \
             (q.deleted_at IS NOT NULL) AS post_deleted, (q.deleted_at IS NOT NULL) AS question_deleted, \
             (q.locked_at IS NOT NULL) AS locked FROM questions q WHERE q.id = ?",
        ),
        Parent::Answer(_) => Sql::new(
            "SELECT a.user_id AS author_id, q.id AS question_id, q.user_id AS asker_id, q.title, q.slug, \
             (a.deleted_at IS NOT NULL) AS post_deleted, (q.deleted_at IS NOT NULL) AS question_deleted, \
             (q.locked_at IS NOT NULL) AS locked FROM answers a JOIN questions q ON q.id = a.question_id \
             WHERE a.id = ?",
        ),
    };
    q.push_bind("", [Value::from(parent.id())]);
    Post::find_by_statement(q.build(db.get_database_backend()))
        .one(db)
        .await
}

/// May `actor` comment under a post by `author_id` on a question asked by
/// `asker_id`? Everywhere with the privilege; always on one's own posts and
/// under answers to one's own question.
///
/// # Errors
/// `Reputation` with the threshold.
pub const fn may_comment(
    actor: &Actor,
    author_id: i64,
    asker_id: i64,
    min: i64,
) -> Result<(), Error> {
    if actor.reputation >= min || author_id == actor.id || asker_id == actor.id {
        return Ok(());
    }
    if matches!(actor.role, users::Role::Moderator | users::Role::Admin) {
        return Ok(());
    }
    Err(Error::Reputation(min))
}

fn comment_url(question_id: i64, slug: &str, comment_id: i64) -> String {
    format!("/questions/{question_id}/{slug}#comment-{comment_id}")
}

/// Renders `body` with its mentions linked; returns the HTML and who was
/// mentioned.
async fn render(db: &impl ConnectionTrait, body: &str) -> DbResult<(String, Mentions)> {
    let names = markdown::inline_mention_candidates(body);
    let mentions = users::Model::mentioned(db, &names).await?;
    Ok((markdown::render_inline(body, &mentions), mentions))
}

#[derive(Debug, FromQueryResult)]
struct NewId {
    id: i64,
}

/// Posts a comment (`body` already validated) and notifies the post's
/// author and the people it mentions, in one transaction. Returns the
/// comment's address.
///
/// # Errors
/// `NotFound` (missing or deleted post), `Locked`, `Reputation`.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    min: i64,
    parent: Parent,
    body: &str,
) -> Result<String, Error> {
    let txn = write_txn(db).await?;
    let post = post(&txn, parent)
        .await?
        .filter(|p| !p.post_deleted && !p.question_deleted)
        .ok_or(Error::NotFound)?;
    if post.locked {
        return Err(Error::Locked);
    }
    may_comment(actor, post.author_id, post.asker_id, min)?;
    let (html, mentions) = render(&txn, body).await?;
    let now = Utc::now().fixed_offset();
    let mut q = Sql::new(
        "INSERT INTO comments (post_kind, post_id, question_id, user_id, body, body_html, score, \
         created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?) RETURNING id",
    );
    q.push_bind(
        "",
        [
            Value::from(parent.code()),
            Value::from(parent.id()),
            Value::from(post.question_id),
            Value::from(actor.id),
            Value::from(body.to_string()),
            Value::from(html),
            Value::from(now),
            Value::from(now),
        ],
    );
    let id = NewId::find_by_statement(q.build(txn.get_database_backend()))
        .one(&txn)
        .await?
        .ok_or_else(|| sea_orm::DbErr::RecordNotInserted)?
        .id;
    let url = comment_url(post.question_id, &post.slug, id);
    let on_post = Note::new(Kind::Comment, Some(actor.id), url.clone(), &post.title)
        .question(post.question_id)
        .group(format!("comment:{}:{}", parent.code(), parent.id()));
    notifications::notify(&txn, &[post.author_id], &on_post).await?;
    let mentioned: Vec<i64> = mentions
        .ids()
        .into_iter()
        .filter(|id| *id != post.author_id)
        .collect();
    let mention = Note::new(Kind::Mention, Some(actor.id), url.clone(), &post.title)
        .question(post.question_id);
    notifications::notify(&txn, &mentioned, &mention).await?;
    txn.commit().await?;
    Ok(url)
}

/// A comment with what the rules about it need.
#[derive(Debug, Clone, FromQueryResult)]
pub struct Found {
    pub id: i64,
    pub user_id: i64,
    pub body: String,
    pub created_at: DateTimeWithTimeZone,
    pub question_id: i64,
    pub slug: String,
    pub title: String,
    pub locked: bool,
}

impl Found {
    /// Its address on the question page.
    #[must_use]
    pub fn url(&self) -> String {
        comment_url(self.question_id, &self.slug, self.id)
    }

    /// The owner edits for five minutes after posting; moderators always.
    #[must_use]
    pub fn can_edit(&self, actor: &Actor) -> bool {
        actor.is_staff()
            || (actor.id == self.user_id
                && !self.locked
                && Utc::now() - self.created_at.to_utc() <= EDIT_WINDOW)
    }

    #[must_use]
    pub fn can_delete(&self, actor: &Actor) -> bool {
        actor.is_staff() || (actor.id == self.user_id && !self.locked)
    }
}

/// A live comment under a live post and question; `lock` takes its row
/// lock (PostgreSQL) for the rest of the transaction.
///
/// # Errors
/// On database errors.
pub async fn find_live(db: &impl ConnectionTrait, id: i64, lock: bool) -> DbResult<Option<Found>> {
    let mut q = Sql::new(
        "SELECT c.id, c.user_id, c.body, c.created_at, q.id AS question_id, q.slug, q.title, \
         (q.locked_at IS NOT NULL) AS locked FROM comments c JOIN questions q ON q.id = c.question_id \
         LEFT JOIN answers a ON c.post_kind = 2 AND a.id = c.post_id \
         WHERE c.id = ? AND c.deleted_at IS NULL AND q.deleted_at IS NULL AND a.deleted_at IS NULL",
    );
    q.push_bind("", [Value::from(id)]);
    // SQLite's immediate transaction already excludes other writers
    if lock && db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        q.push(" FOR UPDATE OF c");
    }
    Found::find_by_statement(q.build(db.get_database_backend()))
        .one(db)
        .await
}

/// Replaces the text of comment `id`. A moderator's edit of someone else's
/// comment is audited.
///
/// # Errors
/// `NotFound`, `Forbidden` (not the owner, or the five minutes are over).
pub async fn edit(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    body: &str,
) -> Result<String, Error> {
    let txn = write_txn(db).await?;
    let found = find_live(&txn, id, true).await?.ok_or(Error::NotFound)?;
    if !found.can_edit(actor) {
        return Err(if actor.id == found.user_id {
            Error::TooLate
        } else {
            Error::Forbidden
        });
    }
    if found.body != body {
        let (html, _) = render(&txn, body).await?;
        let now = Utc::now().fixed_offset();
        Sql::new("UPDATE comments SET body = ?, body_html = ?, edited_at = ?, updated_at = ? WHERE id = ?")
            .push_bind(
                "",
                [
                    Value::from(body.to_string()),
                    Value::from(html),
                    Value::from(now),
                    Value::from(now),
                    Value::from(id),
                ],
            )
            .execute(&txn)
            .await?;
        let entry = audit::Entry::new(actor.id, Action::PostEdit, Subject::Comment, id);
        audit::record_unless_author(&txn, &entry, found.user_id).await?;
    }
    txn.commit().await?;
    Ok(found.url())
}

/// Soft-deletes comment `id` (a moderator's deletion of someone else's
/// comment is audited with `reason`). Returns where it was.
///
/// # Errors
/// `NotFound`, `Forbidden`.
pub async fn delete(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    reason: &str,
) -> Result<String, Error> {
    let txn = write_txn(db).await?;
    let found = find_live(&txn, id, true).await?.ok_or(Error::NotFound)?;
    if !found.can_delete(actor) {
        return Err(Error::Forbidden);
    }
    set_deleted(&txn, id, actor.id, true).await?;
    let entry = audit::Entry::visibility(actor.id, true, Subject::Comment, id).reason(reason);
    audit::record_unless_author(&txn, &entry, found.user_id).await?;
    txn.commit().await?;
    Ok(format!(
        "/questions/{}/{}#comments",
        found.question_id, found.slug
    ))
}

/// Deletes or restores comment `id` inside a transaction (moderation uses
/// it for flags). Returns the author when it changed something.
///
/// # Errors
/// On database errors.
pub async fn set_deleted(
    db: &impl ConnectionTrait,
    id: i64,
    actor_id: i64,
    deleted: bool,
) -> DbResult<Option<i64>> {
    #[derive(FromQueryResult)]
    struct Author {
        user_id: i64,
    }
    let now = Utc::now().fixed_offset();
    let mut q =
        Sql::new("UPDATE comments SET deleted_at = ?, deleted_by = ?, updated_at = ? WHERE id = ?");
    q.push_bind(
        "",
        [
            Value::from(deleted.then_some(now)),
            Value::from(deleted.then_some(actor_id)),
            Value::from(now),
            Value::from(id),
        ],
    );
    q.push(if deleted {
        " AND deleted_at IS NULL RETURNING user_id"
    } else {
        " AND deleted_at IS NOT NULL RETURNING user_id"
    });
    Ok(
        Author::find_by_statement(q.build(db.get_database_backend()))
            .one(db)
            .await?
            .map(|a| a.user_id),
    )
}

/// Up-votes comment `id`, or withdraws the vote. No reputation moves; the
/// score counts the vote rows. Returns (score, voted now).
///
/// # Errors
/// `NotFound`, `Own` (one's own comment), `Locked`.
pub async fn vote(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<(i32, bool), Error> {
    #[derive(FromQueryResult)]
    struct Score {
        score: i32,
    }
    let txn = write_txn(db).await?;
    let found = find_live(&txn, id, true).await?.ok_or(Error::NotFound)?;
    if found.user_id == actor.id {
        return Err(Error::Own);
    }
    if found.locked {
        return Err(Error::Locked);
    }
    let removed = Sql::new("DELETE FROM comment_votes WHERE comment_id = ? AND user_id = ?")
        .push_bind("", [Value::from(id), Value::from(actor.id)])
        .execute(&txn)
        .await?;
    let voted = removed == 0;
    if voted {
        Sql::new("INSERT INTO comment_votes (comment_id, user_id, created_at) VALUES (?, ?, ?)")
            .push_bind(
                "",
                [
                    Value::from(id),
                    Value::from(actor.id),
                    Value::from(Utc::now().fixed_offset()),
                ],
            )
            .execute(&txn)
            .await?;
    }
    let mut q = Sql::new("UPDATE comments SET score = score + ? WHERE id = ? RETURNING score");
    q.push_bind(
        "",
        [Value::from(if voted { 1i32 } else { -1 }), Value::from(id)],
    );
    let score = Score::find_by_statement(q.build(txn.get_database_backend()))
        .one(&txn)
        .await?
        .map_or(0, |s| s.score);
    txn.commit().await?;
    Ok((score, voted))
}

/// A comment as the question page shows it.
#[derive(Debug, Clone, FromQueryResult)]
pub struct CommentRow {
    pub id: i64,
    pub post_kind: i16,
    pub post_id: i64,
    pub body_html: String,
    pub score: i32,
    pub created_at: DateTimeWithTimeZone,
    pub edited_at: Option<DateTimeWithTimeZone>,
    pub user_id: i64,
    pub author_name: String,
    /// The viewer up-voted it.
    pub voted: bool,
    /// How many live comments its post has.
    pub total: i64,
}

/// The live comments of a question page in one query: the first
/// [`SHOWN`] of each post (all of them with `all`), with the viewer's
/// votes.
///
/// # Errors
/// On database errors.
pub async fn for_question(
    db: &impl ConnectionTrait,
    question_id: i64,
    viewer: Option<i64>,
    all: bool,
) -> DbResult<Vec<CommentRow>> {
    let mut q = Sql::new(
        "SELECT id, post_kind, post_id, body_html, score, created_at, edited_at, user_id, author_name, \
         voted, total FROM (SELECT c.id, c.post_kind, c.post_id, c.body_html, c.score, c.created_at, \
         c.edited_at, c.user_id, u.username AS author_name, (cv.user_id IS NOT NULL) AS voted, \
         ROW_NUMBER() OVER (PARTITION BY c.post_kind, c.post_id ORDER BY c.id) AS position, \
         COUNT(*) OVER (PARTITION BY c.post_kind, c.post_id) AS total \
         FROM comments c JOIN users u ON u.id = c.user_id \
         LEFT JOIN comment_votes cv ON cv.comment_id = c.id AND cv.user_id = ? \
         WHERE c.question_id = ? AND c.deleted_at IS NULL) ranked WHERE position <= ? \
         ORDER BY post_kind, post_id, id",
    );
    q.push_bind(
        "",
        [
            Value::from(viewer.unwrap_or(0)),
            Value::from(question_id),
            Value::from(if all { i64::MAX } else { SHOWN }),
        ],
    );
    CommentRow::find_by_statement(q.build(db.get_database_backend()))
        .all(db)
        .await
}
