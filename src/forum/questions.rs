//! Questions: validation, create, edit, soft delete, lookups.
//! Listing and search live in `questions/listing.rs`.
use chrono::Utc;
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, DatabaseTransaction, FromQueryResult};
use serde::{Deserialize, Serialize};

use super::tags;
pub use crate::db::entities::questions::{self, ActiveModel, Column, Entity, Model};
use crate::revisions::EditBy;
use crate::{
    audit::{self, Action, Subject},
    counters,
    db::DbResult,
    forms::{check_body, check_title, FieldErrors, Value},
    markdown,
    notifications::{self, follows, Kind, Note},
    revisions, search,
    text::{excerpt, normalize_newlines, slugify},
    users::{self, Actor},
};

mod listing;
mod page;
mod rankings;
mod related;
pub use listing::{list, ListFilter, ListPage, QuestionSummary, Sort, PER_PAGE, SEARCH_CANDIDATES};
pub use page::{Around, PageData};
pub use rankings::KeptRankings;
pub use related::{near, similar, Near, RelatedCache};

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
    /// The edit summary (edits only).
    #[serde(default)]
    pub summary: String,
    /// Set by the ask form's "check for similar questions" button.
    #[serde(default)]
    pub check: String,
    /// Set by the Preview button (the form comes back with the rendering).
    #[serde(default)]
    pub preview: String,
}

/// A checked question, ready to store.
#[derive(Debug, Clone)]
pub struct ValidQuestion {
    pub title: String,
    pub body: String,
    pub body_html: String,
    pub excerpt: String,
    pub tags: Vec<String>,
    pub summary: String,
}

impl ValidQuestion {
    /// The question as a revision holds it.
    #[must_use]
    pub fn content(&self) -> revisions::Content {
        let mut tags = self.tags.clone();
        tags.sort_unstable();
        revisions::Content {
            title: Some(self.title.clone()),
            body: self.body.clone(),
            tags: Some(tags.join(" ")),
            ..Default::default()
        }
    }
}

