//! Courses: the list by rating or by number of reviews, and one course
//! with its rating histogram and reviews.
use axum::{debug_handler, extract::Query};
use loco_rs::prelude::*;

use serde::Deserialize;

use crate::{
    reviews::{
        self,
        courses::{self, CourseSort},
        views::{self, CourseView, SortLink},
        ReviewFilter, Total,
    },
    web::{
        error::{AppError, Result},
        present::{parse_page, url_with, Pager},
        Page,
    },
};

const PER_PAGE: u64 = 30;

#[derive(Debug, Default, Deserialize)]
struct CourseQuery {
    #[serde(default)]
    sort: Option<String>,
    #[serde(default)]
    page: Option<String>,
}

#[debug_handler]
async fn index(
    ViewEngine(v): ViewEngine<TeraView>,
    page: Page,
    State(ctx): State<AppContext>,
    Query(q): Query<CourseQuery>,
) -> Result<Response> {
    let sort = q
        .sort
        .as_deref()
        .and_then(CourseSort::parse)
        .unwrap_or_default();
    let n = parse_page(q.page.as_deref()).min(500);
    let (rows, total) = courses::list(&ctx.db, sort, n, PER_PAGE).await?;
    let pages = total.div_ceil(PER_PAGE).clamp(1, 500);
    let url = |s: CourseSort, p: u64| {
        let p = if p > 1 { p.to_string() } else { String::new() };
        let s = if s == CourseSort::Rating {
            ""
        } else {
            s.as_str()
        };
        url_with("/courses", &[("sort", s), ("page", &p)])
    };
    let pager = Pager::new(n.min(pages), pages, |p| url(sort, p));
    let sorts: Vec<SortLink> = [CourseSort::Rating, CourseSort::Reviews]
        .into_iter()
        .map(|s| SortLink::new(s.as_str(), url(s, 1), s == sort))
        .collect();
    let courses: Vec<CourseView> = rows.iter().map(CourseView::new).collect();
    views::courses(&v, &page, &courses, &sorts, &pager, total)
}

#[debug_handler]
async fn show(
    ViewEngine(v): ViewEngine<TeraView>,
    page: Page,
    State(ctx): State<AppContext>,
    Path(slug): Path<String>,
    Query(q): Query<CourseQuery>,
) -> Result<Response> {
    if slug.len() > 100 {
        return Err(AppError::not_found());
    }
    let Some(course) = courses::Model::find_by_slug(&ctx.db, &slug).await? else {
        return Err(AppError::not_found());
    };
    let helpful = q.sort.as_deref() == Some("helpful");
    let filter = ReviewFilter {
        course_id: Some(course.id),
        helpful,
        ..Default::default()
    };
    let known = Total::Known(u64::try_from(course.review_count).unwrap_or(0));
    let (rows, n, pages, _) = reviews::list(
        &ctx.db,
        &filter,
        parse_page(q.page.as_deref()),
        reviews::PER_PAGE,
        known,
    )
    .await?;
    let base = course.url();
    let url = |h: bool, p: u64| {
        let p = if p > 1 { p.to_string() } else { String::new() };
        url_with(
            &base,
            &[("sort", if h { "helpful" } else { "" }), ("page", &p)],
        )
    };
    let pager = Pager::new(n, pages, |p| url(helpful, p));
    let sorts = [
        SortLink::new("newest", url(false, 1), !helpful),
        SortLink::new("helpful", url(true, 1), helpful),
    ];
    views::course(&v, &page, &CourseView::new(&course), &rows, &pager, &sorts)
}

pub fn routes() -> Routes {
    Routes::new()
        .add("/courses", get(index))
        .add("/courses/{slug}", get(show))
}
