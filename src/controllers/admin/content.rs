//! Moderators' actions on posts: lock and unlock questions; delete and
//! restore questions, answers and reviews (with their reputation effect);
//! the list of deleted posts.
use axum::debug_handler;
use loco_rs::prelude::*;

use crate::web::error::{AppError, Result};
use sea_orm::FromQueryResult;
use serde::Deserialize;

use super::clean_reason;
use crate::{
    controllers::{questions::parse_id, votes::post_url},
    db::Sql,
    models::{
        answers, questions,
        reviews::{self, ReviewError},
    },
    votes::{Kind as PostKind, Target, Votes},
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
    clean_reason(&form.reason).ok_or_else(|| AppError::bad_request("reason"))
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
    let Some(id) = parse_id(raw) else {
        return page.not_found(v);
    };
    let Some(q) = questions::Entity::find_by_id(id).one(&ctx.db).await? else {
        return page.not_found(v);
    };
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

/// Deletes (`delete`) or restores any post; the model audits it and writes
/// the reputation effect in the same transaction.
async fn visibility(
    v: &TeraView,
    page: &Page,
    ctx: &AppContext,
    me: i64,
    (kind, raw): (PostKind, &str),
    form: &ReasonForm,
    delete: bool,
) -> Result<Response> {
    let Some(id) = parse_id(raw) else {
        return page.not_found(v);
    };
    let Some(url) = post_url(ctx, Target { kind, id }).await? else {
        return page.not_found(v);
    };
    let reason = reason_of(form)?;
    let votes = Votes::get(ctx);
    match kind {
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
                Err(ReviewError::Db(e)) => return Err(e.into()),
            }
        }
    }
    let key = match (delete, kind) {
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
            ViewEngine(v): ViewEngine<TeraView>,
            StaffUser(me): StaffUser,
            page: Page,
            State(ctx): State<AppContext>,
            Path(id): Path<String>,
            Form(form): Form<ReasonForm>,
        ) -> Result<Response> {
            visibility(&v, &page, &ctx, me.id, ($kind, &id), &form, $delete).await
        }
    };
}

visibility_handler!(delete_question, PostKind::Question, true);
visibility_handler!(restore_question, PostKind::Question, false);
visibility_handler!(delete_answer, PostKind::Answer, true);
visibility_handler!(restore_answer, PostKind::Answer, false);
visibility_handler!(delete_review, PostKind::Review, true);
visibility_handler!(restore_review, PostKind::Review, false);

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