impl QuestionParams {
    /// Validates every field and renders the body.
    ///
    /// # Errors
    /// A message per invalid field.
    pub fn validate(&self) -> Result<ValidQuestion, FieldErrors> {
        let mut errors = FieldErrors::new();
        let title = self.title.trim().to_string();
        check_title("title", &title, &mut errors);
        let body = normalize_newlines(&self.body);
        let body_html = check_body("body", &body, &mut errors);
        let summary = self.summary.trim().to_string();
        super::editing::check_summary(&summary, &mut errors);
        let tags = match tags::parse(&self.tags) {
            Ok(tags) => Some(tags),
            Err(err) => {
                errors.add_with(
                    "tags",
                    err.key(),
                    vec![("max", Value::Num(tags::MAX_TAGS as i64))],
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
                summary,
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

    /// A notification about this question (`anchor`: an answer's or a
    /// comment's place on its page).
    #[must_use]
    pub fn note(&self, kind: Kind, actor_id: Option<i64>, anchor: Option<String>) -> Note {
        let url = match anchor {
            Some(anchor) => format!("{}#{anchor}", self.url()),
            None => self.url(),
        };
        Note::new(kind, actor_id, url, &self.title).question(self.id)
    }

    /// A question that exists and is not deleted.
    ///
    /// # Errors
    /// On database errors.
    pub async fn find_live(db: &impl ConnectionTrait, id: i64) -> DbResult<Option<Self>> {
        Entity::find_by_id(id)
            .filter(Column::DeletedAt.is_null())
            .one(db)
            .await
    }

    /// Creates a question with its tags, search document, counters and
    /// first revision; the asker follows it.
    ///
    /// # Errors
    /// On database errors.
    pub async fn create(
        db: &DatabaseConnection,
        author_id: i64,
        q: ValidQuestion,
    ) -> DbResult<Self> {
        let txn = crate::db::write_txn(db).await?;
        let now = Utc::now().fixed_offset();
        let content = q.content();
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
        users::post_counts::add(&txn, author_id, 1, 0).await?;
        follows::follow(&txn, author_id, question.id).await?;
        let change = revisions::Change {
            post: revisions::Post::Question(question.id),
            kind: revisions::Kind::Create,
            user_id: author_id,
            content: &content,
            summary: None,
            rolled_back_to: None,
        };
        revisions::record(&txn, &change).await?;
        txn.commit().await?;
        Ok(question)
    }

    /// Applies an edit in its own transaction (see [`apply_edit`]).
    ///
    /// # Errors
    /// On database errors.
    pub async fn update_content(
        self,
        db: &DatabaseConnection,
        by: EditBy<'_>,
        q: ValidQuestion,
    ) -> DbResult<Self> {
        let txn = crate::db::write_txn(db).await?;
        let Some(current) = Self::lock(&txn, self.id).await? else {
            return Ok(self);
        };
        let question = apply_edit(&txn, current, by, q).await?;
        txn.commit().await?;
        Ok(question)
    }

    /// Locks this question's row for the rest of `txn` (PostgreSQL; SQLite's
    /// immediate transaction already excludes other writers) and returns it
    /// fresh.
    ///
    /// # Errors
    /// On database errors.
    pub async fn lock(txn: &DatabaseTransaction, id: i64) -> DbResult<Option<Self>> {
        let mut q = crate::db::Sql::new("SELECT * FROM questions WHERE id = ?");
        q.push_bind("", [sea_orm::Value::from(id)]);
        q.push(crate::db::for_update(txn.get_database_backend()));
        Self::find_by_statement(q.build(txn.get_database_backend()))
            .one(txn)
            .await
    }
}

impl Model {
    /// The question `id` as `viewer` may see it: deleted questions only for
    /// staff.
    ///
    /// # Errors
    /// On database errors.
    pub async fn find_visible(
        db: &impl ConnectionTrait,
        id: i64,
        viewer: Option<&Actor>,
    ) -> DbResult<Option<Self>> {
        let question = Entity::find_by_id(id).one(db).await?;
        Ok(question.filter(|q| q.visible_to(viewer)))
    }

    /// Deleted questions are shown to staff only.
    fn visible_to(&self, viewer: Option<&Actor>) -> bool {
        !self.is_deleted() || viewer.is_some_and(Actor::is_staff)
    }

    /// The edit form filled with the question as it is.
    ///
    /// # Errors
    /// On database errors.
    pub async fn form(&self, db: &impl ConnectionTrait) -> DbResult<QuestionParams> {
        let tags: Vec<String> = tags::of_question(db, self.id)
            .await?
            .into_iter()
            .map(|t| t.name)
            .collect();
        Ok(QuestionParams {
            title: self.title.clone(),
            body: self.body.clone(),
            tags: tags.join(" "),
            summary: String::new(),
            check: String::new(),
            preview: String::new(),
        })
    }
}

/// The latest live questions (first page, no count), for the home page.
///
/// # Errors
/// On database errors.
pub async fn latest(db: &impl ConnectionTrait, limit: u64) -> DbResult<Vec<QuestionSummary>> {
    let page = listing::list_in(
        db,
        &ListFilter {
            page: 1,
            per_page: Some(limit),
            latest_only: true,
            ..Default::default()
        },
    )
    .await?;
    Ok(page.rows)
}

/// The latest live questions of `user_id` (first page, no count).
///
/// # Errors
/// On database errors.
pub async fn latest_by_user(
    db: &impl ConnectionTrait,
    user_id: i64,
    limit: u64,
) -> DbResult<Vec<QuestionSummary>> {
    let page = listing::list_in(
        db,
        &ListFilter {
            user_id: Some(user_id),
            page: 1,
            per_page: Some(limit),
            latest_only: true,
            ..Default::default()
        },
    )
    .await?;
    Ok(page.rows)
}

/// Applies an edit to `question` (locked by the caller) inside `txn`.
/// Nothing is written when the title, body and tags stay the same;
/// otherwise the question, its tags and search document change, a revision
/// records who did it, a moderator's edit is audited and the author hears
/// of someone else's edit. Returns the question as it is now.
///
/// # Errors
/// On database errors.
pub async fn apply_edit(
    txn: &DatabaseTransaction,
    question: Model,
    by: EditBy<'_>,
    q: ValidQuestion,
) -> DbResult<Model> {
    let current_tags = tags::of_question(txn, question.id).await?;
    let mut old_names: Vec<&str> = current_tags.iter().map(|t| t.name.as_str()).collect();
    old_names.sort_unstable();
    let mut new_names: Vec<&str> = q.tags.iter().map(String::as_str).collect();
    new_names.sort_unstable();
    let changed = question.title != q.title || question.body != q.body || old_names != new_names;
    if !changed {
        return Ok(question);
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
    tags::detach(txn, question.id, &removed).await?;
    let added = tags::ensure(txn, &added).await?;
    tags::attach(txn, question.id, &added).await?;
    let content = q.content();
    let now = Utc::now().fixed_offset();
    let id = question.id;
    let mut active: ActiveModel = question.into();
    active.slug = Set(slugify(&q.title));
    active.title = Set(q.title);
    active.body = Set(q.body);
    active.body_html = Set(q.body_html);
    active.excerpt = Set(q.excerpt);
    active.edited_at = Set(Some(now));
    active.edited_by = Set(Some(by.editor_id));
    active.last_activity_at = Set(now);
    active.updated_at = Set(now);
    let question = active.update(txn).await?;
    search::reindex_question(txn, id).await?;
    let change = revisions::Change {
        post: revisions::Post::Question(id),
        kind: by.kind,
        user_id: by.editor_id,
        content: &content,
        summary: by.summary,
        rolled_back_to: by.rolled_back_to,
    };
    revisions::record(txn, &change).await?;
    audit::record_unless_author(
        txn,
        &audit::Entry::new(by.editor_id, Action::PostEdit, Subject::Question, id),
        question.user_id,
    )
    .await?;
    let note = question
        .note(Kind::Edited, Some(by.editor_id), None)
        .group(format!("edited:question:{id}"));
    notifications::notify(txn, &[question.user_id], &note).await?;
    Ok(question)
}

/// Rolls question `id` back to revision `number` (a new revision records
/// it). Only its author and staff may.
///
/// # Errors
/// `NotFound` (question or revision), `Forbidden`.
pub async fn rollback(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    number: i32,
) -> Result<Model, super::Error> {
    let txn = crate::db::write_txn(db).await?;
    let question = Model::lock(&txn, id)
        .await?
        .filter(|q| !q.is_deleted() || actor.is_staff())
        .ok_or(super::Error::NotFound)?;
    if !(actor.is_staff() || (actor.id == question.user_id && !question.is_locked())) {
        return Err(super::Error::Forbidden);
    }
    let revision = revisions::get(&txn, revisions::Post::Question(id), number)
        .await?
        .ok_or(super::Error::NotFound)?;
    let params = QuestionParams {
        title: revision.title.unwrap_or_default(),
        body: revision.body,
        tags: revision.tags.unwrap_or_default(),
        summary: String::new(),
        check: String::new(),
        preview: String::new(),
    };
    // a revision passed the checks once; rules may have tightened since
    let valid = params.validate().map_err(|_| super::Error::Forbidden)?;
    let question = apply_edit(&txn, question, EditBy::rollback(actor.id, number), valid).await?;
    txn.commit().await?;
    Ok(question)
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
) -> DbResult<bool> {
    let entry = audit::Entry::visibility(actor_id, deleted, Subject::Question, id).reason(reason);
    audit::post_visibility(db, &entry, async |txn| {
        set_deleted(txn, votes, id, actor_id, deleted, reason).await
    })
    .await
}

/// Deletes (`deleted`) or restores question `id` inside `txn`, with every
/// cached number that depends on it; the author hears of it (with
/// `reason`) when someone else did it. Returns the author when it changed
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
    reason: &str,
) -> DbResult<Option<i64>> {
    let Some(question) = Model::lock(txn, id)
        .await?
        .filter(|q| q.is_deleted() != deleted)
    else {
        return Ok(None);
    };
    let author = question.user_id;
    let note = question
        .note(Kind::Moderation, Some(actor_id), None)
        .detail(if deleted { "deleted" } else { "restored" })
        .reason(reason);
    notifications::notify(txn, &[author], &note).await?;
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
    users::post_counts::add(txn, author, sign, 0).await?;
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
) -> DbResult<bool> {
    let txn = crate::db::write_txn(db).await?;
    let Some(author) = set_locked_in(&txn, id, actor_id, locked, reason).await? else {
        return Ok(false);
    };
    let action = if locked {
        Action::QuestionLock
    } else {
        Action::QuestionUnlock
    };
    let entry = audit::Entry::new(actor_id, action, Subject::Question, id)
        .user(author)
        .reason(reason);
    audit::record(&txn, &entry).await?;
    txn.commit().await?;
    Ok(true)
}

/// Locks or unlocks question `id` inside `txn`; the author hears of it.
/// Returns the author when it changed something.
///
/// # Errors
/// On database errors.
pub async fn set_locked_in(
    txn: &DatabaseTransaction,
    id: i64,
    actor_id: i64,
    locked: bool,
    reason: &str,
) -> DbResult<Option<i64>> {
    let Some(question) = Model::lock(txn, id)
        .await?
        .filter(|q| q.is_locked() != locked)
    else {
        return Ok(None);
    };
    let author = question.user_id;
    let note = question
        .note(Kind::Moderation, Some(actor_id), None)
        .detail(if locked { "locked" } else { "unlocked" })
        .reason(reason);
    notifications::notify(txn, &[author], &note).await?;
    let now = Utc::now().fixed_offset();
    let mut active: ActiveModel = question.into();
    active.locked_at = Set(locked.then_some(now));
    active.locked_by = Set(locked.then_some(actor_id));
    active.updated_at = Set(now);
    active.update(txn).await?;
    Ok(Some(author))
}
