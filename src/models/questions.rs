//! Questions: validation, create, edit, soft delete, lookups.
//! Listing and search live in `questions/listing.rs`.
use chrono::Utc;
use loco_rs::prelude::*;
use sea_orm::{ActiveValue::Set, DatabaseTransaction, FromQueryResult};
use serde::{Deserialize, Serialize};

pub use super::_entities::questions::{self, ActiveModel, Column, Entity, Model};
use super::{counters, tags};
use crate::{
    forms::FieldErrors,
    i18n::{Arg, Lang},
    markdown::{self, MarkdownError},
    search,
    text::{excerpt, has_forbidden_chars, normalize_newlines, slugify},
    web::CurrentUser,
};

mod listing;
pub use listing::{list, ListFilter, ListPage, QuestionRow, Sort, PER_PAGE};

pub const TITLE_MIN: usize = 10;
pub const TITLE_MAX: usize = 150;
pub const BODY_MIN: usize = 20;
pub const BODY_MAX: usize = 30_000;

/// The ask/edit form as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionParams {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub tags: String,
}

/// A checked question, ready to store.
#[derive(Debug, Clone)]
pub struct ValidQuestion {
    pub title: String,
    pub body: String,
    pub body_html: String,
    pub excerpt: String,
    pub tags: Vec<String>,
}

/// Checks a markdown body (shared by questions, answers and reviews) and
/// renders it; errors go to `field`.
pub fn check_body(lang: Lang, field: &str, body: &str, errors: &mut FieldErrors) -> Option<String> {
    let len = body.trim().chars().count();
    if len == 0 {
        errors.add(lang, field, "error-required");
        return None;
    }
    if len < BODY_MIN || body.chars().count() > BODY_MAX {
        errors.add_args(
            lang,
            field,
            "error-length",
            &[
                ("min", Arg::Num(BODY_MIN as i64)),
                ("max", Arg::Num(BODY_MAX as i64)),
            ],
        );
        return None;
    }
    if has_forbidden_chars(body, true) {
        errors.add(lang, field, "error-control-chars");
        return None;
    }
    match markdown::render(body) {
        Ok(html) => Some(html),
        Err(MarkdownError::TooDeep) => {
            errors.add_args(
                lang,
                field,
                "error-too-deep",
                &[("max", Arg::Num(markdown::MAX_DEPTH as i64))],
            );
            None
        }
    }
}

/// Checks a one-line title.
pub fn check_title(lang: Lang, field: &str, title: &str, errors: &mut FieldErrors) {
    let len = title.chars().count();
    if len == 0 {
        errors.add(lang, field, "error-required");
    } else if !(TITLE_MIN..=TITLE_MAX).contains(&len) {
        errors.add_args(
            lang,
            field,
            "error-length",
            &[
                ("min", Arg::Num(TITLE_MIN as i64)),
                ("max", Arg::Num(TITLE_MAX as i64)),
            ],
        );
    } else if has_forbidden_chars(title, false) {
        errors.add(lang, field, "error-control-chars");
    }
}

impl QuestionParams {
    /// Validates every field and renders the body.
    ///
    /// # Errors
    /// A message per invalid field, in `lang`.
    pub fn validate(&self, lang: Lang) -> Result<ValidQuestion, FieldErrors> {
        let mut errors = FieldErrors::new();
        let title = self.title.trim().to_string();
        check_title(lang, "title", &title, &mut errors);
        let body = normalize_newlines(&self.body);
        let body_html = check_body(lang, "body", &body, &mut errors);
        let tags = match tags::parse(&self.tags) {
            Ok(tags) => Some(tags),
            Err(err) => {
                errors.add_args(
                    lang,
                    "tags",
                    err.key(),
                    &[("max", Arg::Num(tags::MAX_TAGS as i64))],
                );
                None
            }
        };
        match (body_html, tags) {
            (Some(body_html), Some(tags)) if errors.is_empty() => Ok(ValidQuestion {
                excerpt: excerpt(&markdown::plain_text(&body_html), 300),
                title,
                body,
                body_html,
                tags,
            }),
            _ => Err(errors),
        }
    }
}

impl Model {
    #[must_use]
    pub fn url(&self) -> String {
        format!("/questions/{}/{}", self.id, self.slug)
    }

    #[must_use]
    pub fn is_deleted(&self) -> bool {
        self.deleted_at.is_some()
    }

    #[must_use]
    pub fn is_locked(&self) -> bool {
        self.locked_at.is_some()
    }

