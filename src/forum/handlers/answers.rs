//! Answers: post, edit, delete, accept.
use axum::{debug_handler, http::StatusCode};
use loco_rs::prelude::*;

use super::questions::render_page;
use crate::{
    forms::{check_body, preview_html, FieldErrors},
    forum::{
        answers::{self, AcceptOutcome, AnswerParams},
        questions, Error,
    },
    limits::{self, PostKind},
    settings::Settings,
    text::normalize_newlines,
    votes::Votes,
    web::{
        auth::wants_json_headers,
        error::{AppError, Result},
        flash::{self, Kind},
        CurrentUser, Id, Member, Page,
    },
};

#[debug_handler]
async fn create(
    ViewEngine(v): ViewEngine<TeraView>,
    Member(me): Member,
    page: Page,
    State(ctx): State<AppContext>,
    Id(id): Id,
    Form(form): Form<AnswerParams>,
) -> Result<Response> {
    let Some(question) = questions::Model::find_live(&ctx.db, id).await? else {
        return Err(AppError::not_found());
    };
    let body = normalize_newlines(&form.body);
    let mut errors = FieldErrors::new();
    if !form.preview.is_empty() {
        // the Preview button: the page comes back with the draft rendered
        let draft = (body.as_str(), &errors, preview_html(&form.preview, &body));
        return render_page(
            &v,
            &page,
            &ctx,
            (&question, None),
            draft,
            StatusCode::OK,
            false,
        )
        .await;
    }
    let Some(html) = check_body("body", &body, &mut errors) else {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        let draft = (body.as_str(), &errors, String::new());
        return render_page(&v, &page, &ctx, (&question, None), draft, status, false).await;
    };
    let limits = &Settings::get(&ctx).limits;
    limits::post(&ctx.db, limits, PostKind::Answer, me.actor().poster())
        .await?
        .ok()?;
    let answer = answers::Model::create(&ctx.db, question.id, me.id, body, html).await?;
    Ok(flash::redirect(
        &format!("{}#answer-{}", question.url(), answer.id),
        Kind::Success,
        "flash-answer-posted",
    ))
}

#[debug_handler]
async fn destroy(me: CurrentUser, State(ctx): State<AppContext>, Id(id): Id) -> Result<Response> {
    let (answer, question) = answers::Model::find_live(&ctx.db, id)
        .await?
        .ok_or(Error::NotFound)?;
    // deleting is the author's (while the question is open) or staff's
    let own = me.id == answer.user_id && !question.is_locked();
    if !(own || me.is_staff()) {
        return Err(AppError::forbidden());
    }
    answers::set_visibility(&ctx.db, &Votes::get(&ctx), answer.id, me.id, true, "").await?;
    Ok(flash::redirect(
        &question.url(),
        Kind::Info,
        "flash-answer-deleted",
    ))
}

#[debug_handler]
async fn accept(
    me: CurrentUser,
    State(ctx): State<AppContext>,
    headers: axum::http::HeaderMap,
    Id(id): Id,
) -> Result<Response> {
    let outcome = answers::toggle_accept(&ctx.db, &Votes::get(&ctx), id, me.actor()).await?;
    let accepted = outcome == AcceptOutcome::Accepted;
    if wants_json_headers(&headers) {
        return crate::web::json(serde_json::json!({ "accepted": accepted }));
    }
    let (question_url, anchor) = match answers::Model::find_live(&ctx.db, id).await? {
        Some((_, q)) => (q.url(), format!("#answer-{id}")),
        None => ("/questions".to_string(), String::new()),
    };
    let key = if accepted {
        "flash-answer-accepted"
    } else {
        "flash-answer-unaccepted"
    };
    Ok(flash::redirect(
        &format!("{question_url}{anchor}"),
        Kind::Success,
        key,
    ))
}

pub fn routes() -> Routes {
    Routes::new()
        .add("/questions/{id}/answers", post(create))
        .add("/answers/{id}/delete", post(destroy))
        .add("/answers/{id}/accept", post(accept))
}
