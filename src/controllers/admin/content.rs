//! Moderators' actions on posts: lock and unlock questions; delete and
//! restore questions, answers and reviews (with their reputation effect);
//! the list of deleted posts.
use axum::debug_handler;
use loco_rs::prelude::*;
use sea_orm::FromQueryResult;
use serde::Deserialize;

use super::clean_reason;
use crate::{
    controllers::questions::parse_id,
    db::Sql,
    models::{
        answers, audit, questions,
        reviews::{self, ReviewError},
    },
    votes::Votes,
    web::{
        flash::{self, Kind},
        Page, StaffUser,
    },
};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReasonForm {
    #[serde(default)]
    reason: String,
}

fn reason_of(form: &ReasonForm) -> Result<String> {
    clean_reason(&form.reason).ok_or_else(|| Error::BadRequest("reason".into()))
}

async fn question(ctx: &AppContext, raw: &str) -> Result<Option<questions::Model>> {
    let Some(id) = parse_id(raw) else {
        return Ok(None);
    };
    Ok(questions::Entity::find_by_id(id).one(&ctx.db).await?)
}

async fn lock_or_unlock(
    v: &TeraView,
    page: &Page,
    ctx: &AppContext,
    me: i64,
    raw: &str,
    form: &ReasonForm,
    locked: bool,
) -> Result<Response> {
    let Some(q) = question(ctx, raw).await? else {
        return page.not_found(v);
    };
    let reason = reason_of(form)?;
    let action = if locked {
        "question.lock"
    } else {
        "question.unlock"
    };
    let entry = audit::Entry::new(me, action, "question", q.id)
        .user(q.user_id)
        .reason(&reason);
    questions::set_locked(&ctx.db, q.id, me, locked, &entry).await?;
    let key = if locked {
        "flash-question-locked"
    } else {
        "flash-question-unlocked"
    };
    Ok(flash::redirect(&q.url(), Kind::Success, key))
}

#[debug_handler]
pub async fn lock(
    ViewEngine(v): ViewEngine<TeraView>,
    StaffUser(me): StaffUser,
    page: Page,
    State(ctx): State<AppContext>,
    Path(id): Path<String>,
    Form(form): Form<ReasonForm>,
) -> Result<Response> {
    lock_or_unlock(&v, &page, &ctx, me.id, &id, &form, true).await
}

#[debug_handler]
pub async fn unlock(
    ViewEngine(v): ViewEngine<TeraView>,
    StaffUser(me): StaffUser,
    page: Page,
    State(ctx): State<AppContext>,
    Path(id): Path<String>,
    Form(form): Form<ReasonForm>,
) -> Result<Response> {
    lock_or_unlock(&v, &page, &ctx, me.id, &id, &form, false).await
}

async fn question_visibility(
    v: &TeraView,
    page: &Page,
    ctx: &AppContext,
    me: i64,
    raw: &str,
    form: &ReasonForm,
    delete: bool,
) -> Result<Response> {
    let Some(q) = question(ctx, raw).await? else {
        return page.not_found(v);
    };
    let reason = reason_of(form)?;
    let action = if delete {
        "post.delete"
    } else {
        "post.restore"
    };
    let entry = audit::Entry::new(me, action, "question", q.id)
        .user(q.user_id)
        .reason(&reason);
    let votes = Votes::get(ctx);
    if delete {
        questions::soft_delete(&ctx.db, &votes, q.id, me, Some(&entry)).await?;
    } else {
        questions::restore(&ctx.db, &votes, q.id, me, Some(&entry)).await?;
    }
    let key = if delete {
        "flash-question-deleted"
    } else {
        "flash-post-restored"
    };
    Ok(flash::redirect(&q.url(), Kind::Success, key))
}

#[debug_handler]
pub async fn delete_question(
    ViewEngine(v): ViewEngine<TeraView>,
    StaffUser(me): StaffUser,
    page: Page,
    State(ctx): State<AppContext>,
    Path(id): Path<String>,
    Form(form): Form<ReasonForm>,
) -> Result<Response> {
    question_visibility(&v, &page, &ctx, me.id, &id, &form, true).await
}

#[debug_handler]
pub async fn restore_question(
    ViewEngine(v): ViewEngine<TeraView>,
    StaffUser(me): StaffUser,
    page: Page,
    State(ctx): State<AppContext>,
    Path(id): Path<String>,
    Form(form): Form<ReasonForm>,
) -> Result<Response> {
    question_visibility(&v, &page, &ctx, me.id, &id, &form, false).await
}

async fn answer_visibility(
    v: &TeraView,
    page: &Page,
    ctx: &AppContext,
    me: i64,
    raw: &str,
    form: &ReasonForm,
    delete: bool,
) -> Result<Response> {
    let Some(answer) = parse_id(raw).map(|id| answers::Entity::find_by_id(id).one(&ctx.db)) else {
        return page.not_found(v);
    };
    let Some(answer) = answer.await? else {
        return page.not_found(v);
    };
    let reason = reason_of(form)?;
    let action = if delete {
        "post.delete"
    } else {
        "post.restore"
    };
    let entry = audit::Entry::new(me, action, "answer", answer.id)
        .user(answer.user_id)
        .reason(&reason);
    let votes = Votes::get(ctx);
    if delete {
        answers::soft_delete(&ctx.db, &votes, answer.id, me, Some(&entry)).await?;
    } else {
        answers::restore(&ctx.db, &votes, answer.id, me, Some(&entry)).await?;
    }
    let url = questions::Entity::find_by_id(answer.question_id)
        .one(&ctx.db)
        .await?
        .map_or_else(
            || "/admin".to_string(),
            |q| format!("{}#answer-{}", q.url(), answer.id),
        );
    let key = if delete {
        "flash-answer-deleted"
    } else {
        "flash-post-restored"
    };
    Ok(flash::redirect(&url, Kind::Success, key))
}

