//! Course reviews: validation, create (one per user and course), edit,
//! soft delete, lists and search.
use chrono::Utc;
use loco_rs::prelude::*;
use sea_orm::{
    prelude::DateTimeWithTimeZone, ActiveValue::Set, DatabaseBackend, FromQueryResult, Value,
};
use serde::{Deserialize, Serialize};

pub use super::_entities::reviews::{self, ActiveModel, Column, Entity, Model};
use super::{
    counters,
    courses::{self, clean_name},
    is_unique_violation,
    questions::{check_body, check_title},
};
use crate::{
    db::{write_txn, Sql},
    forms::FieldErrors,
    i18n::{Arg, Lang},
    markdown,
    search::{self, SearchQuery},
    text::{excerpt, has_forbidden_chars, normalize_newlines},
    votes::{Reason, Target, Votes},
    web::CurrentUser,
};

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
}

#[derive(Debug, Clone)]
pub struct ValidReview {
    pub course: String,
    pub title: String,
    pub body: String,
    pub body_html: String,
    pub excerpt: String,
    pub rating: i16,
}

impl ReviewParams {
    /// Validates every field and renders the body.
    ///
    /// # Errors
    /// A message per invalid field, in `lang`.
    pub fn validate(&self, lang: Lang) -> Result<ValidReview, FieldErrors> {
        let mut errors = FieldErrors::new();
        let course = clean_name(&self.course);
        let len = course.chars().count();
        if len == 0 {
            errors.add(lang, "course", "error-required");
        } else if !(2..=courses::NAME_MAX).contains(&len) {
            errors.add_args(
                lang,
                "course",
                "error-length",
                &[
                    ("min", Arg::Num(2)),
                    ("max", Arg::Num(courses::NAME_MAX as i64)),
                ],
            );
        } else if has_forbidden_chars(&course, false) {
            errors.add(lang, "course", "error-control-chars");
        }
        let title = self.title.trim().to_string();
        check_title(lang, "title", &title, &mut errors);
        let body = normalize_newlines(&self.body);
        let body_html = check_body(lang, "body", &body, &mut errors);
        let rating = match self.rating.trim().parse::<i16>() {
            Ok(r) if (1..=5).contains(&r) => Some(r),
            _ => {
                errors.add(lang, "rating", "error-rating");
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
            }),
            _ => Err(errors),
        }
    }
}

/// Why a review could not be saved.
#[derive(Debug)]
pub enum ReviewError {
    /// The user already reviewed this course: the existing review's id.
    Duplicate(i64),
    Db(sea_orm::DbErr),
}

impl From<ReviewError> for Error {
    fn from(e: ReviewError) -> Self {
        match e {
            ReviewError::Db(e) => Self::DB(e),
            ReviewError::Duplicate(_) => Self::BadRequest("duplicate review".into()),
        }
    }
}

impl From<ModelError> for ReviewError {
    fn from(e: ModelError) -> Self {
        Self::Db(sea_orm::DbErr::Custom(e.to_string()))
    }
}

impl From<sea_orm::DbErr> for ReviewError {
    fn from(e: sea_orm::DbErr) -> Self {
        Self::Db(e)
    }
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
    pub fn can_edit(&self, user: &CurrentUser) -> bool {
        user.is_staff() || (user.id == self.user_id && !self.is_deleted())
    }

