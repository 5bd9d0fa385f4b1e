//! Writing notifications (inside the transaction of the event that causes
//! them) and reading a user's inbox.
use chrono::Utc;
use sea_orm::{prelude::DateTimeWithTimeZone, ConnectionTrait, DbErr, FromQueryResult, Value};
use serde::Serialize;

use super::{jobs, Kind};
use crate::db::{DbResult, Sql};

/// One event, as each of its recipients will see it.
#[derive(Debug, Clone)]
pub struct Note {
    pub kind: Kind,
    /// Who did it (nobody for a community close); never notified.
    pub actor_id: Option<i64>,
    pub question_id: Option<i64>,
    /// Path and anchor of the exact place.
    pub url: String,
    /// The post's title (the question's for answers and comments).
    pub title: String,
    /// What happened when the kind alone does not say: a moderator's
    /// action (`closed`, `locked` …), a flag's outcome.
    pub detail: Option<&'static str>,
    /// The reason a moderator gave.
    pub reason: Option<String>,
    /// Repeats with the same key fold into one unread notification
    /// ("3 new answers"); `None` never folds.
    pub group: Option<String>,
}

impl Note {
    #[must_use]
    pub fn new(kind: Kind, actor_id: Option<i64>, url: String, title: &str) -> Self {
        Self {
            kind,
            actor_id,
            question_id: None,
            url,
            title: title.chars().take(200).collect(),
            detail: None,
            reason: None,
            group: None,
        }
    }

    #[must_use]
    pub const fn question(mut self, id: i64) -> Self {
        self.question_id = Some(id);
        self
    }

    #[must_use]
    pub fn group(mut self, key: String) -> Self {
        self.group = Some(key);
        self
    }

    #[must_use]
    pub const fn detail(mut self, detail: &'static str) -> Self {
        self.detail = Some(detail);
        self
    }

    /// The moderator's reason (empty means none).
    #[must_use]
    pub fn reason(mut self, reason: &str) -> Self {
        let reason = reason.trim();
        self.reason = (!reason.is_empty()).then(|| reason.chars().take(500).collect());
        self
    }

    fn values(&self, now: DateTimeWithTimeZone) -> [Value; 11] {
        [
            Value::from(self.kind.as_str()),
            Value::from(self.group.clone()),
            Value::from(self.actor_id),
            Value::from(self.question_id),
            Value::from(self.url.clone()),
            Value::from(self.title.clone()),
            Value::from(self.detail.map(str::to_string)),
            Value::from(self.reason.clone()),
            Value::from(now),
            Value::from(now),
            Value::from(1i32),
        ]
    }
}

const COLUMNS: &str =
    "INSERT INTO notifications (user_id, kind, group_key, actor_id, question_id, \
                       url, title, detail, reason, created_at, updated_at, count) ";
const FOLD: &str = " ON CONFLICT (user_id, group_key) WHERE read_at IS NULL DO UPDATE SET \
                    count = notifications.count + 1, actor_id = excluded.actor_id, \
                    url = excluded.url, title = excluded.title, detail = excluded.detail, \
                    reason = excluded.reason, \
                    updated_at = excluded.updated_at RETURNING id";

#[derive(Debug, FromQueryResult)]
struct Written {
    id: i64,
}

async fn written(db: &impl ConnectionTrait, q: &Sql) -> DbResult<Vec<i64>> {
    Ok(
        Written::find_by_statement(q.build(db.get_database_backend()))
            .all(db)
            .await?
            .into_iter()
            .map(|w| w.id)
            .collect(),
    )
}

/// Notifies `recipients` of `note` (never its actor; each once), and queues
/// their e-mails. One statement for the rows, one for the mail job.
///
/// # Errors
/// On database errors.
pub async fn notify(db: &impl ConnectionTrait, recipients: &[i64], note: &Note) -> DbResult<()> {
    let mut to: Vec<i64> = recipients
        .iter()
        .copied()
        .filter(|r| Some(*r) != note.actor_id)
        .collect();
    to.sort_unstable();
    to.dedup();
    if to.is_empty() {
        return Ok(());
    }
    let now = Utc::now().fixed_offset();
    let mut q = Sql::new(COLUMNS);
    q.push("VALUES ");
    for (i, user) in to.iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        let mut values = vec![Value::from(*user)];
        values.extend(note.values(now));
        q.push_bind("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values);
    }
    q.push(FOLD);
    let ids = written(db, &q).await?;
    jobs::instant(db, &ids).await
}

/// Notifies every follower of `question_id` but the `except` ones (and the
/// actor) of `note`, in one statement whatever their number.
///
/// # Errors
/// On database errors.
pub async fn notify_followers(
    db: &impl ConnectionTrait,
    question_id: i64,
    except: &[i64],
    note: &Note,
) -> DbResult<()> {
    let now = Utc::now().fixed_offset();
    let mut q = Sql::new(COLUMNS);
    q.push_bind(
        "SELECT f.user_id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM follows f \
         JOIN users u ON u.id = f.user_id AND u.deleted_at IS NULL WHERE f.question_id = ?",
        note.values(now)
            .into_iter()
            .chain([Value::from(question_id)]),
    );
    let mut skip: Vec<Value> = except.iter().map(|id| Value::from(*id)).collect();
    skip.extend(note.actor_id.map(Value::from));
    if !skip.is_empty() {
        q.push(" AND f.user_id NOT IN ").push_in(skip);
    }
    q.push(FOLD);
    let ids = written(db, &q).await?;
    jobs::instant(db, &ids).await
}

