//! Accounts: search, details, suspend and reinstate, roles, reputation
//! adjustments, "log out everywhere".
use axum::{debug_handler, extract::Query, http::StatusCode};
use chrono::{NaiveDate, NaiveTime, Utc};
use loco_rs::prelude::*;

use crate::web::error::{AppError, Result};
use serde::Deserialize;

use super::{clean_reason, required_reason};
use crate::{
    controllers::questions::parse_id,
    forms::FieldErrors,
    i18n::Arg,
    models::{
        answers, flags, moderation,
        questions::{self, ListFilter},
        reviews::{self, ReviewFilter, Total},
        users::{self, Role},
    },
    views::{
        admin::UserAdminView, leaderboard::HistoryItem, questions::QuestionItem,
        reviews::ReviewItem,
    },
    votes::{ledger, Votes},
    web::{
        flash::{self, Kind},
        AdminUser, CurrentUser, Page, StaffUser,
    },
};

#[derive(Debug, Default, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: Option<String>,
}

#[debug_handler]
pub async fn index(
    ViewEngine(v): ViewEngine<TeraView>,
    StaffUser(_me): StaffUser,
    page: Page,
    State(ctx): State<AppContext>,
    Query(q): Query<SearchQuery>,
) -> Result<Response> {
    let term =
        q.q.as_deref()
            .map(str::trim)
            .unwrap_or("")
            .chars()
            .take(100)
            .collect::<String>();
    let found = if term.is_empty() {
        users::Entity::find()
            .order_by_desc(users::Column::Id)
            .limit(50)
            .all(&ctx.db)
            .await?
    } else {
        users::Model::search(&ctx.db, &term, 50).await?
    };
    let now = Utc::now();
    let rows: Vec<UserAdminView> = found.iter().map(|u| UserAdminView::new(u, now)).collect();
    page.render(
        &v,
        "admin/users.html",
        data!({ "section": "users", "q": term, "users": rows }),
    )
}

async fn load(ctx: &AppContext, raw: &str) -> Result<Option<users::Model>> {
    let Some(id) = parse_id(raw) else {
        return Ok(None);
    };
    Ok(users::Entity::find_by_id(id).one(&ctx.db).await?)
}

/// Ledger rows on the detail page; the full history is one link away.
const HISTORY: usize = 10;

