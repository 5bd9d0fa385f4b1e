//! Moderators' actions on posts: lock and unlock questions; delete and
//! restore questions, answers and reviews (with their reputation effect);
//! the list of deleted posts.
use axum::debug_handler;
use loco_rs::prelude::*;
use serde::Deserialize;

use crate::{
    admin::{
        moderation::{self, clean_reason},
        views,
    },
    forum::{answers, questions},
    reviews::{self, ReviewError},
    votes::{self, Kind as PostKind, Target, Votes},
    web::{
        error::{AppError, Result},
        flash::{self, Kind},
        Id, Page, StaffUser,
    },
};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReasonForm {
    #[serde(default)]
    reason: String,
}

fn reason_of(form: &ReasonForm) -> Result<String> {
    clean_reason(&form.reason).ok_or_else(|| AppError::bad_request("reason"))
}

async fn lock_or_unlock(
    ctx: &AppContext,
    me: i64,
    id: i64,
    form: &ReasonForm,
    locked: bool,
) -> Result<Response> {
    let q = questions::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let reason = reason_of(form)?;
    questions::set_locked(&ctx.db, q.id, me, locked, &reason).await?;
    let key = if locked {
        "flash-question-locked"
    } else {
        "flash-question-unlocked"
    };
    Ok(flash::redirect(&q.url(), Kind::Success, key))
}

#[debug_handler]
pub async fn lock(
    StaffUser(me): StaffUser,
    State(ctx): State<AppContext>,
    Id(id): Id,
    Form(form): Form<ReasonForm>,
) -> Result<Response> {
    lock_or_unlock(&ctx, me.id, id, &form, true).await
}

#[debug_handler]
pub async fn unlock(
    StaffUser(me): StaffUser,
    State(ctx): State<AppContext>,
    Id(id): Id,
    Form(form): Form<ReasonForm>,
) -> Result<Response> {
    lock_or_unlock(&ctx, me.id, id, &form, false).await
}

/// Deletes (`delete`) or restores any post; the domain audits it and
/// writes the reputation effect in the same transaction.
async fn visibility(
    ctx: &AppContext,
    me: i64,
    target: Target,
    form: &ReasonForm,
    delete: bool,
) -> Result<Response> {
    let Some(url) = votes::post_url(&ctx.db, target).await? else {
        return Err(AppError::not_found());
    };
    let reason = reason_of(form)?;
    let votes = Votes::get(ctx);
    let id = target.id;
    match target.kind {
        PostKind::Question => {
            questions::set_visibility(&ctx.db, &votes, id, me, delete, &reason).await?;
        }
        PostKind::Answer => {
            answers::set_visibility(&ctx.db, &votes, id, me, delete, &reason).await?;
        }
        PostKind::Review => {
            match reviews::set_visibility(&ctx.db, &votes, id, me, delete, &reason).await {
                Ok(_) => {}
                Err(ReviewError::Duplicate(_)) => {
                    return Ok(flash::redirect(
                        &url,
                        Kind::Danger,
                        "flash-restore-duplicate",
                    ));
                }
                Err(err) => return Err(err.into()),
            }
        }
    }
    let key = match (delete, target.kind) {
        (false, _) => "flash-post-restored",
        (true, PostKind::Question) => "flash-question-deleted",
        (true, PostKind::Answer) => "flash-answer-deleted",
        (true, PostKind::Review) => "flash-review-deleted",
    };
    Ok(flash::redirect(&url, Kind::Success, key))
}

/// One handler per route (the access matrix test walks the route list).
macro_rules! visibility_handler {
    ($name:ident, $kind:expr, $delete:expr) => {
        #[debug_handler]
        pub async fn $name(
            StaffUser(me): StaffUser,
            State(ctx): State<AppContext>,
            Id(id): Id,
            Form(form): Form<ReasonForm>,
        ) -> Result<Response> {
            let target = Target { kind: $kind, id };
            visibility(&ctx, me.id, target, &form, $delete).await
        }
    };
}

visibility_handler!(delete_question, PostKind::Question, true);
visibility_handler!(restore_question, PostKind::Question, false);
visibility_handler!(delete_answer, PostKind::Answer, true);
visibility_handler!(restore_answer, PostKind::Answer, false);
visibility_handler!(delete_review, PostKind::Review, true);
visibility_handler!(restore_review, PostKind::Review, false);

/// The most recently deleted posts, for restoring.
#[debug_handler]
pub async fn deleted(
    ViewEngine(v): ViewEngine<TeraView>,
    StaffUser(_me): StaffUser,
    page: Page,
    State(ctx): State<AppContext>,
) -> Result<Response> {
    let rows = moderation::recently_deleted(&ctx.db, 50).await?;
    views::deleted(&v, &page, &rows)
}
