//! The home page: latest questions and reviews, top contributors, community
//! numbers.
use axum::debug_handler;
use loco_rs::prelude::*;

use crate::{
    counters,
    forum::{questions, views},
    reviews,
    users::{self, Author},
    web::{error::Result, Page},
};

#[debug_handler]
async fn index(
    ViewEngine(v): ViewEngine<TeraView>,
    page: Page,
    State(ctx): State<AppContext>,
) -> Result<Response> {
    let latest = questions::latest(&ctx.db, 10).await?;
    let top: Vec<Author> = users::Model::top(&ctx.db, 5)
        .await?
        .iter()
        .map(Author::of)
        .collect();
    let reviews = reviews::latest(&ctx.db, 5).await?;
    let stats = counters::all(&ctx.db).await?;
    views::home(&v, &page, &latest, &reviews, &top, &stats)
}

pub fn routes() -> Routes {
    Routes::new().add("/", get(index))
}
