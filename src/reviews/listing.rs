//! The read side of reviews: the lists (filtered, sorted, paged, searched),
//! the latest ones, one review's page and an author's figures.
use sea_orm::{
    prelude::DateTimeWithTimeZone, ConnectionTrait, DatabaseBackend, DbErr, FromQueryResult, Value,
};
use serde::Serialize;

use crate::{
    db::{DbResult, Sql},
    search::SearchQuery,
    users::Author,
};

/// A review in a list, with its course and author.
#[derive(Debug, Clone, FromQueryResult)]
struct ReviewRow {
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

/// A review as every list shows it (review lists, courses, the home page,
/// profiles, the admin pages).
#[derive(Debug, Clone, Serialize)]
pub struct ReviewSummary {
    pub id: i64,
    pub url: String,
    pub title: String,
    pub excerpt: String,
    pub rating: i16,
    pub score: i32,
    pub course: CourseLink,
    pub author: Author,
    pub ts: i64,
}

/// A course as reviews link it.
#[derive(Debug, Clone, Serialize)]
pub struct CourseLink {
    pub name: String,
    pub url: String,
}

impl From<ReviewRow> for ReviewSummary {
    fn from(r: ReviewRow) -> Self {
        Self {
            id: r.id,
            url: format!("/reviews/{}", r.id),
            title: r.title,
            excerpt: r.excerpt,
            rating: r.rating,
            score: r.score,
            course: CourseLink {
                url: format!("/courses/{}", r.course_slug),
                name: r.course_name,
            },
            author: Author::new(
                &r.author_name,
                r.author_reputation,
                r.author_avatar.as_deref(),
            ),
            ts: r.created_at.timestamp(),
        }
    }
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
) -> Result<(Vec<ReviewSummary>, u64, u64, u64), DbErr> {
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
        .await?
        .into_iter()
        .map(ReviewSummary::from)
        .collect();
    Ok((rows, page, pages, total))
}

/// The latest live reviews (no count), for the home page.
///
/// # Errors
/// On database errors.
pub async fn latest(db: &impl ConnectionTrait, limit: u64) -> DbResult<Vec<ReviewSummary>> {
    let (rows, ..) = list(db, &ReviewFilter::default(), 1, limit, Total::Skip).await?;
    Ok(rows)
}

/// The latest live reviews of `user_id` (no count).
///
/// # Errors
/// On database errors.
pub async fn latest_by_user(
    db: &impl ConnectionTrait,
    user_id: i64,
    limit: u64,
) -> DbResult<Vec<ReviewSummary>> {
    let filter = ReviewFilter {
        user_id: Some(user_id),
        ..Default::default()
    };
    let (rows, ..) = list(db, &filter, 1, limit, Total::Skip).await?;
    Ok(rows)
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
    pub editor_name: Option<String>,
}

/// The review `id` with its course and author.
///
/// # Errors
/// On database errors.
pub async fn page(db: &impl ConnectionTrait, id: i64) -> Result<Option<ReviewPage>, DbErr> {
    let mut q = Sql::new(
        "SELECT r.id, r.title, r.body, r.body_html, r.rating, r.score, r.up_count, r.down_count, r.created_at, \
         r.edited_at, r.deleted_at, r.user_id, c.name AS course_name, c.slug AS course_slug, \
         u.username AS author_name, u.reputation AS author_reputation, u.avatar AS author_avatar, \
         e.username AS editor_name FROM reviews r JOIN courses c ON c.id = r.course_id \
         JOIN users u ON u.id = r.user_id LEFT JOIN users e ON e.id = r.edited_by WHERE r.id = ?",
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
