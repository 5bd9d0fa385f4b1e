//! Courses: the list by rating or by number of reviews, and one course
//! with its rating histogram and reviews.
use axum::{debug_handler, extract::Query};
use loco_rs::prelude::*;

use crate::web::error::Result;
use serde::Deserialize;

use crate::{
    models::{
        courses::{self, CourseSort},
        reviews::{self, ReviewFilter, Total},
    },
    views::{
        reviews::{CourseView, ReviewItem},
        shared::{parse_page, url_with, Pager},
    },
    web::Page,
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
    let sorts: Vec<serde_json::Value> = [CourseSort::Rating, CourseSort::Reviews]
        .into_iter()
        .map(|s| data!({ "key": s.as_str(), "url": url(s, 1), "active": s == sort }))
        .collect();
    let courses: Vec<CourseView> = rows.iter().map(CourseView::new).collect();
    page.render(
        &v,
        "courses/index.html",
        data!({ "courses": courses, "sorts": sorts, "pager": pager, "total": total }),
    )
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
        return page.not_found(&v);
    }
    let Some(course) = courses::Entity::find()
        .filter(courses::Column::Slug.eq(&slug))
        .one(&ctx.db)
        .await?
    else {
        return page.not_found(&v);
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
    page.render(
        &v,
        "courses/show.html",
        data!({
            "course": CourseView::new(&course),
            "reviews": ReviewItem::list(&rows),
            "pager": pager,
            "sorts": [
                { "key": "newest", "url": url(false, 1), "active": !helpful },
                { "key": "helpful", "url": url(true, 1), "active": helpful },
            ],
        }),
    )
}

pub fn routes() -> Routes {
    Routes::new()
        .add("/courses", get(index))
        .add("/courses/{slug}", get(show))
}
