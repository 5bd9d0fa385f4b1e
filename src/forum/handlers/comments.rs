//! Comments: POST `/questions/{id}/comments` and `/answers/{id}/comments`
//! with `body`; GET/POST `/comments/{id}/edit`; POST `/comments/{id}/delete`
//! and `/comments/{id}/vote` (up only: the same click again withdraws).
//! Every POST answers 303 to the comment (or JSON when asked for it).
use axum::response::Redirect;
use axum::{
    debug_handler,
    http::{HeaderMap, StatusCode},
};
use loco_rs::prelude::*;
use serde::Deserialize;

use crate::{
    forms::FieldErrors,
    forum::{
        comments::{self, CommentParams, Parent},
        views, Error,
    },
    i18n::Lang,
    limits::{self, PostKind},
    settings::Settings,
    votes::Votes,
    web::{
        auth::wants_json_headers,
        error::{AppError, Result},
        error_pages::json_error,
        flash::{self, Kind},
        CurrentUser, Id, Member, Page,
    },
};

async fn create(
    v: &TeraView,
    me: &CurrentUser,
    page: &Page,
    ctx: &AppContext,
    headers: &HeaderMap,
    parent: Parent,
    form: &CommentParams,
) -> Result<Response> {
    let json = wants_json_headers(headers);
    if let Some(preview) = form.preview_html().filter(|_| !json) {
        let (action, none) = (new_action(parent), FieldErrors::new());
        return views::comment_form(v, page, &action, &form.body, &none, None, &preview);
    }
    let body = match form.validate() {
        Ok(body) => body,
        Err(errors) if json => {
            let message = errors.translate(page.lang()).into_values().next();
            return Ok(json_error(
                StatusCode::UNPROCESSABLE_ENTITY,
                message.unwrap_or_default(),
            ));
        }
        Err(errors) => {
            let action = new_action(parent);
            return views::comment_form(v, page, &action, &form.body, &errors, None, "");
        }
    };
    let limits = &Settings::get(ctx).limits;
    let poster = me.actor().poster();
    limits::post(&ctx.db, limits, PostKind::Comment, poster)
        .await?
        .ok()?;
    let min = Votes::get(ctx).rules().settings().comment_min;
    let created = comments::create(&ctx.db, me.actor(), min, parent, &body).await;
    if created.is_err() {
        limits::post_refund(&ctx.db, limits, PostKind::Comment, poster).await?;
    }
    let url = created?;
    if json {
        return crate::web::json(serde_json::json!({ "url": url }));
    }
    Ok(flash::redirect(&url, Kind::Success, "flash-comment-posted"))
}

fn new_action(parent: Parent) -> String {
    match parent {
        Parent::Question(id) => format!("/questions/{id}/comments"),
        Parent::Answer(id) => format!("/answers/{id}/comments"),
    }
}

#[debug_handler]
async fn on_question(
    ViewEngine(v): ViewEngine<TeraView>,
    Member(me): Member,
    page: Page,
    State(ctx): State<AppContext>,
    headers: HeaderMap,
    Id(id): Id,
    Form(form): Form<CommentParams>,
) -> Result<Response> {
    create(&v, &me, &page, &ctx, &headers, Parent::Question(id), &form).await
}

#[debug_handler]
async fn on_answer(
    ViewEngine(v): ViewEngine<TeraView>,
    Member(me): Member,
    page: Page,
    State(ctx): State<AppContext>,
    headers: HeaderMap,
    Id(id): Id,
    Form(form): Form<CommentParams>,
) -> Result<Response> {
    create(&v, &me, &page, &ctx, &headers, Parent::Answer(id), &form).await
}

/// The comment `id` if `me` may edit it now.
async fn editable(ctx: &AppContext, me: &CurrentUser, id: i64) -> Result<comments::Found> {
    let found = comments::find_live(&ctx.db, id, false)
        .await?
        .ok_or(AppError::not_found())?;
    if !found.can_edit(me.actor()) {
        return Err(if found.user_id == me.id {
            Error::TooLate.into()
        } else {
            AppError::forbidden()
        });
    }
    Ok(found)
}

