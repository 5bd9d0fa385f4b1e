//! Every version of every post: each create, edit, rollback and approved
//! suggestion of a question, answer or review is a numbered revision,
//! written in the same transaction as the change. The forum and the
//! reviews record through here; the history pages read the list and show
//! each revision's difference from the one before (see [`crate::diff`]).
use chrono::Utc;
use sea_orm::{prelude::DateTimeWithTimeZone, ConnectionTrait, FromQueryResult, Value};
use serde::Serialize;

use crate::{
    db::{entities::question_tags, DbResult, Sql},
    diff,
};

/// The post a revision belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Post {
    Question(i64),
    Answer(i64),
    Review(i64),
}

impl Post {
    #[must_use]
    pub const fn code(self) -> i16 {
        match self {
            Self::Question(_) => 1,
            Self::Answer(_) => 2,
            Self::Review(_) => 3,
        }
    }

    #[must_use]
    pub const fn id(self) -> i64 {
        match self {
            Self::Question(id) | Self::Answer(id) | Self::Review(id) => id,
        }
    }

    /// The post's history page.
    #[must_use]
    pub fn history_url(self) -> String {
        match self {
            Self::Question(id) => format!("/questions/{id}/revisions"),
            Self::Answer(id) => format!("/answers/{id}/revisions"),
            Self::Review(id) => format!("/reviews/{id}/revisions"),
        }
    }
}

/// How a revision came to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Create,
    Edit,
    Rollback,
    Suggestion,
}

impl Kind {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Edit => "edit",
            Self::Rollback => "rollback",
            Self::Suggestion => "suggestion",
        }
    }
}

/// Who changes a post and how the revision records it.
#[derive(Debug, Clone, Copy)]
pub struct EditBy<'a> {
    pub editor_id: i64,
    pub summary: Option<&'a str>,
    pub kind: Kind,
    pub rolled_back_to: Option<i32>,
}

impl<'a> EditBy<'a> {
    /// A plain edit with an optional summary.
    #[must_use]
    pub const fn edit(editor_id: i64, summary: Option<&'a str>) -> Self {
        Self {
            editor_id,
            summary,
            kind: Kind::Edit,
            rolled_back_to: None,
        }
    }

    /// A rollback to revision `number`.
    #[must_use]
    pub const fn rollback(editor_id: i64, number: i32) -> Self {
        Self {
            editor_id,
            summary: None,
            kind: Kind::Rollback,
            rolled_back_to: Some(number),
        }
    }

    /// An approved suggestion by `suggester`.
    #[must_use]
    pub const fn suggestion(suggester: i64, summary: Option<&'a str>) -> Self {
        Self {
            editor_id: suggester,
            summary,
            kind: Kind::Suggestion,
            rolled_back_to: None,
        }
    }
}

/// What a revision holds: each kind of post fills its own fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Content {
    pub title: Option<String>,
    pub body: String,
    /// Space-separated, sorted (questions).
    pub tags: Option<String>,
    /// The course as typed and the rating (reviews).
    pub course: Option<String>,
    pub rating: Option<i16>,
}

/// A change to record.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    pub post: Post,
    pub kind: Kind,
    pub user_id: i64,
    pub content: &'a Content,
    pub summary: Option<&'a str>,
    pub rolled_back_to: Option<i32>,
}

#[derive(Debug, FromQueryResult)]
struct Number {
    number: i32,
}

