//! The audit log's writing side: one append-only row per moderator or
//! admin action, written in the same transaction as the action. Every
//! module that lets staff act (the forum's edits and deletions, reviews,
//! moderation) records through here; the admin module owns the log's page.
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    DbErr,
};

use crate::db::{entities::audit_logs::ActiveModel, write_txn};

/// Every action the log knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    UserSuspend,
    UserUnsuspend,
    UserRole,
    UserReputation,
    UserLogout,
    QuestionLock,
    QuestionUnlock,
    QuestionClose,
    QuestionReopen,
    PostEdit,
    PostDelete,
    PostRestore,
    FlagResolve,
}

impl Action {
    pub const ALL: [Self; 13] = [
        Self::UserSuspend,
        Self::UserUnsuspend,
        Self::UserRole,
        Self::UserReputation,
        Self::UserLogout,
        Self::QuestionLock,
        Self::QuestionUnlock,
        Self::QuestionClose,
        Self::QuestionReopen,
        Self::PostEdit,
        Self::PostDelete,
        Self::PostRestore,
        Self::FlagResolve,
    ];

    /// The name stored in `audit_logs.action`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::UserSuspend => "user.suspend",
            Self::UserUnsuspend => "user.unsuspend",
            Self::UserRole => "user.role",
            Self::UserReputation => "user.reputation",
            Self::UserLogout => "user.logout",
            Self::QuestionLock => "question.lock",
            Self::QuestionUnlock => "question.unlock",
            Self::QuestionClose => "question.close",
            Self::QuestionReopen => "question.reopen",
            Self::PostEdit => "post.edit",
            Self::PostDelete => "post.delete",
            Self::PostRestore => "post.restore",
            Self::FlagResolve => "flag.resolve",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// What an action was done to, as stored in `audit_logs.target_kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    User,
    Question,
    Answer,
    Review,
    Comment,
    Flag,
}

impl Subject {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Question => "question",
            Self::Answer => "answer",
            Self::Review => "review",
            Self::Comment => "comment",
            Self::Flag => "flag",
        }
    }
}

/// One action to record.
#[derive(Debug, Clone)]
pub struct Entry {
    pub actor_id: i64,
    pub action: Action,
    pub subject: Subject,
    pub target_id: i64,
    pub target_user_id: Option<i64>,
    pub reason: Option<String>,
    pub details: Option<String>,
}

impl Entry {
    #[must_use]
    pub const fn new(actor_id: i64, action: Action, subject: Subject, target_id: i64) -> Self {
        Self {
            actor_id,
            action,
            subject,
            target_id,
            target_user_id: None,
            reason: None,
            details: None,
        }
    }

    /// `post.delete` (or `post.restore`) of the post `subject` `target_id`.
    #[must_use]
    pub const fn visibility(
        actor_id: i64,
        deleted: bool,
        subject: Subject,
        target_id: i64,
    ) -> Self {
        let action = if deleted {
            Action::PostDelete
        } else {
            Action::PostRestore
        };
        Self::new(actor_id, action, subject, target_id)
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
        action: Set(entry.action.as_str().to_string()),
        target_kind: Set(entry.subject.as_str().to_string()),
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
