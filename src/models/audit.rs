//! The moderators' audit log: one append-only row per moderator or admin
//! action, written in the same transaction as the action.
use chrono::Utc;
use sea_orm::{
    prelude::DateTimeWithTimeZone, ActiveModelTrait, ActiveValue::Set, ConnectionTrait,
    DatabaseConnection, DatabaseTransaction, DbErr, FromQueryResult, Value,
};

pub use super::_entities::audit_logs::{self, ActiveModel, Column, Entity, Model};
use crate::db::{write_txn, Sql};

/// Every action the log knows, with its stored name.
pub const ACTIONS: &[&str] = &[
    "user.suspend",
    "user.unsuspend",
    "user.role",
    "user.reputation",
    "user.logout",
    "question.lock",
    "question.unlock",
    "post.edit",
    "post.delete",
    "post.restore",
    "flag.resolve",
];

/// One action to record.
#[derive(Debug, Clone)]
pub struct Entry {
    pub actor_id: i64,
    pub action: &'static str,
    /// user | question | answer | review | flag
    pub target_kind: &'static str,
    pub target_id: i64,
    pub target_user_id: Option<i64>,
    pub reason: Option<String>,
    pub details: Option<String>,
}

impl Entry {
    #[must_use]
    pub fn new(
        actor_id: i64,
        action: &'static str,
        target_kind: &'static str,
        target_id: i64,
    ) -> Self {
        debug_assert!(ACTIONS.contains(&action), "unknown audit action {action}");
        Self {
            actor_id,
            action,
            target_kind,
            target_id,
            target_user_id: None,
            reason: None,
            details: None,
        }
    }

    /// `post.delete` (or `post.restore`) of the post `target_kind` `target_id`.
    #[must_use]
    pub fn visibility(
        actor_id: i64,
        deleted: bool,
        target_kind: &'static str,
        target_id: i64,
    ) -> Self {
        let action = if deleted {
            "post.delete"
        } else {
            "post.restore"
        };
        Self::new(actor_id, action, target_kind, target_id)
    }

    #[must_use]
    pub const fn user(mut self, user_id: i64) -> Self {
        self.target_user_id = Some(user_id);
        self
    }

    #[must_use]
    pub fn reason(mut self, reason: &str) -> Self {
        let reason = reason.trim();
        self.reason = (!reason.is_empty()).then(|| reason.to_string());
        self
    }

    #[must_use]
    pub fn details(mut self, details: impl Into<String>) -> Self {
        self.details = Some(details.into());
        self
    }
}

/// Appends `entry`.
///
/// # Errors
/// On database errors.
pub async fn record(db: &impl ConnectionTrait, entry: &Entry) -> Result<(), DbErr> {
    let now = Utc::now().fixed_offset();
    ActiveModel {
        actor_id: Set(entry.actor_id),
        action: Set(entry.action.to_string()),
        target_kind: Set(entry.target_kind.to_string()),
        target_id: Set(entry.target_id),
        target_user_id: Set(entry.target_user_id),
        reason: Set(entry.reason.clone()),
        details: Set(entry.details.clone()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Records `entry` on a post by `author_id` unless the actor is the author:
/// what authors do to their own posts (edits, deletions) is not moderation.
///
/// # Errors
/// On database errors.
pub async fn record_unless_author(
    db: &impl ConnectionTrait,
    entry: &Entry,
    author_id: i64,
) -> Result<(), DbErr> {
    if entry.actor_id == author_id {
        return Ok(());
    }
    record(db, &entry.clone().user(author_id)).await
}

/// Soft-deletes or restores a post in its own write transaction. `change`
/// does the work inside it and returns the post's author when something
/// changed; a moderator's change is then audited as `entry`. Returns whether
/// anything changed.
///
/// # Errors
/// `change`'s errors and database errors; nothing is committed then.
pub async fn post_visibility<E: From<DbErr>>(
    db: &DatabaseConnection,
    entry: &Entry,
    change: impl AsyncFnOnce(&DatabaseTransaction) -> Result<Option<i64>, E>,
) -> Result<bool, E> {
    let txn = write_txn(db).await?;
    let author = change(&txn).await?;
    if let Some(author) = author {
        record_unless_author(&txn, entry, author).await?;
    }
    txn.commit().await?;
    Ok(author.is_some())
}

#[derive(Debug, Clone, FromQueryResult)]
pub struct AuditRow {
    pub id: i64,
    pub action: String,
    pub target_kind: String,
    pub target_id: i64,
    pub reason: Option<String>,
    pub details: Option<String>,
    pub created_at: DateTimeWithTimeZone,
    pub actor_name: String,
    pub target_user_name: Option<String>,
}

pub const PER_PAGE: u64 = 50;

#[derive(FromQueryResult)]
struct Count {
    n: i64,
}

/// A page of the log, newest first, filtered by action and actor.
///
/// # Errors
/// On database errors.
pub async fn list(
    db: &impl ConnectionTrait,
    action: Option<&str>,
    actor_id: Option<i64>,
    page: u64,
) -> Result<(Vec<AuditRow>, u64, u64), DbErr> {
    let backend = db.get_database_backend();
    let filter = |q: &mut Sql| {
        if let Some(action) = action {
            q.push_bind(" AND l.action = ?", [Value::from(action.to_string())]);
        }
        if let Some(actor) = actor_id {
            q.push_bind(" AND l.actor_id = ?", [Value::from(actor)]);
        }
    };
    let mut count = Sql::new("SELECT COUNT(*) AS n FROM (SELECT 1 FROM audit_logs l WHERE 1 = 1");
    filter(&mut count);
    count.push_bind(" LIMIT ?) c", [Value::from((PER_PAGE * 500) as i64)]);
    let total = Count::find_by_statement(count.build(backend))
        .one(db)
        .await?
        .map_or(0, |c| c.n);
    let pages = u64::try_from(total)
        .unwrap_or(0)
        .div_ceil(PER_PAGE)
        .clamp(1, 500);
    let page = page.clamp(1, pages);
    let mut q = Sql::new(
        "SELECT l.id, l.action, l.target_kind, l.target_id, l.reason, l.details, l.created_at, \
         a.username AS actor_name, t.username AS target_user_name FROM audit_logs l \
         JOIN users a ON a.id = l.actor_id LEFT JOIN users t ON t.id = l.target_user_id WHERE 1 = 1",
    );
    filter(&mut q);
    q.push_bind(
        " ORDER BY l.id DESC LIMIT ? OFFSET ?",
        [
            Value::from(PER_PAGE as i64),
            Value::from(((page - 1) * PER_PAGE) as i64),
        ],
    );
    Ok((
        AuditRow::find_by_statement(q.build(backend))
            .all(db)
            .await?,
        page,
        pages,
    ))
}

impl sea_orm::ActiveModelBehavior for ActiveModel {}
