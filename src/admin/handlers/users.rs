//! Accounts: search, details, suspend and reinstate, roles, reputation
//! adjustments, "log out everywhere".
use axum::{debug_handler, extract::Query, http::StatusCode};
use chrono::{NaiveDate, NaiveTime, Utc};
use loco_rs::prelude::*;

use serde::Deserialize;

use crate::{
    admin::{
        flags,
        moderation::{self, clean_reason, required_reason},
        views::{self, UserAdminView, UserDetail},
    },
    forms::{FieldErrors, Value},
    forum::{answers, questions},
    reviews,
    users::{self, sessions, Role},
    votes::{ledger, Votes},
    web::{
        error::{AppError, Result},
        flash::{self, Kind},
        AdminUser, CurrentUser, Id, Page, StaffUser,
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
    let found = users::Model::search(&ctx.db, &term, 50).await?;
    let now = Utc::now();
    let rows: Vec<UserAdminView> = found.iter().map(|u| UserAdminView::new(u, now)).collect();
    views::users(&v, &page, &term, &rows)
}

async fn load(ctx: &AppContext, id: i64) -> Result<users::Model> {
    users::Model::find_by_id_any(&ctx.db, id)
        .await?
        .ok_or(AppError::NotFound)
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
    let (history, ..) = ledger::history(&ctx.db, (user.id, user.ledger_rows), 1).await?;
    let detail = UserDetail {
        history: history.into_iter().take(HISTORY).collect(),
        questions: questions::latest_by_user(&ctx.db, user.id, 5).await?,
        answers: answers::latest_by_user(&ctx.db, user.id, 5).await?,
        reviews: reviews::latest_by_user(&ctx.db, user.id, 5).await?,
        flags: flags::by_user(&ctx.db, user.id, 10).await?,
        sessions: sessions::live(&ctx.db, user.id).await?,
        can_moderate: page
            .user()
            .is_some_and(|m| moderation::may_moderate(m.actor(), user)),
        is_admin: page.user().is_some_and(CurrentUser::is_admin),
    };
    views::user(v, page, user, &detail, errors, status)
}

#[debug_handler]
pub async fn show(
    ViewEngine(v): ViewEngine<TeraView>,
    StaffUser(_me): StaffUser,
    page: Page,
    State(ctx): State<AppContext>,
    Id(id): Id,
) -> Result<Response> {
    let user = load(&ctx, id).await?;
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

/// The user `id`, if `me` may act on them.
async fn target(ctx: &AppContext, me: &CurrentUser, id: i64) -> Result<users::Model> {
    let user = load(ctx, id).await?;
    if !moderation::may_moderate(me.actor(), &user) {
        return Err(AppError::forbidden());
    }
    Ok(user)
}

#[debug_handler]
pub async fn suspend(
    ViewEngine(v): ViewEngine<TeraView>,
    StaffUser(me): StaffUser,
    page: Page,
    State(ctx): State<AppContext>,
    Id(id): Id,
    Form(form): Form<SuspendForm>,
) -> Result<Response> {
    let user = target(&ctx, &me, id).await?;
    let mut errors = FieldErrors::new();
    let today = Utc::now().date_naive();
    let until = NaiveDate::parse_from_str(form.until.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| *d > today && d.years_since(today).unwrap_or(0) < 100);
    if until.is_none() {
        errors.add("until", "error-suspend-until");
    }
    let reason = required_reason(&form.reason, &mut errors, "reason");
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
    moderation::suspend(
        &ctx.db,
        &Votes::get(&ctx),
        me.actor(),
        &user,
        until,
        &reason,
    )
    .await?;
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
    StaffUser(me): StaffUser,
    State(ctx): State<AppContext>,
    Id(id): Id,
    Form(form): Form<ReasonForm>,
) -> Result<Response> {
    let user = target(&ctx, &me, id).await?;
    let reason = clean_reason(&form.reason).ok_or_else(|| AppError::bad_request("reason"))?;
    moderation::unsuspend(&ctx.db, &Votes::get(&ctx), me.actor(), &user, &reason).await?;
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
    Id(id): Id,
    Form(form): Form<RoleForm>,
) -> Result<Response> {
    let user = target(&ctx, &me, id).await?;
    let role = Role::parse(&form.role).ok_or_else(|| AppError::bad_request("role"))?;
    // a change of rights is always explained in the log
    let mut errors = FieldErrors::new();
    let Some(reason) = required_reason(&form.reason, &mut errors, "role_reason") else {
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
    moderation::set_role(&ctx.db, me.actor(), &user, role, &reason).await?;
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
    Id(id): Id,
    Form(form): Form<ReputationForm>,
) -> Result<Response> {
    let user = target(&ctx, &me, id).await?;
    let mut errors = FieldErrors::new();
    let delta = form
        .delta
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|d| *d != 0 && d.abs() <= 100_000);
    if delta.is_none() {
        errors.add_with("delta", "error-delta", vec![("max", Value::Num(100_000))]);
    }
    let reason = required_reason(&form.reason, &mut errors, "adjust_reason");
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
        me.actor(),
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
    AdminUser(me): AdminUser,
    State(ctx): State<AppContext>,
    Id(id): Id,
    Form(form): Form<ReasonForm>,
) -> Result<Response> {
    let user = target(&ctx, &me, id).await?;
    let reason = clean_reason(&form.reason).ok_or_else(|| AppError::bad_request("reason"))?;
    moderation::logout_everywhere(&ctx.db, me.actor(), &user, &reason).await?;
    Ok(flash::redirect(
        &format!("/admin/users/{}", user.id),
        Kind::Success,
        "flash-user-logged-out",
    ))
}