#[debug_handler]
async fn edit(
    ViewEngine(v): ViewEngine<TeraView>,
    me: CurrentUser,
    page: Page,
    State(ctx): State<AppContext>,
    Id(id): Id,
) -> Result<Response> {
    let found = editable(&ctx, &me, id).await?;
    let action = format!("/comments/{id}/edit");
    let back = found.url();
    views::comment_form(
        &v,
        &page,
        &action,
        &found.body,
        &FieldErrors::new(),
        Some(&back),
        "",
    )
}

#[debug_handler]
async fn update(
    ViewEngine(v): ViewEngine<TeraView>,
    me: CurrentUser,
    page: Page,
    State(ctx): State<AppContext>,
    Id(id): Id,
    Form(form): Form<CommentParams>,
) -> Result<Response> {
    let found = editable(&ctx, &me, id).await?;
    let (action, back) = (format!("/comments/{id}/edit"), found.url());
    if let Some(preview) = form.preview_html() {
        let none = FieldErrors::new();
        return views::comment_form(&v, &page, &action, &form.body, &none, Some(&back), &preview);
    }
    let body = match form.validate() {
        Ok(body) => body,
        Err(errors) => {
            return views::comment_form(&v, &page, &action, &form.body, &errors, Some(&back), "");
        }
    };
    let url = comments::edit(&ctx.db, me.actor(), id, &body).await?;
    Ok(flash::redirect(&url, Kind::Success, "flash-comment-edited"))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DeleteForm {
    #[serde(default)]
    reason: String,
}

#[debug_handler]
async fn delete(
    me: CurrentUser,
    State(ctx): State<AppContext>,
    Id(id): Id,
    Form(form): Form<DeleteForm>,
) -> Result<Response> {
    let reason: String = form.reason.chars().take(500).collect();
    let back = comments::delete(&ctx.db, me.actor(), id, &reason).await?;
    Ok(flash::redirect(
        &back,
        Kind::Success,
        "flash-comment-deleted",
    ))
}

fn refusal(lang: Lang, err: &Error) -> Option<(StatusCode, String)> {
    let key = match err {
        Error::NotFound => {
            return Some((
                StatusCode::NOT_FOUND,
                crate::i18n::t(lang, "error-404-message"),
            ))
        }
        Error::Own => "comment-error-own",
        Error::Locked => "error-locked",
        _ => return None,
    };
    Some((StatusCode::FORBIDDEN, crate::i18n::t(lang, key)))
}

#[debug_handler]
async fn vote(
    Member(me): Member,
    lang: Lang,
    State(ctx): State<AppContext>,
    headers: HeaderMap,
    Id(id): Id,
) -> Result<Response> {
    let json = wants_json_headers(&headers);
    match comments::vote(&ctx.db, me.actor(), id).await {
        Ok((score, voted)) if json => crate::web::json(serde_json::json!({
            "score": score,
            "user_vote": voted.then_some("up"),
        })),
        Ok(_) => {
            let found = comments::find_live(&ctx.db, id, false)
                .await?
                .ok_or(AppError::not_found())?;
            Ok(Redirect::to(&found.url()).into_response())
        }
        Err(err) if json => match refusal(lang, &err) {
            Some((status, message)) => Ok(json_error(status, message)),
            None => Err(err.into()),
        },
        Err(err) => Err(err.into()),
    }
}

pub fn routes() -> Routes {
    Routes::new()
        .add("/questions/{id}/comments", post(on_question))
        .add("/answers/{id}/comments", post(on_answer))
        .add("/comments/{id}/edit", get(edit).post(update))
        .add("/comments/{id}/delete", post(delete))
        .add("/comments/{id}/vote", post(vote))
}