async fn render_user(
    v: &TeraView,
    page: &Page,
    ctx: &AppContext,
    user: &users::Model,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<Response> {
    let (history, ..) = ledger::history(&ctx.db, user.id, 1).await?;
    let questions = questions::list(
        &ctx.db,
        &ListFilter {
            user_id: Some(user.id),
            page: 1,
            per_page: Some(5),
            latest_only: true,
            ..Default::default()
        },
    )
    .await?;
    let answers = answers::latest_by_user(&ctx.db, user.id, 5).await?;
    let (reviews, ..) = reviews::list(
        &ctx.db,
        &ReviewFilter {
            user_id: Some(user.id),
            ..Default::default()
        },
        1,
        5,
        Total::Skip,
    )
    .await?;
    let flags = flags::by_user(&ctx.db, user.id, 10).await?;
    let sessions = user.live_sessions(&ctx.db).await?;
    let me = page.user().cloned();
    let can_moderate = me
        .as_ref()
        .is_some_and(|m| moderation::may_moderate(m, user));
    page.render_status(
        v,
        status,
        "admin/user.html",
        data!({
            "section": "users",
            "user": UserAdminView::new(user, Utc::now()),
            "history": history.iter().take(HISTORY).map(HistoryItem::new).collect::<Vec<_>>(),
            "questions": QuestionItem::list(&questions),
            "answers": answers.iter().map(|a| data!({
                "url": format!("/questions/{}/{}#answer-{}", a.question_id, a.question_slug, a.id),
                "title": a.question_title,
                "score": a.score,
            })).collect::<Vec<_>>(),
            "reviews": ReviewItem::list(&reviews),
            "flags": flags.iter().map(|f| data!({
                "kind": f.target_kind, "id": f.target_id, "reason": f.reason, "status": f.status,
            })).collect::<Vec<_>>(),
            "sessions": sessions,
            "can_moderate": can_moderate,
            "is_admin": me.as_ref().is_some_and(CurrentUser::is_admin),
            "roles": ["user", "moderator", "admin"],
            "errors": errors,
            "today": Utc::now().date_naive().to_string(),
        }),
    )
}

#[debug_handler]
pub async fn show(
    ViewEngine(v): ViewEngine<TeraView>,
    StaffUser(_me): StaffUser,
    page: Page,
    State(ctx): State<AppContext>,
    Path(id): Path<String>,
) -> Result<Response> {
    let Some(user) = load(&ctx, &id).await? else {
        return page.not_found(&v);
    };
    render_user(&v, &page, &ctx, &user, &FieldErrors::new(), StatusCode::OK).await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuspendForm {
    #[serde(default)]
    until: String,
    #[serde(default)]
    reason: String,
}

/// The user `raw` if `me` may act on them; otherwise the page to show.
async fn target(
    v: &TeraView,
    page: &Page,
    ctx: &AppContext,
    me: &CurrentUser,
    raw: &str,
) -> Result<std::result::Result<users::Model, Response>> {
    let Some(user) = load(ctx, raw).await? else {
        return Ok(Err(page.not_found(v)?));
    };
    if !moderation::may_moderate(me, &user) {
        return Ok(Err(page.forbidden(v)?));
    }
    Ok(Ok(user))
}

#[debug_handler]
pub async fn suspend(
    ViewEngine(v): ViewEngine<TeraView>,
    StaffUser(me): StaffUser,
    page: Page,
    State(ctx): State<AppContext>,
    Path(id): Path<String>,
    Form(form): Form<SuspendForm>,
) -> Result<Response> {
    let user = match target(&v, &page, &ctx, &me, &id).await? {
        Ok(user) => user,
        Err(res) => return Ok(res),
    };
    let lang = page.lang();
    let mut errors = FieldErrors::new();
    let today = Utc::now().date_naive();
    let until = NaiveDate::parse_from_str(form.until.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| *d > today && d.years_since(today).unwrap_or(0) < 100);
    if until.is_none() {
        errors.add(lang, "until", "error-suspend-until");
    }
    let reason = required_reason(&form.reason, lang, &mut errors, "reason");
    let (Some(until), Some(reason)) = (until, reason) else {
        return render_user(
            &v,
            &page,
            &ctx,
            &user,
            &errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let until = until.and_time(NaiveTime::MIN).and_utc();
    moderation::suspend(&ctx.db, &Votes::get(&ctx), &me, &user, until, &reason).await?;
    Ok(flash::redirect(
        &format!("/admin/users/{}", user.id),
        Kind::Success,
        "flash-user-suspended",
    ))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReasonForm {
    #[serde(default)]
    reason: String,
}

#[debug_handler]
pub async fn unsuspend(
    ViewEngine(v): ViewEngine<TeraView>,
    StaffUser(me): StaffUser,
    page: Page,
    State(ctx): State<AppContext>,
    Path(id): Path<String>,
    Form(form): Form<ReasonForm>,
) -> Result<Response> {
    let user = match target(&v, &page, &ctx, &me, &id).await? {
        Ok(user) => user,
        Err(res) => return Ok(res),
    };
    let reason = clean_reason(&form.reason).ok_or_else(|| AppError::bad_request("reason"))?;
    moderation::unsuspend(&ctx.db, &Votes::get(&ctx), &me, &user, &reason).await?;
    Ok(flash::redirect(
        &format!("/admin/users/{}", user.id),
        Kind::Success,
        "flash-user-unsuspended",
    ))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleForm {
    #[serde(default)]
    role: String,
    #[serde(default)]
    reason: String,
}

#[debug_handler]
pub async fn role(
    ViewEngine(v): ViewEngine<TeraView>,
    AdminUser(me): AdminUser,
    page: Page,
    State(ctx): State<AppContext>,
    Path(id): Path<String>,
    Form(form): Form<RoleForm>,
) -> Result<Response> {
    let user = match target(&v, &page, &ctx, &me, &id).await? {
        Ok(user) => user,
        Err(res) => return Ok(res),
    };
    let role = Role::parse(&form.role).ok_or_else(|| AppError::bad_request("role"))?;
    // a change of rights is always explained in the log
    let mut errors = FieldErrors::new();
    let Some(reason) = required_reason(&form.reason, page.lang(), &mut errors, "role_reason")
    else {
        return render_user(
            &v,
            &page,
            &ctx,
            &user,
            &errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    moderation::set_role(&ctx.db, &me, &user, role, &reason).await?;
    Ok(flash::redirect(
        &format!("/admin/users/{}", user.id),
        Kind::Success,
        "flash-user-role",
    ))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReputationForm {
    #[serde(default)]
    delta: String,
    #[serde(default)]
    reason: String,
}

#[debug_handler]
pub async fn reputation(
    ViewEngine(v): ViewEngine<TeraView>,
    AdminUser(me): AdminUser,
    page: Page,
    State(ctx): State<AppContext>,
    Path(id): Path<String>,
    Form(form): Form<ReputationForm>,
) -> Result<Response> {
    let user = match target(&v, &page, &ctx, &me, &id).await? {
        Ok(user) => user,
        Err(res) => return Ok(res),
    };
    let lang = page.lang();
    let mut errors = FieldErrors::new();
    let delta = form
        .delta
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|d| *d != 0 && d.abs() <= 100_000);
    if delta.is_none() {
        errors.add_args(lang, "delta", "error-delta", &[("max", Arg::Num(100_000))]);
    }
    let reason = required_reason(&form.reason, lang, &mut errors, "adjust_reason");
    let (Some(delta), Some(reason)) = (delta, reason) else {
        return render_user(
            &v,
            &page,
            &ctx,
            &user,
            &errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    moderation::adjust_reputation(
        &ctx.db,
        &Votes::get(&ctx),
        &me,
        &user,
        delta,
        &reason,
        Utc::now().date_naive(),
    )
    .await?;
    Ok(flash::redirect(
        &format!("/admin/users/{}", user.id),
        Kind::Success,
        "flash-user-reputation",
    ))
}

#[debug_handler]
pub async fn logout(
    ViewEngine(v): ViewEngine<TeraView>,
    AdminUser(me): AdminUser,
    page: Page,
    State(ctx): State<AppContext>,
    Path(id): Path<String>,
    Form(form): Form<ReasonForm>,
) -> Result<Response> {
    let user = match target(&v, &page, &ctx, &me, &id).await? {
        Ok(user) => user,
        Err(res) => return Ok(res),
    };
    let reason = clean_reason(&form.reason).ok_or_else(|| AppError::bad_request("reason"))?;
    moderation::logout_everywhere(&ctx.db, &me, &user, &reason).await?;
    Ok(flash::redirect(
        &format!("/admin/users/{}", user.id),
        Kind::Success,
        "flash-user-logged-out",
    ))
}
