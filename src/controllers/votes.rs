//! Votes: POST `/questions/{id}/vote` and `/answers/{id}/vote` with
//! `direction` = up|down. Without JavaScript the form posts and the user
//! comes back to the post (303, anchor kept); with it, the vote script asks
//! for JSON and updates the widget in place.
use axum::{debug_handler, http::StatusCode};
use loco_rs::prelude::*;

use crate::web::error::{AppError, Result};
use serde::Deserialize;

use crate::{
    controllers::questions::parse_id,
    i18n::{t, Lang},
    models::{answers, questions, reviews},
    votes::{Direction, Kind as PostKind, Target, VoteError, VoteOutcome, Votes},
    web::{
        auth::wants_json_headers,
        auth::Member,
        error_pages::json_error,
        flash::{self, Kind},
        CurrentUser,
    },
};
use crate::{limits, settings::Settings};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VoteForm {
    #[serde(default)]
    direction: String,
}

/// The page that shows post `target` (with the answer's anchor); `None`
/// when it does not exist. Deleted posts count: staff still see them.
///
/// # Errors
/// On database errors.
pub async fn post_url(ctx: &AppContext, target: Target) -> Result<Option<String>> {
    Ok(match target.kind {
        PostKind::Question => questions::Entity::find_by_id(target.id)
            .one(&ctx.db)
            .await?
            .map(|q| q.url()),
        PostKind::Answer => match answers::Entity::find_by_id(target.id).one(&ctx.db).await? {
            Some(a) => questions::Entity::find_by_id(a.question_id)
                .one(&ctx.db)
                .await?
                .map(|q| format!("{}#answer-{}", q.url(), a.id)),
            None => None,
        },
        PostKind::Review => reviews::Entity::find_by_id(target.id)
            .one(&ctx.db)
            .await?
            .map(|r| r.url()),
    })
}

/// Where a non-JavaScript vote (or a flag) returns to.
///
/// # Errors
/// On database errors.
pub async fn back_url(ctx: &AppContext, target: Target) -> Result<String> {
    Ok(match target.kind {
        // the review id is all it takes: no query
        PostKind::Review => format!("/reviews/{}#review", target.id),
        PostKind::Question => post_url(ctx, target)
            .await?
            .map_or_else(|| "/questions".to_string(), |url| format!("{url}#question")),
        PostKind::Answer => post_url(ctx, target)
            .await?
            .unwrap_or_else(|| "/questions".to_string()),
    })
}

fn status_of(err: &VoteError) -> StatusCode {
    match err {
        VoteError::NotFound => StatusCode::NOT_FOUND,
        VoteError::Db(_) => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::FORBIDDEN,
    }
}

/// Casts the vote and answers in the form the client asked for.
pub async fn vote(
    ctx: &AppContext,
    me: &CurrentUser,
    lang: Lang,
    json: bool,
    target: Option<Target>,
    direction: &str,
) -> Result<Response> {
    let Some(target) = target else {
        return Err(AppError::not_found());
    };
    let Some(direction) = Direction::parse(direction) else {
        if json {
            return Ok(json_error(
                StatusCode::BAD_REQUEST,
                t(lang, "vote-error-direction"),
            ));
        }
        return Err(AppError::bad_request("direction must be up or down"));
    };
    // a refused vote (own post, too little reputation) does not count;
    // concurrent clicks may pass the check together, and the hit after the
    // vote keeps the count exact for the next ones
    let limits = &Settings::get(ctx).limits;
    limits::vote_check(&ctx.db, limits, me.id).await?.ok()?;
    let result = Votes::get(ctx).cast(me.id, target, direction).await;
    if result.is_ok() {
        limits::vote(&ctx.db, limits, me.id).await?;
    }
    match (result, json) {
        (Ok(VoteOutcome { tally, mine }), true) => crate::web::json(serde_json::json!({
            "score": tally.score(),
            "up": tally.up,
            "down": tally.down,
            "user_vote": mine.map(Direction::as_str),
        })),
        (Ok(_), false) => {
            Ok(axum::response::Redirect::to(&back_url(ctx, target).await?).into_response())
        }
        (Err(VoteError::Db(e)), _) => Err(e.into()),
        (Err(err), true) => {
            let message = match &err {
                VoteError::NotEnoughReputation { needed } => crate::i18n::t_args(
                    lang,
                    "vote-error-reputation-needed",
                    &[("needed", crate::i18n::Arg::Num(*needed))],
                ),
                other => t(lang, other.key()),
            };
            Ok(json_error(status_of(&err), message))
        }
        (Err(VoteError::NotFound), false) => Err(AppError::not_found()),
        (Err(err), false) => Ok(flash::redirect(
            &back_url(ctx, target).await?,
            Kind::Danger,
            err.key(),
        )),
    }
}

#[debug_handler]
async fn question(
    Member(me): Member,
    lang: Lang,
    State(ctx): State<AppContext>,
    headers: axum::http::HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<VoteForm>,
) -> Result<Response> {
    let target = parse_id(&id).map(Target::question);
    vote(
        &ctx,
        &me,
        lang,
        wants_json_headers(&headers),
        target,
        &form.direction,
    )
    .await
}

#[debug_handler]
async fn answer(
    Member(me): Member,
    lang: Lang,
    State(ctx): State<AppContext>,
    headers: axum::http::HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<VoteForm>,
) -> Result<Response> {
    let target = parse_id(&id).map(Target::answer);
    vote(
        &ctx,
        &me,
        lang,
        wants_json_headers(&headers),
        target,
        &form.direction,
    )
    .await
}

pub fn routes() -> Routes {
    Routes::new()
        .add("/questions/{id}/vote", post(question))
        .add("/answers/{id}/vote", post(answer))
}
