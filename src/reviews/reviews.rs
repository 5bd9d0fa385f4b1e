//! Course reviews: validation, create (one per user and course), edit,
//! soft delete (the lists are in `listing.rs`).
use chrono::Utc;
use sea_orm::ActiveValue::Set;
use sea_orm::{entity::prelude::*, TransactionTrait};
use serde::{Deserialize, Serialize};

use super::courses::{self, clean_name};
pub use crate::db::entities::reviews::{ActiveModel, Column, Entity, Model};
use crate::{
    audit::{self, Action, Subject},
    counters,
    db::{write_txn, DbResult, Unique},
    forms::{check_body, check_title, FieldErrors, Value as Arg},
    markdown,
    notifications::{self, Kind, Note},
    revisions::{self, EditBy},
    search,
    text::{excerpt, has_forbidden_chars, normalize_newlines},
    users::Actor,
    votes::{Reason, Target, Votes},
};

/// One live review per user and course.
const ONE_PER_COURSE: Unique = Unique {
    name: "reviews_one_per_course",
    sqlite: "reviews.user_id, reviews.course_id",
};

fn is_duplicate(err: &DbErr) -> bool {
    ONE_PER_COURSE.violated_by(err)
}

/// The review form as typed (the rating stays text so a failed
/// submission shows exactly what was picked).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewParams {
    #[serde(default)]
    pub course: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub rating: String,
    /// The edit summary (edits only).
    #[serde(default)]
    pub summary: String,
    /// Set by the Preview button: show the rendered body, save nothing.
    #[serde(default)]
    pub preview: String,
}

#[derive(Debug, Clone)]
pub struct ValidReview {
    pub course: String,
    pub title: String,
    pub body: String,
    pub body_html: String,
    pub excerpt: String,
    pub rating: i16,
    pub summary: String,
}

impl ValidReview {
    /// The review as a revision holds it.
    #[must_use]
    pub fn content(&self) -> revisions::Content {
        revisions::Content {
            title: Some(self.title.clone()),
            body: self.body.clone(),
            course: Some(self.course.clone()),
            rating: Some(self.rating),
            ..Default::default()
        }
    }
}

impl ReviewParams {
    /// Validates every field and renders the body.
    ///
    /// # Errors
    /// A message per invalid field.
    pub fn validate(&self) -> Result<ValidReview, FieldErrors> {
        let mut errors = FieldErrors::new();
        let course = clean_name(&self.course);
        let len = course.chars().count();
        if len == 0 {
            errors.add("course", "error-required");
        } else if !(2..=courses::NAME_MAX).contains(&len) {
            errors.add_with(
                "course",
                "error-length",
                vec![
                    ("min", Arg::Num(2)),
                    ("max", Arg::Num(courses::NAME_MAX as i64)),
                ],
            );
        } else if has_forbidden_chars(&course, false) {
            errors.add("course", "error-control-chars");
        }
        let title = self.title.trim().to_string();
        check_title("title", &title, &mut errors);
        let body = normalize_newlines(&self.body);
        let body_html = check_body("body", &body, &mut errors);
        let summary = self.summary.trim().to_string();
        if summary.chars().count() > 300 {
            errors.add_with(
                "summary",
                "error-length",
                vec![("min", Arg::Num(0)), ("max", Arg::Num(300))],
            );
        } else if has_forbidden_chars(&summary, false) {
            errors.add("summary", "error-control-chars");
        }
        let rating = match self.rating.trim().parse::<i16>() {
            Ok(r) if (1..=5).contains(&r) => Some(r),
            _ => {
                errors.add("rating", "error-rating");
                None
            }
        };
        match (body_html, rating) {
            (Some(body_html), Some(rating)) if errors.is_empty() => Ok(ValidReview {
                excerpt: excerpt(&markdown::plain_text(&body_html), 300),
                course,
                title,
                body,
                body_html,
                rating,
                summary,
            }),
            _ => Err(errors),
        }
    }
}

