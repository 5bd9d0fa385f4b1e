//! Tags: the list with counts, and the questions of one tag.
use axum::{debug_handler, extract::Query};
use loco_rs::prelude::*;

use serde::Deserialize;

use super::questions::ListQuery;
use crate::{
    forum::{
        questions,
        tags::{self, TagLink},
        views::{self, TagCount},
    },
    web::{
        error::{AppError, Result},
        present::{parse_page, url_with, Pager},
        Page,
    },
};

const PER_PAGE: u64 = 60;

#[derive(Debug, Deserialize)]
struct TagsQuery {
    #[serde(default)]
    page: Option<String>,
}

#[debug_handler]
async fn index(
    ViewEngine(v): ViewEngine<TeraView>,
    page: Page,
    State(ctx): State<AppContext>,
    Query(q): Query<TagsQuery>,
) -> Result<Response> {
    let n = parse_page(q.page.as_deref()).min(1_000);
    let rows = tags::popular(&ctx.db, (n - 1) * PER_PAGE, PER_PAGE + 1).await?;
    let has_next = rows.len() as u64 > PER_PAGE;
    let items: Vec<TagCount> = rows
        .into_iter()
        .take(PER_PAGE as usize)
        .map(|t| TagCount {
            url: t.url(),
            name: t.name,
            count: t.question_count,
        })
        .collect();
    let pages = if has_next { n + 1 } else { n };
    let pager = Pager::new(n, pages, |p| url_with("/tags", &[("page", &p.to_string())]));
    views::tags(&v, &page, &items, &pager)
}

#[debug_handler]
async fn show(
    ViewEngine(v): ViewEngine<TeraView>,
    page: Page,
    State(ctx): State<AppContext>,
    Path(name): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Response> {
    let name = name.to_lowercase();
    if !tags::valid_name(&name) {
        return Err(AppError::not_found());
    }
    let Some(tag) = tags::find_by_name(&ctx.db, &name).await? else {
        return Err(AppError::not_found());
    };
    let (mut filter, mut state) = q.filter();
    filter.tag = Some(tag.name.clone());
    if filter.query.is_none()
        && filter.user_id.is_none()
        && filter.sort != questions::Sort::Unanswered
    {
        // every live question of the tag: counting them read up to 10,000
        // rows per page view, a quarter of the small set's rate on the large
        filter.known_total = u64::try_from(tag.question_count).ok();
    }
    state.tag = String::new();
    let base = TagLink::new(&tag.name).url;
    let list = questions::list(&ctx.db, &crate::forum::kept_rankings(&ctx), &filter).await?;
    let info = data!({
        "name": tag.name,
        "count": tag.question_count,
        "feed_url": TagLink::feed_url(&tag.name),
    });
    views::index(&v, &page, &base, &state, &list, Some(info))
}

pub fn routes() -> Routes {
    Routes::new()
        .add("/tags", get(index))
        .add("/tags/{name}", get(show))
}
