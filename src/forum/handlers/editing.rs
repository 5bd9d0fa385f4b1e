//! Editing someone's question or answer: GET/POST `/questions/{id}/edit`
//! and `/answers/{id}/edit`. The author, staff and users with the edit
//! privilege change the post at once; other users above 1 reputation send
//! the same form as a suggested edit for the review queue.
use axum::{debug_handler, http::StatusCode};
use loco_rs::prelude::*;

use crate::{
    forms::{check_body, FieldErrors},
    forum::{
        answers::{self, AnswerParams},
        editing::{check_summary, edit_right, EditRight},
        questions::{self, QuestionParams},
        suggestions,
        views::{self, AnswerForm, FormMode, QuestionForm},
    },
    limits::{self, PostKind},
    revisions::{Content, EditBy, Post},
    settings::Settings,
    text::normalize_newlines,
    votes::Votes,
    web::{
        error::{AppError, Result},
        flash::{self, Kind},
        CurrentUser, Page,
    },
};

/// What `me` may do to a post by `author_id`, or the refusal to show.
fn right(ctx: &AppContext, me: &CurrentUser, author_id: i64, open: bool) -> Result<EditRight> {
    let min = Votes::get(ctx).rules().settings().edit_min;
    match edit_right(me.actor(), author_id, open, min) {
        EditRight::None if !open => Err(AppError::refused("error-locked")),
        EditRight::None => Err(AppError::needs_reputation(2)),
        right => Ok(right),
    }
}

const fn mode(right: EditRight) -> FormMode {
    match right {
        EditRight::Suggest => FormMode::Suggest,
        _ => FormMode::Edit,
    }
}

async fn question_target(
    ctx: &AppContext,
    me: &CurrentUser,
    id: i64,
) -> Result<(questions::Model, EditRight)> {
    let question = questions::Model::find_visible(&ctx.db, id, Some(me.actor()))
        .await?
        .ok_or(AppError::NotFound)?;
    let open = !question.is_locked() && !question.is_deleted();
    let right = right(ctx, me, question.user_id, open)?;
    Ok((question, right))
}

#[debug_handler]
async fn edit_question(
    ViewEngine(v): ViewEngine<TeraView>,
    me: CurrentUser,
    page: Page,
    State(ctx): State<AppContext>,
    crate::web::Id(id): crate::web::Id,
) -> Result<Response> {
    let (question, right) = question_target(&ctx, &me, id).await?;
    let form = question.form(&ctx.db).await?;
    let action = format!("/questions/{}/edit", question.id);
    let url = question.url();
    views::form(
        &v,
        &page,
        &QuestionForm {
            action: &action,
            form: &form,
            errors: &FieldErrors::new(),
            back: Some(&url),
            mode: mode(right),
            similar: None,
        },
        StatusCode::OK,
    )
}

#[debug_handler]
async fn update_question(
    ViewEngine(v): ViewEngine<TeraView>,
    me: CurrentUser,
    page: Page,
    State(ctx): State<AppContext>,
    crate::web::Id(id): crate::web::Id,
    Form(form): Form<QuestionParams>,
) -> Result<Response> {
    let (question, right) = question_target(&ctx, &me, id).await?;
    let action = format!("/questions/{}/edit", question.id);
    let url = question.url();
    let checked = if form.preview.is_empty() {
        form.validate()
    } else {
        // the Preview button: the form comes back, nothing is saved
        Err(crate::forms::FieldErrors::new())
    };
    let valid = match checked {
        Ok(valid) => valid,
        Err(errors) => {
            let status = if form.preview.is_empty() {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::OK
            };
            return views::form(
                &v,
                &page,
                &QuestionForm {
                    action: &action,
                    form: &form,
                    errors: &errors,
                    back: Some(&url),
                    mode: mode(right),
                    similar: None,
                },
                status,
            );
        }
    };
    let limits = &Settings::get(&ctx).limits;
    limits::post(&ctx.db, limits, PostKind::Edit, me.actor().poster())
        .await?
        .ok()?;
    if right == EditRight::Suggest {
        let content = valid.content();
        let current = question.form(&ctx.db).await?;
        if current.title == valid.title
            && current.body == valid.body
            && content.tags
                == Some(
                    current
                        .tags
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" "),
                )
        {
            return Ok(flash::redirect(&url, Kind::Info, "flash-no-change"));
        }
        let post = Post::Question(question.id);
        suggestions::suggest(&ctx.db, me.actor(), post, &content, &valid.summary).await?;
        return Ok(flash::redirect(
            &url,
            Kind::Success,
            "flash-suggestion-sent",
        ));
    }
    let summary = valid.summary.clone();
    let question = question
        .update_content(&ctx.db, EditBy::edit(me.id, Some(&summary)), valid)
        .await?;
    Ok(flash::redirect(
        &question.url(),
        Kind::Success,
        "flash-question-saved",
    ))
}