/// Why a review could not be saved.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    /// The user already reviewed this course: the existing review's id.
    #[error("the author already reviewed this course (review {0})")]
    Duplicate(i64),
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl Model {
    #[must_use]
    pub fn url(&self) -> String {
        format!("/reviews/{}", self.id)
    }

    #[must_use]
    pub fn is_deleted(&self) -> bool {
        self.deleted_at.is_some()
    }

    /// Owners edit their own live reviews; staff edit anything.
    #[must_use]
    pub fn can_edit(&self, user: &Actor) -> bool {
        user.is_staff() || (user.id == self.user_id && !self.is_deleted())
    }

    /// A review that exists and is not deleted.
    ///
    /// # Errors
    /// On database errors.
    pub async fn find_live(db: &impl ConnectionTrait, id: i64) -> DbResult<Option<Self>> {
        Entity::find_by_id(id)
            .filter(Column::DeletedAt.is_null())
            .one(db)
            .await
    }

    /// The edit form filled with the review as it is.
    ///
    /// # Errors
    /// On database errors.
    pub async fn form(&self, db: &impl ConnectionTrait) -> DbResult<ReviewParams> {
        let course = courses::Entity::find_by_id(self.course_id)
            .one(db)
            .await?
            .map(|c| c.name)
            .unwrap_or_default();
        Ok(ReviewParams {
            course,
            title: self.title.clone(),
            body: self.body.clone(),
            rating: self.rating.to_string(),
            ..Default::default()
        })
    }

    /// The user's live review of `course_id`, if any.
    ///
    /// # Errors
    /// On database errors.
    pub async fn find_by_user_and_course(
        db: &impl ConnectionTrait,
        user_id: i64,
        course_id: i64,
    ) -> DbResult<Option<Self>> {
        Entity::find()
            .filter(Column::UserId.eq(user_id))
            .filter(Column::CourseId.eq(course_id))
            .filter(Column::DeletedAt.is_null())
            .one(db)
            .await
    }

    /// Creates a review (and the course on its first review). A second
    /// review of the same course is refused by the unique index, whatever
    /// the timing.
    ///
    /// # Errors
    /// `Duplicate` with the existing review, or a database error.
    pub async fn create(
        db: &DatabaseConnection,
        author_id: i64,
        v: ValidReview,
    ) -> Result<Self, ReviewError> {
        let txn = write_txn(db).await?;
        let course = courses::Model::find_or_create(&txn, &v.course).await?;
        let content = v.content();
        let now = Utc::now().fixed_offset();
        let inserted = ActiveModel {
            course_id: Set(course.id),
            user_id: Set(author_id),
            title: Set(v.title),
            body: Set(v.body),
            body_html: Set(v.body_html),
            excerpt: Set(v.excerpt),
            rating: Set(v.rating),
            score: Set(0),
            up_count: Set(0),
            down_count: Set(0),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await;
        let review = match inserted {
            Ok(review) => review,
            Err(err) if is_duplicate(&err) => {
                txn.rollback().await?;
                let existing = Self::find_by_user_and_course(db, author_id, course.id).await?;
                return Err(ReviewError::Duplicate(existing.map_or(0, |r| r.id)));
            }
            Err(err) => return Err(err.into()),
        };
        courses::Model::count_review(&txn, course.id, review.rating, 1).await?;
        counters::add(&txn, counters::REVIEWS, 1).await?;
        search::reindex_review(&txn, review.id).await?;
        let change = revisions::Change {
            post: revisions::Post::Review(review.id),
            kind: revisions::Kind::Create,
            user_id: author_id,
            content: &content,
            summary: None,
            rolled_back_to: None,
        };
        revisions::record(&txn, &change).await?;
        txn.commit().await?;
        Ok(review)
    }

    /// Applies an edit (course, title, body, rating); "edited" only when
    /// something changed. Moving to another course moves the aggregates.
    ///
    /// # Errors
    /// `Duplicate` when the user already reviewed the new course.
    pub async fn update_content(
        self,
        db: &DatabaseConnection,
        by: EditBy<'_>,
        v: ValidReview,
    ) -> Result<Self, ReviewError> {
        let editor_id = by.editor_id;
        let content = v.content();
        let txn = write_txn(db).await?;
        let course = courses::Model::find_or_create(&txn, &v.course).await?;
        let changed = course.id != self.course_id
            || self.title != v.title
            || self.body != v.body
            || self.rating != v.rating;
        if !changed {
            txn.rollback().await?;
            return Ok(self);
        }
        let (old_course, old_rating, id, author) =
            (self.course_id, self.rating, self.id, self.user_id);
        let now = Utc::now().fixed_offset();
        let mut active: ActiveModel = self.into();
        active.course_id = Set(course.id);
        active.title = Set(v.title);
        active.body = Set(v.body);
        active.body_html = Set(v.body_html);
        active.excerpt = Set(v.excerpt);
        active.rating = Set(v.rating);
        active.edited_at = Set(Some(now));
        active.edited_by = Set(Some(editor_id));
        active.updated_at = Set(now);
        let review = match active.update(&txn).await {
            Ok(review) => review,
            Err(err) if is_duplicate(&err) => {
                txn.rollback().await?;
                let existing = Self::find_by_user_and_course(db, author, course.id).await?;
                return Err(ReviewError::Duplicate(existing.map_or(0, |r| r.id)));
            }
            Err(err) => return Err(err.into()),
        };
        courses::Model::count_review(&txn, old_course, old_rating, -1).await?;
        courses::Model::count_review(&txn, course.id, review.rating, 1).await?;
        search::reindex_review(&txn, id).await?;
        let change = revisions::Change {
            post: revisions::Post::Review(id),
            kind: by.kind,
            user_id: editor_id,
            content: &content,
            summary: by.summary,
            rolled_back_to: by.rolled_back_to,
        };
        revisions::record(&txn, &change).await?;
        audit::record_unless_author(
            &txn,
            &audit::Entry::new(editor_id, Action::PostEdit, Subject::Review, id),
            author,
        )
        .await?;
        let note = review
            .note(Kind::Edited, editor_id)
            .group(format!("edited:review:{id}"));
        notifications::notify(&txn, &[author], &note).await?;
        txn.commit().await?;
        Ok(review)
    }

    /// Rolls this review back to revision `number` (a new revision records
    /// it); its author and staff may.
    ///
    /// # Errors
    /// `NotFound` (no such revision), `Duplicate` (the old course has a
    /// newer review by the author), database errors.
    pub async fn rollback(
        self,
        db: &DatabaseConnection,
        actor_id: i64,
        number: i32,
    ) -> Result<Option<Self>, ReviewError> {
        let Some(revision) = revisions::get(db, revisions::Post::Review(self.id), number).await?
        else {
            return Ok(None);
        };
        let params = ReviewParams {
            course: revision.course.clone().unwrap_or_default(),
            title: revision.title.clone().unwrap_or_default(),
            body: revision.body.clone(),
            rating: revision.rating.unwrap_or(1).to_string(),
            ..Default::default()
        };
        let Ok(valid) = params.validate() else {
            return Ok(None);
        };
        let review = self
            .update_content(db, EditBy::rollback(actor_id, number), valid)
            .await?;
        Ok(Some(review))
    }

    /// A notification about this review, by `actor_id`.
    #[must_use]
    pub fn note(&self, kind: Kind, actor_id: i64) -> Note {
        Note::new(
            kind,
            Some(actor_id),
            format!("/reviews/{}", self.id),
            &self.title,
        )
    }
}

/// Soft-deletes (`deleted`) or restores review `id` in its own transaction;
/// it leaves every list, the course aggregates and the search
/// index, and its votes stop counting; a moderator's change is audited with `reason`. Returns false
/// when there was nothing to change.
///
/// # Errors
/// `Duplicate` when a restore meets a newer review of the same course;
/// database errors.
pub async fn set_visibility(
    db: &DatabaseConnection,
    votes: &Votes,
    id: i64,
    actor_id: i64,
    deleted: bool,
    reason: &str,
) -> Result<bool, ReviewError> {
    let entry = audit::Entry::visibility(actor_id, deleted, Subject::Review, id).reason(reason);
    audit::post_visibility(db, &entry, async |txn| {
        set_deleted(txn, votes, id, actor_id, deleted, reason).await
    })
    .await
}

/// Deletes or restores review `id` inside `txn`; the author hears of it
/// (with `reason`) when someone else did it. Returns the author when it
/// changed something.
///
/// # Errors
/// `Duplicate` when a restore meets a newer review of the same course.
pub async fn set_deleted(
    txn: &sea_orm::DatabaseTransaction,
    votes: &Votes,
    id: i64,
    actor_id: i64,
    deleted: bool,
    reason: &str,
) -> Result<Option<i64>, ReviewError> {
    let Some(review) = Entity::find_by_id(id)
        .one(txn)
        .await?
        .filter(|r| r.is_deleted() != deleted)
    else {
        return Ok(None);
    };
    let note = review
        .note(Kind::Moderation, actor_id)
        .detail(if deleted { "deleted" } else { "restored" })
        .reason(reason);
    notifications::notify(txn, &[review.user_id], &note).await?;
    let now = Utc::now().fixed_offset();
    let (course_id, rating, author) = (review.course_id, review.rating, review.user_id);
    let mut active: ActiveModel = review.into();
    active.deleted_at = Set(deleted.then_some(now));
    active.deleted_by = Set(deleted.then_some(actor_id));
    active.updated_at = Set(now);
    // a savepoint: on PostgreSQL a unique violation aborts the whole
    // transaction, and the caller still needs it to find the other review
    let savepoint = txn.begin().await?;
    let updated = active.update(&savepoint).await;
    if updated.is_ok() {
        savepoint.commit().await?;
    } else {
        savepoint.rollback().await?;
    }
    if let Err(err) = updated {
        if is_duplicate(&err) {
            let existing = Entity::find()
                .filter(Column::UserId.eq(author))
                .filter(Column::CourseId.eq(course_id))
                .filter(Column::DeletedAt.is_null())
                .one(txn)
                .await?;
            return Err(ReviewError::Duplicate(existing.map_or(0, |r| r.id)));
        }
        return Err(err.into());
    }
    let sign = if deleted { -1 } else { 1 };
    courses::Model::count_review(txn, course_id, rating, sign).await?;
    counters::add(txn, counters::REVIEWS, i64::from(sign)).await?;
    search::reindex_review(txn, id).await?;
    let reason = if deleted {
        Reason::PostDeleted
    } else {
        Reason::PostRestored
    };
    crate::votes::post_visibility_changed(votes, txn, Target::review(id), reason, actor_id).await?;
    Ok(Some(author))
}
