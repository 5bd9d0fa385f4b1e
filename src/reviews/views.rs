//! The reviews module's pages: review lists, a review, the review form,
//! courses and a user's reviews.
use axum::http::StatusCode;
use loco_rs::prelude::*;
use serde::Serialize;

use super::{courses, CourseLink, ReviewPage, ReviewParams, ReviewSummary, UserReviewStats};
use crate::{
    forms::FieldErrors,
    users::Author,
    web::{
        error::Result,
        present::{Pager, VoteView},
        CurrentUser, Page,
    },
};

/// A tab of a list's sort orders.
#[derive(Debug, Serialize)]
pub struct SortLink {
    pub key: &'static str,
    pub url: String,
    pub active: bool,
}

impl SortLink {
    #[must_use]
    pub const fn new(key: &'static str, url: String, active: bool) -> Self {
        Self { key, url, active }
    }
}

/// A review on its page.
#[derive(Debug, Serialize)]
pub struct ReviewView {
    pub id: i64,
    pub url: String,
    pub title: String,
    pub body_html: String,
    pub rating: i16,
    pub course: CourseLink,
    pub author: Author,
    pub ts: i64,
    /// When and by whom it was last changed, and its history.
    pub edited: serde_json::Value,
    pub deleted: bool,
    pub can_edit: bool,
    pub can_flag: bool,
    pub vote: VoteView,
}

impl ReviewView {
    #[must_use]
    pub fn new(r: &ReviewPage, viewer: Option<&CurrentUser>, mine: &str) -> Self {
        let is_author = viewer.is_some_and(|v| v.id == r.user_id);
        Self {
            id: r.id,
            url: format!("/reviews/{}", r.id),
            title: r.title.clone(),
            body_html: r.body_html.clone(),
            rating: r.rating,
            course: CourseLink {
                name: r.course_name.clone(),
                url: format!("/courses/{}", r.course_slug),
            },
            author: Author::new(
                &r.author_name,
                r.author_reputation,
                r.author_avatar.as_deref(),
            ),
            ts: r.created_at.timestamp(),
            edited: serde_json::json!({
                "ts": r.edited_at.map_or(0, |t| t.timestamp()),
                "by": r.editor_name,
                "history_url": format!("/reviews/{}/revisions", r.id),
            }),
            deleted: r.deleted_at.is_some(),
            can_edit: viewer.is_some_and(|v| v.is_staff() || (is_author && r.deleted_at.is_none())),
            can_flag: viewer.is_some_and(|v| v.may_flag) && !is_author && r.deleted_at.is_none(),
            vote: VoteView {
                action: format!("/reviews/{}/vote", r.id),
                score: r.score,
                up: r.up_count,
                down: r.down_count,
                mine: mine.to_string(),
                can_vote: viewer.is_some() && !is_author && r.deleted_at.is_none(),
            },
        }
    }
}

/// A course with its aggregates.
#[derive(Debug, Serialize)]
pub struct CourseView {
    pub name: String,
    pub url: String,
    pub review_count: i32,
    pub average: String,
    /// The average in half stars (9 = four and a half).
    pub average_halves: i64,
    /// For 5 down to 1: (stars, count, percent of reviews).
    pub histogram: Vec<(i32, i32, i64)>,
}

impl CourseView {
    #[must_use]
    pub fn new(c: &courses::Model) -> Self {
        let hist = c.histogram();
        let total = c.review_count.max(1);
        Self {
            name: c.name.clone(),
            url: c.url(),
            review_count: c.review_count,
            average: format!("{:.1}", c.avg_rating),
            average_halves: (c.avg_rating * 2.0).round() as i64,
            histogram: (1..=5)
                .rev()
                .map(|stars: i32| {
                    let n = hist[(stars - 1) as usize];
                    (stars, n, i64::from(n) * 100 / i64::from(total))
                })
                .collect(),
        }
    }
}

/// What the review form shows besides the fields.
pub struct ReviewForm<'a> {
    pub action: &'a str,
    pub form: &'a ReviewParams,
    pub errors: &'a FieldErrors,
    /// The existing review when this one would be a duplicate.
    pub duplicate: Option<String>,
    /// The review being edited (for "cancel").
    pub editing: Option<&'a str>,
}

/// # Errors
/// When the template fails to render.
pub fn form(v: &TeraView, page: &Page, f: &ReviewForm<'_>, status: StatusCode) -> Result<Response> {
    page.render_status(
        v,
        status,
        "reviews/form.html",
        data!({
            "action": f.action,
            "form": f.form,
            "errors": f.errors.translate(page.lang()),
            "duplicate_url": f.duplicate,
            "editing_url": f.editing,
            "stars": [5, 4, 3, 2, 1],
            "preview_html": crate::forms::preview_html(&f.form.preview, &f.form.body),
        }),
    )
}

/// # Errors
/// When the template fails to render.
pub fn index(
    v: &TeraView,
    page: &Page,
    q: &str,
    rows: &[ReviewSummary],
    total: u64,
    pager: &Pager,
    all: i64,
) -> Result<Response> {
    page.render(
        v,
        "reviews/index.html",
        data!({
            "q": q,
            "reviews": rows,
            "total": total,
            "pager": pager,
            "stats": { "reviews": all },
        }),
    )
}

/// A review's page.
///
/// # Errors
/// When the template fails to render.
pub fn show(
    v: &TeraView,
    page: &Page,
    review: &ReviewPage,
    mine: &str,
    others: &[ReviewSummary],
) -> Result<Response> {
    let view = ReviewView::new(review, page.user(), mine);
    page.render(
        v,
        "reviews/show.html",
        data!({ "review": view, "others": others }),
    )
}

/// The course list.
///
/// # Errors
/// When the template fails to render.
pub fn courses(
    v: &TeraView,
    page: &Page,
    courses: &[CourseView],
    sorts: &[SortLink],
    pager: &Pager,
    total: u64,
) -> Result<Response> {
    page.render(
        v,
        "courses/index.html",
        data!({ "courses": courses, "sorts": sorts, "pager": pager, "total": total }),
    )
}

/// A course with its reviews.
///
/// # Errors
/// When the template fails to render.
pub fn course(
    v: &TeraView,
    page: &Page,
    course: &CourseView,
    reviews: &[ReviewSummary],
    pager: &Pager,
    sorts: &[SortLink],
) -> Result<Response> {
    page.render(
        v,
        "courses/show.html",
        data!({ "course": course, "reviews": reviews, "pager": pager, "sorts": sorts }),
    )
}

/// A user's reviews.
///
/// # Errors
/// When the template fails to render.
pub fn by_user(
    v: &TeraView,
    page: &Page,
    user: &Author,
    stats: &UserReviewStats,
    reviews: &[ReviewSummary],
    pager: &Pager,
) -> Result<Response> {
    page.render(
        v,
        "reviews/by_user.html",
        data!({
            "user": user,
            "count": stats.count,
            "average": stats.average.map(|a| format!("{a:.1}")),
            "reviews": reviews,
            "pager": pager,
        }),
    )
}
