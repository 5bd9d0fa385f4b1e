//! Answers: post, edit, delete, accept.
use axum::{debug_handler, http::StatusCode};
use loco_rs::prelude::*;

use crate::web::error::Result;

use crate::{
    controllers::questions::{load_page, parse_id, visible},
    forms::FieldErrors,
    models::{
        answers::{self, AcceptOutcome, AnswerError, AnswerParams},
        questions::check_body,
    },
    text::normalize_newlines,
    views,
    votes::Votes,
    web::{
        auth::wants_json_headers,
        auth::Member,
        flash::{self, Kind},
        CurrentUser, Page,
    },
};
use crate::{
    limits::{self, PostKind},
    settings::Settings,
};

#[debug_handler]
async fn create(
    ViewEngine(v): ViewEngine<TeraView>,
    Member(me): Member,
    page: Page,
    State(ctx): State<AppContext>,
    Path(id): Path<String>,
    Form(form): Form<AnswerParams>,
) -> Result<Response> {
    let Some(question) = visible(&ctx, None, &id).await? else {
        return page.not_found(&v);
    };
    let body = normalize_newlines(&form.body);
    let mut errors = FieldErrors::new();
    let html = check_body(page.lang(), "body", &body, &mut errors);
    let Some(html) = html else {
        let (qv, avs) = load_page(&ctx, Some(&me), &question).await?;
        return views::questions::show(
            &v,
            &page,
            &qv,
            &avs,
            &body,
            &errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    };
    let limits = &Settings::get(&ctx).limits;
    limits::post(&ctx.db, limits, PostKind::Answer, me.poster())
        .await?
        .ok()?;
    match answers::Model::create(&ctx.db, question.id, me.id, body, html).await {
        Ok(answer) => Ok(flash::redirect(
            &format!("{}#answer-{}", question.url(), answer.id),
            Kind::Success,
            "flash-answer-posted",
        )),
        Err(AnswerError::NotFound) => page.not_found(&v),
        Err(AnswerError::Locked | AnswerError::Forbidden) => page.forbidden(&v),
        Err(AnswerError::Db(e)) => Err(e.into()),
    }
}

/// The live answer and question for `raw_id` that `me` may edit.
async fn editable(
    ctx: &AppContext,
    me: &CurrentUser,
    raw_id: &str,
) -> Result<std::result::Result<(answers::Model, crate::models::questions::Model), StatusCode>> {
    let Some(id) = parse_id(raw_id) else {
        return Ok(Err(StatusCode::NOT_FOUND));
    };
    let Some((answer, question)) = answers::Model::find_live(&ctx.db, id).await? else {
        return Ok(Err(StatusCode::NOT_FOUND));
    };
    if !answer.can_edit(me, &question) {
        return Ok(Err(StatusCode::FORBIDDEN));
    }
    Ok(Ok((answer, question)))
}

#[debug_handler]
async fn edit(
    ViewEngine(v): ViewEngine<TeraView>,
    me: CurrentUser,
    page: Page,
    State(ctx): State<AppContext>,
    Path(id): Path<String>,
) -> Result<Response> {
    let (answer, question) = match editable(&ctx, &me, &id).await? {
        Ok(found) => found,
        Err(status) => return page.error(&v, status),
    };
    render_edit(
        &v,
        &page,
        &answer,
        &question,
        &answer.body,
        &FieldErrors::new(),
        StatusCode::OK,
    )
}

fn render_edit(
    v: &TeraView,
    page: &Page,
    answer: &answers::Model,
    question: &crate::models::questions::Model,
    body: &str,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<Response> {
    page.render_status(
        v,
        status,
        "answers/edit.html",
        data!({
            "action": format!("/answers/{}/edit", answer.id),
            "question": { "title": question.title, "url": question.url() },
            "form": { "body": body },
            "errors": errors,
        }),
    )
}

#[debug_handler]
async fn update(
    ViewEngine(v): ViewEngine<TeraView>,
    me: CurrentUser,
    page: Page,
    State(ctx): State<AppContext>,
    Path(id): Path<String>,
    Form(form): Form<AnswerParams>,
) -> Result<Response> {
    let (answer, question) = match editable(&ctx, &me, &id).await? {
        Ok(found) => found,
        Err(status) => return page.error(&v, status),
    };
    let body = normalize_newlines(&form.body);
    let mut errors = FieldErrors::new();
    let Some(html) = check_body(page.lang(), "body", &body, &mut errors) else {
        return render_edit(
            &v,
            &page,
            &answer,
            &question,
            &body,
            &errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    };
    let limits = &Settings::get(&ctx).limits;
    limits::post(&ctx.db, limits, PostKind::Edit, me.poster())
        .await?
        .ok()?;
    let answer = answer.update_body(&ctx.db, me.id, body, html).await?;
    Ok(flash::redirect(
        &format!("{}#answer-{}", question.url(), answer.id),
        Kind::Success,
        "flash-answer-saved",
    ))
}

#[debug_handler]
async fn destroy(
    ViewEngine(v): ViewEngine<TeraView>,
    me: CurrentUser,
    page: Page,
    State(ctx): State<AppContext>,
    Path(id): Path<String>,
) -> Result<Response> {
    let (answer, question) = match editable(&ctx, &me, &id).await? {
        Ok(found) => found,
        Err(status) => return page.error(&v, status),
    };
    answers::set_visibility(&ctx.db, &Votes::get(&ctx), answer.id, me.id, true, "").await?;
    Ok(flash::redirect(
        &question.url(),
        Kind::Info,
        "flash-answer-deleted",
    ))
}

#[debug_handler]
async fn accept(
    ViewEngine(v): ViewEngine<TeraView>,
    me: CurrentUser,
    page: Page,
    State(ctx): State<AppContext>,
    headers: axum::http::HeaderMap,
    Path(id): Path<String>,
) -> Result<Response> {
    let Some(id) = parse_id(&id) else {
        return page.not_found(&v);
    };
    let outcome = match answers::toggle_accept(&ctx.db, &Votes::get(&ctx), id, &me).await {
        Ok(outcome) => outcome,
        Err(AnswerError::NotFound) => return page.not_found(&v),
        Err(AnswerError::Forbidden | AnswerError::Locked) => return page.forbidden(&v),
        Err(AnswerError::Db(e)) => return Err(e.into()),
    };
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
        .add("/answers/{id}/edit", get(edit).post(update))
        .add("/answers/{id}/delete", post(destroy))
        .add("/answers/{id}/accept", post(accept))
}
