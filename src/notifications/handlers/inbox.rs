//! The inbox: GET `/notifications` (newest activity first, paginated) and
//! POST `/notifications/read` with `id` (open one: it is marked read and
//! the browser goes where it points) or `all=1`.
use axum::response::Redirect;
use axum::{debug_handler, http::HeaderMap};
use loco_rs::prelude::*;
use serde::Deserialize;

use crate::{
    notifications::{self, store, views},
    web::{
        auth::wants_json_headers,
        error::{AppError, Result},
        flash::{self, Kind},
        present::{parse_page, url_with},
        CurrentUser, Page,
    },
};

#[derive(Debug, Deserialize)]
struct InboxQuery {
    page: Option<String>,
}

#[debug_handler]
async fn index(
    ViewEngine(v): ViewEngine<TeraView>,
    me: CurrentUser,
    page: Page,
    State(ctx): State<AppContext>,
    Query(q): Query<InboxQuery>,
) -> Result<Response> {
    let number = parse_page(q.page.as_deref());
    let (rows, pages) = store::inbox(&ctx.db, me.id, number).await?;
    let url = |n: u64| {
        let n = if n > 1 { n.to_string() } else { String::new() };
        url_with("/notifications", &[("page", &n)])
    };
    views::inbox(&v, &page, &rows, number.min(pages), pages, url)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReadForm {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    all: Option<String>,
}

#[debug_handler]
async fn read(
    me: CurrentUser,
    State(ctx): State<AppContext>,
    headers: HeaderMap,
    Form(form): Form<ReadForm>,
) -> Result<Response> {
    let json = wants_json_headers(&headers);
    if form.all.as_deref() == Some("1") {
        notifications::read_all(&ctx.db, me.id).await?;
        if json {
            return crate::web::json(serde_json::json!({ "unread": 0 }));
        }
        return Ok(flash::redirect(
            "/notifications",
            Kind::Success,
            "flash-notifications-read",
        ));
    }
    let id = form
        .id
        .as_deref()
        .and_then(|id| id.trim().parse::<i64>().ok())
        .ok_or(AppError::bad_request("id or all=1"))?;
    let url = notifications::open(&ctx.db, me.id, id)
        .await?
        .ok_or(AppError::not_found())?;
    if json {
        let unread = notifications::unread_count(&ctx.db, me.id).await?;
        return crate::web::json(serde_json::json!({ "url": url, "unread": unread }));
    }
    Ok(Redirect::to(&url).into_response())
}

pub fn routes() -> Routes {
    Routes::new()
        .add("/notifications", get(index))
        .add("/notifications/read", post(read))
}