async fn answer_target(
    ctx: &AppContext,
    me: &CurrentUser,
    id: i64,
) -> Result<(answers::Model, questions::Model, EditRight)> {
    let (answer, question) = answers::Model::find_live(&ctx.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let open = !question.is_locked() && !question.is_deleted();
    let right = right(ctx, me, answer.user_id, open)?;
    Ok((answer, question, right))
}

#[debug_handler]
async fn edit_answer(
    ViewEngine(v): ViewEngine<TeraView>,
    me: CurrentUser,
    page: Page,
    State(ctx): State<AppContext>,
    crate::web::Id(id): crate::web::Id,
) -> Result<Response> {
    let (answer, question, right) = answer_target(&ctx, &me, id).await?;
    views::answer_form(
        &v,
        &page,
        &AnswerForm {
            answer_id: answer.id,
            question: &question,
            body: &answer.body,
            summary: "",
            errors: &FieldErrors::new(),
            mode: mode(right),
            preview_html: String::new(),
        },
        StatusCode::OK,
    )
}

#[debug_handler]
async fn update_answer(
    ViewEngine(v): ViewEngine<TeraView>,
    me: CurrentUser,
    page: Page,
    State(ctx): State<AppContext>,
    crate::web::Id(id): crate::web::Id,
    Form(form): Form<AnswerParams>,
) -> Result<Response> {
    let (answer, question, right) = answer_target(&ctx, &me, id).await?;
    let body = normalize_newlines(&form.body);
    let summary = form.summary.trim();
    let mut errors = FieldErrors::new();
    let previewing = !form.preview.is_empty();
    let html = if previewing {
        None
    } else {
        check_body("body", &body, &mut errors)
    };
    check_summary(summary, &mut errors);
    let (Some(html), true) = (html, errors.is_empty()) else {
        // refused, or the Preview button: the form comes back
        let status = if previewing {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        return views::answer_form(
            &v,
            &page,
            &AnswerForm {
                answer_id: answer.id,
                question: &question,
                body: &body,
                summary,
                errors: &errors,
                mode: mode(right),
                preview_html: crate::forms::preview_html(&form.preview, &body),
            },
            status,
        );
    };
    let limits = &Settings::get(&ctx).limits;
    limits::post(&ctx.db, limits, PostKind::Edit, me.actor().poster())
        .await?
        .ok()?;
    let back = format!("{}#answer-{}", question.url(), answer.id);
    if right == EditRight::Suggest {
        if body == answer.body {
            return Ok(flash::redirect(&back, Kind::Info, "flash-no-change"));
        }
        let content = Content {
            body,
            ..Default::default()
        };
        suggestions::suggest(
            &ctx.db,
            me.actor(),
            Post::Answer(answer.id),
            &content,
            summary,
        )
        .await?;
        return Ok(flash::redirect(
            &back,
            Kind::Success,
            "flash-suggestion-sent",
        ));
    }
    answer
        .update_body(&ctx.db, EditBy::edit(me.id, Some(summary)), body, html)
        .await?;
    Ok(flash::redirect(&back, Kind::Success, "flash-answer-saved"))
}

pub fn routes() -> Routes {
    Routes::new()
        .add(
            "/questions/{id}/edit",
            get(edit_question).post(update_question),
        )
        .add("/answers/{id}/edit", get(edit_answer).post(update_answer))
}