/// Records `change` as the post's next revision; returns its number. The
/// caller holds the post's row lock, and the unique index on the number
/// is the backstop.
///
/// # Errors
/// On database errors.
pub async fn record(db: &impl ConnectionTrait, change: &Change<'_>) -> DbResult<i32> {
    let now = Utc::now().fixed_offset();
    let c = change.content;
    let summary = change
        .summary
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.chars().take(300).collect::<String>());
    let mut q = Sql::new(
        "INSERT INTO revisions (post_kind, post_id, number, kind, title, body, tags, course, rating, \
         summary, rolled_back_to, user_id, created_at, updated_at) \
         SELECT ?, ?, COALESCE(MAX(number), 0) + 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM revisions \
         WHERE post_kind = ? AND post_id = ? RETURNING number",
    );
    q.push_bind(
        "",
        [
            Value::from(change.post.code()),
            Value::from(change.post.id()),
            Value::from(change.kind.as_str()),
            Value::from(c.title.clone()),
            Value::from(c.body.clone()),
            Value::from(c.tags.clone()),
            Value::from(c.course.clone()),
            Value::from(c.rating),
            Value::from(summary),
            Value::from(change.rolled_back_to),
            Value::from(change.user_id),
            Value::from(now),
            Value::from(now),
            Value::from(change.post.code()),
            Value::from(change.post.id()),
        ],
    );
    Ok(
        Number::find_by_statement(q.build(db.get_database_backend()))
            .one(db)
            .await?
            .map_or(0, |n| n.number),
    )
}

/// Gives every post without a revision its current text as revision 1
/// (after bulk loads that write posts directly).
///
/// # Errors
/// On database errors.
pub async fn backfill(db: &impl ConnectionTrait) -> DbResult<()> {
    let tags = question_tags::names_of_q(db.get_database_backend());
    let mut questions = Sql::new(
        "INSERT INTO revisions (post_kind, post_id, number, kind, title, body, tags, user_id, \
         created_at, updated_at) SELECT 1, q.id, 1, 'create', q.title, q.body, ",
    );
    questions.push(tags).push(
        ", q.user_id, q.created_at, q.created_at FROM questions q WHERE NOT EXISTS \
         (SELECT 1 FROM revisions r WHERE r.post_kind = 1 AND r.post_id = q.id)",
    );
    questions.execute(db).await?;
    Sql::new(
        "INSERT INTO revisions (post_kind, post_id, number, kind, body, user_id, created_at, updated_at) \
         SELECT 2, a.id, 1, 'create', a.body, a.user_id, a.created_at, a.created_at FROM answers a \
         WHERE NOT EXISTS (SELECT 1 FROM revisions r WHERE r.post_kind = 2 AND r.post_id = a.id)",
    )
    .execute(db)
    .await?;
    Sql::new(
        "INSERT INTO revisions (post_kind, post_id, number, kind, title, body, course, rating, user_id, \
         created_at, updated_at) SELECT 3, r.id, 1, 'create', r.title, r.body, c.name, r.rating, \
         r.user_id, r.created_at, r.created_at FROM reviews r JOIN courses c ON c.id = r.course_id \
         WHERE NOT EXISTS (SELECT 1 FROM revisions x WHERE x.post_kind = 3 AND x.post_id = r.id)",
    )
    .execute(db)
    .await?;
    Ok(())
}

/// A revision with its author's name.
#[derive(Debug, Clone, FromQueryResult)]
pub struct Revision {
    pub number: i32,
    pub kind: String,
    pub title: Option<String>,
    pub body: String,
    pub tags: Option<String>,
    pub course: Option<String>,
    pub rating: Option<i16>,
    pub summary: Option<String>,
    pub rolled_back_to: Option<i32>,
    pub user_id: i64,
    pub author: String,
    pub created_at: DateTimeWithTimeZone,
}

impl Revision {
    #[must_use]
    pub fn content(&self) -> Content {
        Content {
            title: self.title.clone(),
            body: self.body.clone(),
            tags: self.tags.clone(),
            course: self.course.clone(),
            rating: self.rating,
        }
    }
}

