//! Questions: validation, create, edit, soft delete, lookups.
//! Listing and search live in `questions/listing.rs`.
use chrono::Utc;
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, DatabaseBackend, DatabaseTransaction, FromQueryResult};
use serde::{Deserialize, Serialize};

use super::tags;
pub use crate::db::entities::questions::{self, ActiveModel, Column, Entity, Model};
use crate::{
    audit::{self, Action, Subject},
    counters,
    db::{DbResult, Sql},
    forms::{check_body, check_title, FieldErrors, Value},
    markdown,
    notifications::{self, follows, Kind, Note},
    search,
    text::{excerpt, normalize_newlines, slugify},
    users::{Actor, Author},
    votes,
};

mod listing;
pub use listing::{list, ListFilter, ListPage, QuestionSummary, Sort, PER_PAGE};

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

    /// Owners edit their own live, unlocked questions; staff edit anything.
    #[must_use]
    pub fn can_edit(&self, user: &Actor) -> bool {
        user.is_staff() || (user.id == self.user_id && !self.is_locked() && !self.is_deleted())
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

    /// Creates a question with its tags, search document and counters.
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
        follows::follow(&txn, author_id, question.id).await?;
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
    ) -> DbResult<Self> {
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
        audit::record_unless_author(
            &txn,
            &audit::Entry::new(editor_id, Action::PostEdit, Subject::Question, id),
            question.user_id,
        )
        .await?;
        let note = question
            .note(Kind::Edited, Some(editor_id), None)
            .group(format!("edited:question:{id}"));
        notifications::notify(&txn, &[question.user_id], &note).await?;
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

/// Everything the question page shows, read in a constant number of
/// queries: the question's author, tags and whether the viewer follows it
/// (one query), its answers with their authors, the comments of all of
/// them with the viewer's comment votes, and the viewer's votes.
#[derive(Debug, Clone)]
pub struct PageData {
    pub author: Author,
    pub tags: Vec<String>,
    pub following: bool,
    pub answers: Vec<super::answers::AnswerRow>,
    pub comments: Vec<super::comments::CommentRow>,
    /// The viewer's votes: (kind, id) → "up" / "down".
    pub mine: std::collections::HashMap<(i16, i64), &'static str>,
}

/// The question's author, its tags (space-separated) and whether the
/// viewer follows it.
#[derive(Debug, FromQueryResult)]
struct Around {
    username: String,
    reputation: i64,
    avatar: Option<String>,
    tags: Option<String>,
    following: bool,
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
        Ok(question.filter(|q| !q.is_deleted() || viewer.is_some_and(Actor::is_staff)))
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
        })
    }

    async fn around(&self, db: &impl ConnectionTrait, viewer: Option<i64>) -> DbResult<Around> {
        let backend = db.get_database_backend();
        let mut q = Sql::new("SELECT u.username, u.reputation, u.avatar, ");
        q.push(if backend == DatabaseBackend::Postgres {
            "(SELECT string_agg(t.name, ' ') FROM question_tags qt JOIN tags t ON t.id = qt.tag_id \
             WHERE qt.question_id = ?) AS tags, "
        } else {
            "(SELECT group_concat(t.name, ' ') FROM question_tags qt JOIN tags t ON t.id = qt.tag_id \
             WHERE qt.question_id = ?) AS tags, "
        });
        q.push_bind(
            "EXISTS (SELECT 1 FROM follows f WHERE f.question_id = ? AND f.user_id = ?) AS following \
             FROM users u WHERE u.id = ?",
            [
                sea_orm::Value::from(self.id),
                sea_orm::Value::from(self.id),
                sea_orm::Value::from(viewer.unwrap_or(0)),
                sea_orm::Value::from(self.user_id),
            ],
        );
        Ok(Around::find_by_statement(q.build(backend))
            .one(db)
            .await?
            .unwrap_or(Around {
                username: "?".into(),
                reputation: 0,
                avatar: None,
                tags: None,
                following: false,
            }))
    }

    /// What the question page shows with this question (see [`PageData`]).
    ///
    /// # Errors
    /// On database errors.
    pub async fn page(
        &self,
        db: &impl ConnectionTrait,
        viewer: Option<&Actor>,
        all_comments: bool,
    ) -> DbResult<PageData> {
        let viewer_id = viewer.map(|v| v.id);
        let around = self.around(db, viewer_id).await?;
        let mut tags: Vec<String> = around
            .tags
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_string)
            .collect();
        tags.sort_unstable();
        let staff = viewer.is_some_and(Actor::is_staff);
        let answers = super::answers::Model::for_question(db, self.id, staff).await?;
        let comments = super::comments::for_question(db, self.id, viewer_id, all_comments).await?;
        let mut targets = vec![(votes::QUESTION, self.id)];
        targets.extend(answers.iter().map(|r| (votes::ANSWER, r.id)));
        let mine = votes::viewer_votes(db, viewer_id, &targets).await?;
        Ok(PageData {
            author: Author::new(
                &around.username,
                around.reputation,
                around.avatar.as_deref(),
            ),
            tags,
            following: around.following,
            answers,
            comments,
            mine,
        })
    }
}

/// The latest live questions (first page, no count), for the home page.
///
/// # Errors
/// On database errors.
pub async fn latest(db: &impl ConnectionTrait, limit: u64) -> DbResult<Vec<QuestionSummary>> {
    let page = list(
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
    let page = list(
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