/// A notification in the inbox.
#[derive(Debug, Clone, FromQueryResult, Serialize)]
pub struct InboxRow {
    pub id: i64,
    pub kind: String,
    pub count: i32,
    pub url: String,
    pub title: String,
    pub detail: Option<String>,
    pub reason: Option<String>,
    pub actor: Option<String>,
    pub read_at: Option<DateTimeWithTimeZone>,
    pub updated_at: DateTimeWithTimeZone,
}

/// Notifications per inbox page.
pub const PER_PAGE: u64 = 30;
/// Pages of the inbox that can be reached (older ones are purged).
const MAX_PAGES: u64 = 100;

#[derive(Debug, FromQueryResult)]
struct Count {
    n: i64,
}

/// Page `page` of `user_id`'s inbox, newest activity first, and the number
/// of pages. Two queries.
///
/// # Errors
/// On database errors.
pub async fn inbox(
    db: &impl ConnectionTrait,
    user_id: i64,
    page: u64,
) -> DbResult<(Vec<InboxRow>, u64)> {
    let backend = db.get_database_backend();
    let mut count =
        Sql::new("SELECT COUNT(*) AS n FROM (SELECT 1 FROM notifications WHERE user_id = ?");
    count.push_bind(
        " LIMIT ?) capped",
        [
            Value::from(user_id),
            Value::from((PER_PAGE * MAX_PAGES) as i64),
        ],
    );
    let total = Count::find_by_statement(count.build(backend))
        .one(db)
        .await?
        .map_or(0, |c| c.n);
    let pages = (total.max(0) as u64).div_ceil(PER_PAGE).max(1);
    let page = page.clamp(1, pages);
    let mut q = Sql::new(
        "SELECT n.id, n.kind, n.count, n.url, n.title, n.detail, n.reason, u.username AS actor, n.read_at, \
         n.updated_at FROM notifications n LEFT JOIN users u ON u.id = n.actor_id \
         WHERE n.user_id = ? ORDER BY n.updated_at DESC, n.id DESC LIMIT ? OFFSET ?",
    );
    q.push_bind(
        "",
        [
            Value::from(user_id),
            Value::from(PER_PAGE as i64),
            Value::from(((page - 1) * PER_PAGE) as i64),
        ],
    );
    let rows = InboxRow::find_by_statement(q.build(backend))
        .all(db)
        .await?;
    Ok((rows, pages))
}

/// How many notifications of `user_id` are unread.
///
/// # Errors
/// On database errors.
pub async fn unread_count(db: &impl ConnectionTrait, user_id: i64) -> DbResult<i64> {
    let mut q =
        Sql::new("SELECT COUNT(*) AS n FROM notifications WHERE user_id = ? AND read_at IS NULL");
    q.push_bind("", [Value::from(user_id)]);
    Ok(Count::find_by_statement(q.build(db.get_database_backend()))
        .one(db)
        .await?
        .map_or(0, |c| c.n))
}

#[derive(Debug, FromQueryResult)]
struct Target {
    url: String,
}

/// Marks notification `id` of `user_id` read and returns where it points;
/// `None` when it is not theirs.
///
/// # Errors
/// On database errors.
pub async fn open(db: &impl ConnectionTrait, user_id: i64, id: i64) -> DbResult<Option<String>> {
    let now = Utc::now().fixed_offset();
    let mut q = Sql::new(
        "UPDATE notifications SET read_at = COALESCE(read_at, ?) WHERE id = ? AND user_id = ? RETURNING url",
    );
    q.push_bind(
        "",
        [Value::from(now), Value::from(id), Value::from(user_id)],
    );
    Ok(
        Target::find_by_statement(q.build(db.get_database_backend()))
            .one(db)
            .await?
            .map(|t| t.url),
    )
}

/// Marks every notification of `user_id` read. Returns how many were unread.
///
/// # Errors
/// On database errors.
pub async fn read_all(db: &impl ConnectionTrait, user_id: i64) -> Result<u64, DbErr> {
    let now = Utc::now().fixed_offset();
    Sql::new("UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL")
        .push_bind("", [Value::from(now), Value::from(user_id)])
        .execute(db)
        .await
}

/// Deletes read notifications older than `days`.
///
/// # Errors
/// On database errors.
pub async fn purge_read(db: &impl ConnectionTrait, days: i64) -> Result<u64, DbErr> {
    let before = (Utc::now() - chrono::Duration::days(days)).fixed_offset();
    Sql::new("DELETE FROM notifications WHERE read_at IS NOT NULL AND read_at < ?")
        .push_bind("", [Value::from(before)])
        .execute(db)
        .await
}