#[debug_handler]
pub async fn delete_answer(
    ViewEngine(v): ViewEngine<TeraView>,
    StaffUser(me): StaffUser,
    page: Page,
    State(ctx): State<AppContext>,
    Path(id): Path<String>,
    Form(form): Form<ReasonForm>,
) -> Result<Response> {
    answer_visibility(&v, &page, &ctx, me.id, &id, &form, true).await
}

#[debug_handler]
pub async fn restore_answer(
    ViewEngine(v): ViewEngine<TeraView>,
    StaffUser(me): StaffUser,
    page: Page,
    State(ctx): State<AppContext>,
    Path(id): Path<String>,
    Form(form): Form<ReasonForm>,
) -> Result<Response> {
    answer_visibility(&v, &page, &ctx, me.id, &id, &form, false).await
}

async fn review_visibility(
    v: &TeraView,
    page: &Page,
    ctx: &AppContext,
    me: i64,
    raw: &str,
    form: &ReasonForm,
    delete: bool,
) -> Result<Response> {
    let Some(review) = parse_id(raw).map(|id| reviews::Entity::find_by_id(id).one(&ctx.db)) else {
        return page.not_found(v);
    };
    let Some(review) = review.await? else {
        return page.not_found(v);
    };
    let reason = reason_of(form)?;
    let action = if delete {
        "post.delete"
    } else {
        "post.restore"
    };
    let entry = audit::Entry::new(me, action, "review", review.id)
        .user(review.user_id)
        .reason(&reason);
    let votes = Votes::get(ctx);
    let result = if delete {
        reviews::soft_delete(&ctx.db, &votes, review.id, me, Some(&entry)).await
    } else {
        reviews::restore(&ctx.db, &votes, review.id, me, Some(&entry)).await
    };
    match result {
        Ok(_) => {
            let key = if delete {
                "flash-review-deleted"
            } else {
                "flash-post-restored"
            };
            Ok(flash::redirect(&review.url(), Kind::Success, key))
        }
        Err(ReviewError::Duplicate(_)) => Ok(flash::redirect(
            &review.url(),
            Kind::Danger,
            "flash-restore-duplicate",
        )),
        Err(ReviewError::Db(e)) => Err(e.into()),
    }
}

#[debug_handler]
pub async fn delete_review(
    ViewEngine(v): ViewEngine<TeraView>,
    StaffUser(me): StaffUser,
    page: Page,
    State(ctx): State<AppContext>,
    Path(id): Path<String>,
    Form(form): Form<ReasonForm>,
) -> Result<Response> {
    review_visibility(&v, &page, &ctx, me.id, &id, &form, true).await
}

#[debug_handler]
pub async fn restore_review(
    ViewEngine(v): ViewEngine<TeraView>,
    StaffUser(me): StaffUser,
    page: Page,
    State(ctx): State<AppContext>,
    Path(id): Path<String>,
    Form(form): Form<ReasonForm>,
) -> Result<Response> {
    review_visibility(&v, &page, &ctx, me.id, &id, &form, false).await
}

#[derive(Debug, FromQueryResult, serde::Serialize)]
struct DeletedRow {
    kind: String,
    id: i64,
    title: String,
    url: String,
    author: String,
    deleted_ts: i64,
}

#[derive(Debug, FromQueryResult)]
struct DeletedRaw {
    kind: String,
    id: i64,
    title: String,
    question_id: i64,
    question_slug: String,
    author: String,
    deleted_at: sea_orm::prelude::DateTimeWithTimeZone,
}

/// The most recently deleted posts, for restoring.
#[debug_handler]
pub async fn deleted(
    ViewEngine(v): ViewEngine<TeraView>,
    StaffUser(_me): StaffUser,
    page: Page,
    State(ctx): State<AppContext>,
) -> Result<Response> {
    let q = Sql::new(
        "SELECT * FROM (SELECT 'question' AS kind, q.id, q.title, q.id AS question_id, q.slug AS question_slug, \
         u.username AS author, q.deleted_at FROM questions q JOIN users u ON u.id = q.user_id WHERE q.deleted_at IS NOT NULL \
         UNION ALL SELECT 'answer' AS kind, a.id, q.title, q.id AS question_id, q.slug AS question_slug, \
         u.username AS author, a.deleted_at FROM answers a JOIN questions q ON q.id = a.question_id \
         JOIN users u ON u.id = a.user_id WHERE a.deleted_at IS NOT NULL \
         UNION ALL SELECT 'review' AS kind, r.id, r.title, 0 AS question_id, '' AS question_slug, \
         u.username AS author, r.deleted_at FROM reviews r JOIN users u ON u.id = r.user_id WHERE r.deleted_at IS NOT NULL) d \
         ORDER BY deleted_at DESC LIMIT 50",
    );
    let rows: Vec<DeletedRow> =
        DeletedRaw::find_by_statement(q.build(ctx.db.get_database_backend()))
            .all(&ctx.db)
            .await?
            .into_iter()
            .map(|r| DeletedRow {
                url: match r.kind.as_str() {
                    "question" => format!("/questions/{}/{}", r.question_id, r.question_slug),
                    "answer" => format!(
                        "/questions/{}/{}#answer-{}",
                        r.question_id, r.question_slug, r.id
                    ),
                    _ => format!("/reviews/{}", r.id),
                },
                deleted_ts: r.deleted_at.timestamp(),
                kind: r.kind,
                id: r.id,
                title: r.title,
                author: r.author,
            })
            .collect();
    page.render(
        &v,
        "admin/deleted.html",
        data!({ "section": "deleted", "rows": rows }),
    )
}