    /// The user's live review of `course_id`, if any.
    ///
    /// # Errors
    /// On database errors.
    pub async fn find_by_user_and_course(
        db: &impl ConnectionTrait,
        user_id: i64,
        course_id: i64,
    ) -> ModelResult<Option<Self>> {
        Ok(Entity::find()
            .filter(Column::UserId.eq(user_id))
            .filter(Column::CourseId.eq(course_id))
            .filter(Column::DeletedAt.is_null())
            .one(db)
            .await?)
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
            Err(err) if is_unique_violation(&err) => {
                txn.rollback().await?;
                let existing = Self::find_by_user_and_course(db, author_id, course.id)
                    .await
                    .map_err(|e| ReviewError::Db(sea_orm::DbErr::Custom(e.to_string())))?;
                return Err(ReviewError::Duplicate(existing.map_or(0, |r| r.id)));
            }
            Err(err) => return Err(err.into()),
        };
        courses::Model::count_review(&txn, course.id, review.rating, 1).await?;
        counters::add(&txn, counters::REVIEWS, 1).await?;
        search::reindex_review(&txn, review.id).await?;
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
        editor_id: i64,
        v: ValidReview,
    ) -> Result<Self, ReviewError> {
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
            Err(err) if is_unique_violation(&err) => {
                txn.rollback().await?;
                let existing = Self::find_by_user_and_course(db, author, course.id)
                    .await
                    .map_err(|e| ReviewError::Db(sea_orm::DbErr::Custom(e.to_string())))?;
                return Err(ReviewError::Duplicate(existing.map_or(0, |r| r.id)));
            }
            Err(err) => return Err(err.into()),
        };
        courses::Model::count_review(&txn, old_course, old_rating, -1).await?;
        courses::Model::count_review(&txn, course.id, review.rating, 1).await?;
        search::reindex_review(&txn, id).await?;
        super::audit::record_unless_author(
            &txn,
            &super::audit::Entry::new(editor_id, "post.edit", "review", id),
            author,
        )
        .await?;
        txn.commit().await?;
        Ok(review)
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
    let entry = super::audit::Entry::visibility(actor_id, deleted, "review", id).reason(reason);
    super::audit::post_visibility(db, &entry, async |txn| {
        set_deleted(txn, votes, id, actor_id, deleted).await
    })
    .await
}

