//! GET/POST `/unsubscribe/{token}`: the link in every notification e-mail.
//! The page needs no login (the signed token says who and what); the POST
//! is what the button sends and what mail clients send for one-click
//! unsubscribe (RFC 8058), so it carries no CSRF token.
use axum::debug_handler;
use axum::response::Redirect;
use loco_rs::prelude::*;

use crate::{
    keys::Keys,
    notifications::{unsubscribe, views},
    web::{
        error::{AppError, Result},
        Page,
    },
};

fn keys(ctx: &AppContext) -> Result<Keys> {
    ctx.shared_store
        .get::<Keys>()
        .ok_or_else(|| AppError::internal("the server keys are not loaded"))
}

#[debug_handler]
async fn show(
    ViewEngine(v): ViewEngine<TeraView>,
    page: Page,
    State(ctx): State<AppContext>,
    Path(token): Path<String>,
) -> Result<Response> {
    let (user_id, scope) = unsubscribe::parse(&keys(&ctx)?, &token).ok_or(AppError::not_found())?;
    let done = unsubscribe::is_off(&ctx.db, user_id, scope).await?;
    views::unsubscribe(&v, &page, &token, scope, done)
}

#[debug_handler]
async fn confirm(State(ctx): State<AppContext>, Path(token): Path<String>) -> Result<Response> {
    let (user_id, scope) = unsubscribe::parse(&keys(&ctx)?, &token).ok_or(AppError::not_found())?;
    unsubscribe::apply(&ctx.db, user_id, scope).await?;
    Ok(Redirect::to(&format!("/unsubscribe/{token}")).into_response())
}

pub fn routes() -> Routes {
    Routes::new().add("/unsubscribe/{token}", get(show).post(confirm))
}
