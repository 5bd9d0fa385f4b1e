//! The suggested-edits queue: GET `/review/edits` and POST
//! `/review/edits/{id}` with `decision` = approve | reject (and `reason`).
//! Open to staff and users with the review privilege.
use axum::debug_handler;
use loco_rs::prelude::*;
use serde::Deserialize;

use crate::{
    forum::{
        suggestions::{self, Decision},
        views, Error,
    },
    votes::Votes,
    web::{
        error::{AppError, Result},
        flash::{self, Kind},
        present::{parse_page, url_with},
        CurrentUser, Id, Page,
    },
};

fn reviewer(ctx: &AppContext, me: &CurrentUser) -> Result<()> {
    let min = Votes::get(ctx).rules().settings().review_edits_min;
    if me.is_staff() || me.reputation >= min {
        Ok(())
    } else {
        Err(AppError::needs_reputation(min))
    }
}

#[derive(Debug, Deserialize)]
struct QueueQuery {
    page: Option<String>,
}

#[debug_handler]
async fn queue(
    ViewEngine(v): ViewEngine<TeraView>,
    me: CurrentUser,
    page: Page,
    State(ctx): State<AppContext>,
    Query(q): Query<QueueQuery>,
) -> Result<Response> {
    reviewer(&ctx, &me)?;
    let number = parse_page(q.page.as_deref()).min(500);
    let (rows, total) = suggestions::queue(&ctx.db, number).await?;
    let pages = u64::try_from(total)
        .unwrap_or(0)
        .div_ceil(suggestions::PER_PAGE)
        .max(1);
    let url = |n: u64| {
        let n = if n > 1 { n.to_string() } else { String::new() };
        url_with("/review/edits", &[("page", &n)])
    };
    views::review_queue(&v, &page, &rows, (number.min(pages), pages, total), url)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DecisionForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reason: String,
}

#[debug_handler]
async fn decide(
    me: CurrentUser,
    State(ctx): State<AppContext>,
    Id(id): Id,
    Form(form): Form<DecisionForm>,
) -> Result<Response> {
    reviewer(&ctx, &me)?;
    let decision = Decision::parse(&form.decision).ok_or(AppError::bad_request("decision"))?;
    let reason: String = form.reason.chars().take(500).collect();
    let done = suggestions::review(
        &ctx.db,
        &Votes::get(&ctx),
        me.actor(),
        id,
        decision,
        &reason,
    )
    .await;
    let (kind, key) = match done {
        Ok(()) if decision == Decision::Approve => (Kind::Success, "flash-suggestion-approved"),
        Ok(()) => (Kind::Info, "flash-suggestion-rejected"),
        Err(Error::ReasonNeeded) => (Kind::Warning, "suggestion-error-reason"),
        Err(Error::Reviewed) => (Kind::Warning, "suggestion-error-reviewed"),
        Err(Error::Forbidden) => (Kind::Warning, "suggestion-error-own"),
        Err(err) => return Err(err.into()),
    };
    Ok(flash::redirect("/review/edits", kind, key))
}

pub fn routes() -> Routes {
    Routes::new()
        .add("/review/edits", get(queue))
        .add("/review/edits/{id}", post(decide))
}