/// Deletes or restores review `id` inside `txn`. Returns the author when it
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
) -> Result<Option<i64>, ReviewError> {
    let Some(review) = Entity::find_by_id(id)
        .one(txn)
        .await?
        .filter(|r| r.is_deleted() != deleted)
    else {
        return Ok(None);
    };
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
        if is_unique_violation(&err) {
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

/// A review in a list, with its course and author.
#[derive(Debug, Clone, FromQueryResult)]
pub struct ReviewRow {
    pub id: i64,
    pub title: String,
    pub excerpt: String,
    pub rating: i16,
    pub score: i32,
    pub created_at: DateTimeWithTimeZone,
    pub course_name: String,
    pub course_slug: String,
    pub author_name: String,
    pub author_reputation: i64,
    pub author_avatar: Option<String>,
}

/// Which reviews a list shows.
#[derive(Debug, Clone, Default)]
pub struct ReviewFilter {
    pub query: Option<SearchQuery>,
    pub course_id: Option<i64>,
    pub user_id: Option<i64>,
    /// By helpful votes instead of newest first.
    pub helpful: bool,
    pub exclude: Option<i64>,
}

/// Reviews per page.
pub const PER_PAGE: u64 = 20;
const COUNT_CAP: u64 = PER_PAGE * 500;

#[derive(Debug, FromQueryResult)]
struct Count {
    n: i64,
}

fn from_where(sql: &mut Sql, backend: DatabaseBackend, f: &ReviewFilter) {
    sql.push(
        " FROM reviews r JOIN courses c ON c.id = r.course_id JOIN users u ON u.id = r.user_id",
    );
    if let Some(q) = &f.query {
        match backend {
            DatabaseBackend::Postgres => {
                sql.push_bind(
                    " CROSS JOIN websearch_to_tsquery('simple', ?) AS tsq",
                    [Value::from(q.text.clone())],
                );
            }
            _ => {
                sql.push(" JOIN reviews_fts ON reviews_fts.rowid = r.id");
            }
        }
    }
    sql.push(" WHERE r.deleted_at IS NULL");
    if let Some(q) = &f.query {
        match backend {
            DatabaseBackend::Postgres => sql.push(" AND r.search_vector @@ tsq"),
            _ => sql.push_bind(" AND reviews_fts MATCH ?", [Value::from(q.fts5())]),
        };
    }
    if let Some(course) = f.course_id {
        sql.push_bind(" AND r.course_id = ?", [Value::from(course)]);
    }
    if let Some(user) = f.user_id {
        sql.push_bind(" AND r.user_id = ?", [Value::from(user)]);
    }
    if let Some(id) = f.exclude {
        sql.push_bind(" AND r.id <> ?", [Value::from(id)]);
    }
}

/// How a list learns how many reviews match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Total {
    /// Count them (capped at 10 000).
    Count,
    /// Already known (a course's or a user's cached count).
    Known(u64),
    /// First page only (short "latest" lists).
    Skip,
}

/// A page of reviews: (rows, page, pages, total). Two queries at most.
///
/// # Errors
/// On database errors.
pub async fn list(
    db: &impl ConnectionTrait,
    f: &ReviewFilter,
    page: u64,
    per_page: u64,
    total: Total,
) -> Result<(Vec<ReviewRow>, u64, u64, u64), DbErr> {
    let backend = db.get_database_backend();
    let total = match total {
        Total::Count => {
            let mut q = Sql::new("SELECT COUNT(*) AS n FROM (SELECT 1");
            from_where(&mut q, backend, f);
            q.push_bind(" LIMIT ?) capped", [Value::from(COUNT_CAP as i64)]);
            u64::try_from(
                Count::find_by_statement(q.build(backend))
                    .one(db)
                    .await?
                    .map_or(0, |c| c.n),
            )
            .unwrap_or(0)
        }
        Total::Known(n) => n.min(COUNT_CAP),
        Total::Skip => 0,
    };
    let pages = total.div_ceil(per_page).clamp(1, 500);
    let page = page.clamp(1, pages);
    let mut q = Sql::new(
        "SELECT r.id, r.title, r.excerpt, r.rating, r.score, r.created_at, c.name AS course_name, \
         c.slug AS course_slug, u.username AS author_name, u.reputation AS author_reputation, \
         u.avatar AS author_avatar",
    );
    from_where(&mut q, backend, f);
    q.push(match (&f.query, f.helpful, backend) {
        (Some(_), false, DatabaseBackend::Postgres) => {
            " ORDER BY ts_rank(r.search_vector, tsq) DESC, r.id DESC"
        }
        (Some(_), false, _) => " ORDER BY bm25(reviews_fts, 6.0, 4.0, 1.0), r.id DESC",
        (_, true, _) => " ORDER BY r.score DESC, r.id DESC",
        (None, false, _) => " ORDER BY r.id DESC",
    });
    q.push_bind(
        " LIMIT ? OFFSET ?",
        [
            Value::from(per_page as i64),
            Value::from(((page - 1) * per_page) as i64),
        ],
    );
    let rows = ReviewRow::find_by_statement(q.build(backend))
        .all(db)
        .await?;
    Ok((rows, page, pages, total))
}

/// A review with its course and author, for its page (one query).
#[derive(Debug, Clone, FromQueryResult)]
pub struct ReviewPage {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub body_html: String,
    pub rating: i16,
    pub score: i32,
    pub up_count: i32,
    pub down_count: i32,
    pub created_at: DateTimeWithTimeZone,
    pub edited_at: Option<DateTimeWithTimeZone>,
    pub deleted_at: Option<DateTimeWithTimeZone>,
    pub user_id: i64,
    pub course_name: String,
    pub course_slug: String,
    pub author_name: String,
    pub author_reputation: i64,
    pub author_avatar: Option<String>,
}

/// The review `id` with its course and author.
///
/// # Errors
/// On database errors.
pub async fn page(db: &impl ConnectionTrait, id: i64) -> Result<Option<ReviewPage>, DbErr> {
    let mut q = Sql::new(
        "SELECT r.id, r.title, r.body, r.body_html, r.rating, r.score, r.up_count, r.down_count, r.created_at, \
         r.edited_at, r.deleted_at, r.user_id, c.name AS course_name, c.slug AS course_slug, \
         u.username AS author_name, u.reputation AS author_reputation, u.avatar AS author_avatar \
         FROM reviews r JOIN courses c ON c.id = r.course_id JOIN users u ON u.id = r.user_id WHERE r.id = ?",
    );
    q.push_bind("", [Value::from(id)]);
    ReviewPage::find_by_statement(q.build(db.get_database_backend()))
        .one(db)
        .await
}

#[derive(Debug, Clone, Default, FromQueryResult, Serialize)]
pub struct UserReviewStats {
    pub count: i64,
    pub average: Option<f64>,
}

/// How many live reviews `user_id` wrote and their average rating.
///
/// # Errors
/// On database errors.
pub async fn user_stats(db: &impl ConnectionTrait, user_id: i64) -> Result<UserReviewStats, DbErr> {
    let mut q = Sql::new(
        "SELECT COUNT(*) AS count, AVG(CAST(rating AS DOUBLE PRECISION)) AS average FROM reviews \
         WHERE user_id = ? AND deleted_at IS NULL",
    );
    q.push_bind("", [Value::from(user_id)]);
    Ok(
        UserReviewStats::find_by_statement(q.build(db.get_database_backend()))
            .one(db)
            .await?
            .unwrap_or_default(),
    )
}

impl ActiveModelBehavior for ActiveModel {}
