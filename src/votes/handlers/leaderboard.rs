//! The leaderboard: reputation earned this week, this month or ever.
use axum::{debug_handler, extract::Query};
use loco_rs::prelude::*;

use serde::Deserialize;

use crate::{
    votes::{
        ledger::{self, Period},
        views, Votes,
    },
    web::{
        error::Result,
        present::{parse_page, url_with},
        Page,
    },
};

#[derive(Debug, Deserialize)]
struct BoardQuery {
    #[serde(default)]
    period: Option<String>,
    #[serde(default)]
    page: Option<String>,
}

#[debug_handler]
async fn index(
    ViewEngine(v): ViewEngine<TeraView>,
    page: Page,
    State(ctx): State<AppContext>,
    Query(q): Query<BoardQuery>,
) -> Result<Response> {
    let period = q
        .period
        .as_deref()
        .and_then(Period::parse)
        .unwrap_or_default();
    let board = ledger::leaderboard(
        &ctx.db,
        period,
        parse_page(q.page.as_deref()),
        page.user().map(|u| u.id),
    )
    .await?;
    let url = |p: Period, n: u64| {
        let n = if n > 1 { n.to_string() } else { String::new() };
        let period = if p == Period::All { "" } else { p.as_str() };
        url_with("/leaderboard", &[("period", period), ("page", &n)])
    };
    views::index(&v, &page, period, &board, Votes::get(&ctx).rules(), url)
}

pub fn routes() -> Routes {
    Routes::new().add("/leaderboard", get(index))
}
