//! A user's reputation history: the ledger rows, newest first.
use axum::{debug_handler, extract::Query};
use loco_rs::prelude::*;
use serde::Deserialize;

use crate::{
    users::{self, Author},
    votes::{ledger, views},
    web::{
        error::{AppError, Result},
        present::{parse_page, url_with, Pager},
        Page,
    },
};

#[derive(Debug, Deserialize)]
struct PageQuery {
    #[serde(default)]
    page: Option<String>,
}

#[debug_handler]
async fn reputation(
    ViewEngine(v): ViewEngine<TeraView>,
    page: Page,
    State(ctx): State<AppContext>,
    Path(username): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Response> {
    let Some(user) = users::Model::find_public(&ctx.db, &username).await? else {
        return Err(AppError::not_found());
    };
    let (rows, n, pages) = ledger::history(
        &ctx.db,
        (user.id, user.ledger_rows),
        parse_page(q.page.as_deref()),
    )
    .await?;
    let base = format!("{}/reputation", user.url());
    let pager = Pager::new(n, pages, |p| url_with(&base, &[("page", &p.to_string())]));
    views::history(&v, &page, &Author::of(&user), &rows, &pager)
}

pub fn routes() -> Routes {
    Routes::new().add("/users/{username}/reputation", get(reputation))
}