/// Every revision of `post`, oldest first, with their authors (one query).
///
/// # Errors
/// On database errors.
pub async fn list(db: &impl ConnectionTrait, post: Post) -> DbResult<Vec<Revision>> {
    let mut q = Sql::new(
        "SELECT r.number, r.kind, r.title, r.body, r.tags, r.course, r.rating, r.summary, \
         r.rolled_back_to, r.user_id, u.username AS author, r.created_at FROM revisions r \
         JOIN users u ON u.id = r.user_id WHERE r.post_kind = ? AND r.post_id = ? ORDER BY r.number",
    );
    q.push_bind("", [Value::from(post.code()), Value::from(post.id())]);
    Revision::find_by_statement(q.build(db.get_database_backend()))
        .all(db)
        .await
}

/// Revision `number` of `post`.
///
/// # Errors
/// On database errors.
pub async fn get(db: &impl ConnectionTrait, post: Post, number: i32) -> DbResult<Option<Revision>> {
    let mut q = Sql::new(
        "SELECT r.number, r.kind, r.title, r.body, r.tags, r.course, r.rating, r.summary, \
         r.rolled_back_to, r.user_id, u.username AS author, r.created_at FROM revisions r \
         JOIN users u ON u.id = r.user_id WHERE r.post_kind = ? AND r.post_id = ? AND r.number = ?",
    );
    q.push_bind(
        "",
        [
            Value::from(post.code()),
            Value::from(post.id()),
            Value::from(number),
        ],
    );
    Revision::find_by_statement(q.build(db.get_database_backend()))
        .one(db)
        .await
}

/// One revision on the history page: what changed from the one before,
/// as escaped HTML with `<ins>` and `<del>`.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub number: i32,
    pub kind: Kind,
    pub author: String,
    pub ts: i64,
    pub summary: Option<String>,
    pub rolled_back_to: Option<i32>,
    /// The differences as escaped HTML with `<ins>` and `<del>`.
    pub title_html: Option<String>,
    pub tags_html: Option<String>,
    pub meta_html: Option<String>,
    pub body_html: String,
    pub latest: bool,
}

fn kind_of(s: &str) -> Kind {
    match s {
        "edit" => Kind::Edit,
        "rollback" => Kind::Rollback,
        "suggestion" => Kind::Suggestion,
        _ => Kind::Create,
    }
}

/// `new` against `old` as HTML; the first revision (`first`) has nothing
/// to compare with and shows as plain text.
fn field_diff(first: bool, old: Option<&str>, new: Option<&str>) -> Option<String> {
    if old.is_none() && new.is_none() {
        return None;
    }
    let new = new.unwrap_or_default();
    Some(if first {
        crate::text::escape_html(new)
    } else {
        diff::to_html(&diff::diff(old.unwrap_or_default(), new))
    })
}

fn meta(r: &Revision) -> Option<String> {
    match (&r.course, r.rating) {
        (Some(course), Some(rating)) => Some(format!("{course} · {rating}/5")),
        _ => None,
    }
}

/// The history, newest first, each step diffed against the one before it
/// (the first against nothing).
#[must_use]
pub fn history(revisions: &[Revision]) -> Vec<Step> {
    let last = revisions.last().map(|r| r.number);
    let mut steps: Vec<Step> = revisions
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let before = i.checked_sub(1).and_then(|p| revisions.get(p));
            let old = |f: fn(&Revision) -> Option<&str>| before.and_then(f);
            Step {
                number: r.number,
                kind: kind_of(&r.kind),
                author: r.author.clone(),
                ts: r.created_at.timestamp(),
                summary: r.summary.clone(),
                rolled_back_to: r.rolled_back_to,
                title_html: field_diff(i == 0, old(|p| p.title.as_deref()), r.title.as_deref()),
                tags_html: field_diff(i == 0, old(|p| p.tags.as_deref()), r.tags.as_deref()),
                meta_html: field_diff(i == 0, before.and_then(meta).as_deref(), meta(r).as_deref()),
                body_html: field_diff(i == 0, before.map(|p| p.body.as_str()), Some(&r.body))
                    .unwrap_or_default(),
                latest: Some(r.number) == last,
            }
        })
        .collect();
    steps.reverse();
    steps
}