    /// Owners edit their own live, unlocked questions; staff edit anything.
    #[must_use]
    pub fn can_edit(&self, user: &CurrentUser) -> bool {
        user.is_staff() || (user.id == self.user_id && !self.is_locked() && !self.is_deleted())
    }

    /// A question that exists and is not deleted.
    ///
    /// # Errors
    /// On database errors.
    pub async fn find_live(db: &impl ConnectionTrait, id: i64) -> ModelResult<Option<Self>> {
        Ok(Entity::find_by_id(id)
            .filter(Column::DeletedAt.is_null())
            .one(db)
            .await?)
    }

    /// Creates a question with its tags, search document and counters.
    ///
    /// # Errors
    /// On database errors.
    pub async fn create(
        db: &DatabaseConnection,
        author_id: i64,
        q: ValidQuestion,
    ) -> ModelResult<Self> {
        let txn = crate::db::write_txn(db).await?;
        let now = Utc::now().fixed_offset();
        let question = ActiveModel {
            user_id: Set(author_id),
            slug: Set(slugify(&q.title)),
            title: Set(q.title),
            body: Set(q.body),
            body_html: Set(q.body_html),
            excerpt: Set(q.excerpt),
            score: Set(0),
            up_count: Set(0),
            down_count: Set(0),
            answer_count: Set(0),
            last_activity_at: Set(now),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let tags = tags::ensure(&txn, &q.tags).await?;
        tags::attach(&txn, question.id, &tags).await?;
        search::reindex_question(&txn, question.id).await?;
        counters::add(&txn, counters::QUESTIONS, 1).await?;
        txn.commit().await?;
        Ok(question)
    }

    /// Applies an edit. "Edited" is recorded only when the title, body or
    /// tags really changed; an edit by someone other than the author (a
    /// moderator) also gets an audit row in the same transaction.
    ///
    /// # Errors
    /// On database errors.
    pub async fn update_content(
        self,
        db: &DatabaseConnection,
        editor_id: i64,
        q: ValidQuestion,
    ) -> ModelResult<Self> {
        let txn = crate::db::write_txn(db).await?;
        let current_tags = tags::of_question(&txn, self.id).await?;
        let mut old_names: Vec<&str> = current_tags.iter().map(|t| t.name.as_str()).collect();
        old_names.sort_unstable();
        let mut new_names: Vec<&str> = q.tags.iter().map(String::as_str).collect();
        new_names.sort_unstable();
        let changed = self.title != q.title || self.body != q.body || old_names != new_names;
        if !changed {
            txn.rollback().await?;
            return Ok(self);
        }
        let removed: Vec<i64> = current_tags
            .iter()
            .filter(|t| !q.tags.contains(&t.name))
            .map(|t| t.id)
            .collect();
        let added: Vec<String> = q
            .tags
            .iter()
            .filter(|name| !current_tags.iter().any(|t| &t.name == *name))
            .cloned()
            .collect();
        tags::detach(&txn, self.id, &removed).await?;
        let added = tags::ensure(&txn, &added).await?;
        tags::attach(&txn, self.id, &added).await?;
        let now = Utc::now().fixed_offset();
        let id = self.id;
        let mut active: ActiveModel = self.into();
        active.slug = Set(slugify(&q.title));
        active.title = Set(q.title);
        active.body = Set(q.body);
        active.body_html = Set(q.body_html);
        active.excerpt = Set(q.excerpt);
        active.edited_at = Set(Some(now));
        active.edited_by = Set(Some(editor_id));
        active.last_activity_at = Set(now);
        active.updated_at = Set(now);
        let question = active.update(&txn).await?;
        search::reindex_question(&txn, id).await?;
        super::audit::record_unless_author(
            &txn,
            &super::audit::Entry::new(editor_id, "post.edit", "question", id),
            question.user_id,
        )
        .await?;
        txn.commit().await?;
        Ok(question)
    }

    /// Locks this question's row for the rest of `txn` (PostgreSQL; SQLite's
    /// immediate transaction already excludes other writers) and returns it
    /// fresh.
    ///
    /// # Errors
    /// On database errors.
    pub async fn lock(txn: &DatabaseTransaction, id: i64) -> ModelResult<Option<Self>> {
        let mut q = crate::db::Sql::new("SELECT * FROM questions WHERE id = ?");
        q.push_bind("", [sea_orm::Value::from(id)]);
        q.push(crate::db::for_update(txn.get_database_backend()));
        Ok(Self::find_by_statement(q.build(txn.get_database_backend()))
            .one(txn)
            .await?)
    }
}

/// Soft-deletes (`deleted`) or restores question `id` in its own transaction;
/// hidden everywhere but kept for moderators and the ledger;
/// a moderator's change is audited with `reason`. Returns false
/// when there was nothing to change.
///
/// # Errors
/// On database errors.
pub async fn set_visibility(
    db: &DatabaseConnection,
    votes: &crate::votes::Votes,
    id: i64,
    actor_id: i64,
    deleted: bool,
    reason: &str,
) -> ModelResult<bool> {
    let entry = super::audit::Entry::visibility(actor_id, deleted, "question", id).reason(reason);
    super::audit::post_visibility(db, &entry, async |txn| {
        set_deleted(txn, votes, id, actor_id, deleted).await
    })
    .await
}

/// Deletes (`deleted`) or restores question `id` inside `txn`, with every
/// cached number that depends on it. Returns the author when it changed
/// something.
///
/// # Errors
/// On database errors.
pub async fn set_deleted(
    txn: &DatabaseTransaction,
    votes: &crate::votes::Votes,
    id: i64,
    actor_id: i64,
    deleted: bool,
) -> ModelResult<Option<i64>> {
    let Some(question) = Model::lock(txn, id)
        .await?
        .filter(|q| q.is_deleted() != deleted)
    else {
        return Ok(None);
    };
    let author = question.user_id;
    let sign: i64 = if deleted { -1 } else { 1 };
    let now = Utc::now().fixed_offset();
    let live_answers = super::answers::Entity::find()
        .filter(super::answers::Column::QuestionId.eq(id))
        .filter(super::answers::Column::DeletedAt.is_null())
        .count(txn)
        .await?;
    let tag_ids: Vec<i64> = tags::of_question(txn, id)
        .await?
        .into_iter()
        .map(|t| t.id)
        .collect();
    tags::adjust_counts(txn, tag_ids, i32::try_from(sign).unwrap_or(-1)).await?;
    counters::add(txn, counters::QUESTIONS, sign).await?;
    counters::add(
        txn,
        counters::ANSWERS,
        sign * i64::try_from(live_answers).unwrap_or(0),
    )
    .await?;
    if question.accepted_answer_id.is_some() {
        counters::add(txn, counters::SOLVED, sign).await?;
    }
    let mut active: ActiveModel = question.into();
    active.deleted_at = Set(deleted.then_some(now));
    active.deleted_by = Set(deleted.then_some(actor_id));
    active.updated_at = Set(now);
    active.update(txn).await?;
    search::reindex_question(txn, id).await?;
    let reason = if deleted {
        crate::votes::Reason::PostDeleted
    } else {
        crate::votes::Reason::PostRestored
    };
    crate::votes::question_visibility_changed(votes, txn, id, reason, actor_id).await?;
    Ok(Some(author))
}

/// Locks (no new answers, votes or owner edits) or unlocks question `id`
/// in its own transaction, with its audit row (only staff lock). Returns
/// false when it already was in that state.
///
/// # Errors
/// On database errors.
pub async fn set_locked(
    db: &DatabaseConnection,
    id: i64,
    actor_id: i64,
    locked: bool,
    reason: &str,
) -> ModelResult<bool> {
    let txn = crate::db::write_txn(db).await?;
    let Some(author) = set_locked_in(&txn, id, actor_id, locked).await? else {
        return Ok(false);
    };
    let action = if locked {
        "question.lock"
    } else {
        "question.unlock"
    };
    let entry = super::audit::Entry::new(actor_id, action, "question", id)
        .user(author)
        .reason(reason);
    super::audit::record(&txn, &entry).await?;
    txn.commit().await?;
    Ok(true)
}

/// Locks or unlocks question `id` inside `txn`. Returns the author when it
/// changed something.
///
/// # Errors
/// On database errors.
pub async fn set_locked_in(
    txn: &DatabaseTransaction,
    id: i64,
    actor_id: i64,
    locked: bool,
) -> ModelResult<Option<i64>> {
    let Some(question) = Model::lock(txn, id)
        .await?
        .filter(|q| q.is_locked() != locked)
    else {
        return Ok(None);
    };
    let author = question.user_id;
    let now = Utc::now().fixed_offset();
    let mut active: ActiveModel = question.into();
    active.locked_at = Set(locked.then_some(now));
    active.locked_by = Set(locked.then_some(actor_id));
    active.updated_at = Set(now);
    active.update(txn).await?;
    Ok(Some(author))
}

impl ActiveModelBehavior for ActiveModel {}
