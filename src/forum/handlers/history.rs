//! Edit history: GET `/questions/{id}/revisions` and
//! `/answers/{id}/revisions` (every revision with its difference from the
//! one before), and POST `…/revisions/{n}/rollback` (author or staff).
use axum::debug_handler;
use loco_rs::prelude::*;

use crate::{
    forum::{answers, questions},
    revisions::{self, Post},
    web::{
        error::{AppError, Result},
        flash::{self, Kind},
        ids::Number,
        revisions_page::{self as views, History},
        CurrentUser, Id, Page,
    },
};

/// May the viewer roll a post by `author_id` back? Its author while the
/// question is open, and staff.
fn may_roll_back(page: &Page, author_id: i64, open: bool) -> bool {
    page.user()
        .is_some_and(|me| me.is_staff() || (me.id == author_id && open))
}

#[debug_handler]
async fn question_history(
    ViewEngine(v): ViewEngine<TeraView>,
    page: Page,
    State(ctx): State<AppContext>,
    Id(id): Id,
) -> Result<Response> {
    let viewer = page.user().map(CurrentUser::actor);
    let question = questions::Model::find_visible(&ctx.db, id, viewer)
        .await?
        .ok_or(AppError::NotFound)?;
    let list = revisions::list(&ctx.db, Post::Question(id)).await?;
    let open = !question.is_locked() && !question.is_deleted();
    views::history(
        &v,
        &page,
        &History {
            post: Post::Question(id),
            title: &question.title,
            back: &question.url(),
            steps: &revisions::history(&list),
            can_roll_back: may_roll_back(&page, question.user_id, open),
        },
    )
}

#[debug_handler]
async fn answer_history(
    ViewEngine(v): ViewEngine<TeraView>,
    page: Page,
    State(ctx): State<AppContext>,
    Id(id): Id,
) -> Result<Response> {
    let (answer, question) = answers::Model::find_live(&ctx.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let list = revisions::list(&ctx.db, Post::Answer(id)).await?;
    let back = format!("{}#answer-{id}", question.url());
    views::history(
        &v,
        &page,
        &History {
            post: Post::Answer(id),
            title: &question.title,
            back: &back,
            steps: &revisions::history(&list),
            can_roll_back: may_roll_back(&page, answer.user_id, !question.is_locked()),
        },
    )
}

#[debug_handler]
async fn roll_back_question(
    me: CurrentUser,
    State(ctx): State<AppContext>,
    Id(id): Id,
    Number(n): Number,
) -> Result<Response> {
    let question = questions::rollback(&ctx.db, me.actor(), id, n).await?;
    Ok(flash::redirect(
        &question.url(),
        Kind::Success,
        "flash-rolled-back",
    ))
}

#[debug_handler]
async fn roll_back_answer(
    me: CurrentUser,
    State(ctx): State<AppContext>,
    Id(id): Id,
    Number(n): Number,
) -> Result<Response> {
    let (answer, question) = answers::rollback(&ctx.db, me.actor(), id, n).await?;
    Ok(flash::redirect(
        &format!("{}#answer-{}", question.url(), answer.id),
        Kind::Success,
        "flash-rolled-back",
    ))
}

pub fn routes() -> Routes {
    Routes::new()
        .add("/questions/{id}/revisions", get(question_history))
        .add("/answers/{id}/revisions", get(answer_history))
        .add(
            "/questions/{id}/revisions/{n}/rollback",
            post(roll_back_question),
        )
        .add(
            "/answers/{id}/revisions/{n}/rollback",
            post(roll_back_answer),
        )
}
