//! Reviews and courses pages.
use axum::http::StatusCode;
use loco_rs::prelude::*;

use crate::web::error::Result;
use serde::Serialize;

use super::{
    questions::VoteView,
    shared::{AuthorView, Pager},
};
use crate::{
    forms::FieldErrors,
    models::{
        courses,
        reviews::{ReviewPage, ReviewParams, ReviewRow},
    },
    web::{CurrentUser, Page},
};

/// A review in a list.
#[derive(Debug, Serialize)]
pub struct ReviewItem {
    pub id: i64,
    pub url: String,
    pub title: String,
    pub excerpt: String,
    pub rating: i16,
    pub score: i32,
    pub course: CourseLink,
    pub author: AuthorView,
    pub ts: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct CourseLink {
    pub name: String,
    pub url: String,
}

impl ReviewItem {
    #[must_use]
    pub fn new(r: &ReviewRow) -> Self {
        Self {
            id: r.id,
            url: format!("/reviews/{}", r.id),
            title: r.title.clone(),
            excerpt: r.excerpt.clone(),
            rating: r.rating,
            score: r.score,
            course: CourseLink {
                name: r.course_name.clone(),
                url: format!("/courses/{}", r.course_slug),
            },
            author: AuthorView::new(
                &r.author_name,
                r.author_reputation,
                r.author_avatar.as_deref(),
            ),
            ts: r.created_at.timestamp(),
        }
    }

    #[must_use]
    pub fn list(rows: &[ReviewRow]) -> Vec<Self> {
        rows.iter().map(Self::new).collect()
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
    pub author: AuthorView,
    pub ts: i64,
    pub edited_ts: Option<i64>,
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
            author: AuthorView::new(
                &r.author_name,
                r.author_reputation,
                r.author_avatar.as_deref(),
            ),
            ts: r.created_at.timestamp(),
            edited_ts: r.edited_at.map(|t| t.timestamp()),
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
    pub average_rounded: i64,
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
            average_rounded: c.avg_rating.round() as i64,
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
            "errors": f.errors,
            "duplicate_url": f.duplicate,
            "editing_url": f.editing,
            "stars": [5, 4, 3, 2, 1],
        }),
    )
}

/// # Errors
/// When the template fails to render.
pub fn index(
    v: &TeraView,
    page: &Page,
    q: &str,
    rows: &[ReviewRow],
    total: u64,
    pager: &Pager,
    stats: serde_json::Value,
) -> Result<Response> {
    page.render(
        v,
        "reviews/index.html",
        data!({ "q": q, "reviews": ReviewItem::list(rows), "total": total, "pager": pager, "stats": stats }),
    )
}
