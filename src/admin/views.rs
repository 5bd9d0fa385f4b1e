//! The admin pages and their view-models.
use std::collections::HashMap;

use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use loco_rs::prelude::*;
use serde::Serialize;

use super::{
    audit::AuditRow,
    flags::{OwnFlag, QueueRow, Status},
    moderation::DeletedPost,
};
use crate::{
    audit::Action,
    counters,
    forms::FieldErrors,
    forum::{answers::AnswerSummary, QuestionSummary},
    reviews::ReviewSummary,
    users,
    votes::ledger::HistoryEntry,
    web::{error::Result, present::Pager, Page},
};

/// A tab of a filtered list.
#[derive(Debug, Serialize)]
pub struct Tab {
    pub key: &'static str,
    pub url: String,
    pub active: bool,
}

#[derive(Debug, Serialize)]
pub struct UserAdminView {
    pub id: i64,
    pub username: String,
    pub email: String,
    pub role: String,
    pub reputation: i64,
    pub url: String,
    pub admin_url: String,
    pub joined_ts: i64,
    pub suspended: bool,
    pub suspended_until: Option<String>,
    pub suspension_reason: Option<String>,
    pub deleted: bool,
}

impl UserAdminView {
    #[must_use]
    pub fn new(u: &users::Model, now: DateTime<Utc>) -> Self {
        Self {
            id: u.id,
            username: u.username.clone(),
            email: u.email.clone(),
            role: u.role.clone(),
            reputation: u.reputation,
            url: u.url(),
            admin_url: format!("/admin/users/{}", u.id),
            joined_ts: u.created_at.timestamp(),
            suspended: u.is_suspended(now),
            suspended_until: u
                .suspended_until
                .filter(|t| *t > now)
                .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string()),
            suspension_reason: u.suspension_reason.clone().filter(|_| u.is_suspended(now)),
            deleted: u.is_deleted(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct FlagItem {
    pub id: i64,
    pub kind: &'static str,
    pub target_id: i64,
    pub url: String,
    pub title: String,
    pub excerpt: String,
    pub reason: String,
    pub note: Option<String>,
    pub status: String,
    pub flagger: String,
    pub ts: i64,
    pub target_deleted: bool,
    pub same_target: i64,
}

impl FlagItem {
    #[must_use]
    pub fn new(r: &QueueRow) -> Self {
        let (kind, url) = match r.target_kind {
            1 => (
                "question",
                format!(
                    "/questions/{}/{}",
                    r.target_id,
                    r.question_slug.clone().unwrap_or_default()
                ),
            ),
            2 => (
                "answer",
                format!(
                    "/questions/{}/{}#answer-{}",
                    r.question_id.unwrap_or_default(),
                    r.question_slug.clone().unwrap_or_default(),
                    r.target_id
                ),
            ),
            4 => (
                "comment",
                format!(
                    "/questions/{}/{}#comment-{}",
                    r.question_id.unwrap_or_default(),
                    r.question_slug.clone().unwrap_or_default(),
                    r.target_id
                ),
            ),
            _ => ("review", format!("/reviews/{}", r.target_id)),
        };
        Self {
            id: r.id,
            kind,
            target_id: r.target_id,
            url,
            title: r.title.clone().unwrap_or_default(),
            excerpt: r.excerpt.clone().unwrap_or_default(),
            reason: r.reason.clone(),
            note: r.note.clone(),
            status: r.status.clone(),
            flagger: r.flagger.clone(),
            ts: r.created_at.timestamp(),
            target_deleted: r.target_deleted,
            same_target: r.same_target,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct AuditItem {
    pub id: i64,
    pub action: String,
    /// The Fluent key naming the action ("user.suspend" → "audit-user-suspend").
    pub action_key: String,
    pub target: String,
    pub target_url: Option<String>,
    pub target_user: Option<String>,
    pub actor: String,
    pub reason: Option<String>,
    pub details: Option<String>,
    pub ts: i64,
}

impl AuditItem {
    #[must_use]
    pub fn new(r: &AuditRow) -> Self {
        let target_url = match r.target_kind.as_str() {
            "user" => Some(format!("/admin/users/{}", r.target_id)),
            "question" => Some(format!("/questions/{}", r.target_id)),
            "review" => Some(format!("/reviews/{}", r.target_id)),
            _ => None,
        };
        Self {
            id: r.id,
            action: r.action.clone(),
            action_key: format!("audit-{}", r.action.replace('.', "-")),
            target: format!("{} #{}", r.target_kind, r.target_id),
            target_url,
            target_user: r.target_user_name.clone(),
            actor: r.actor_name.clone(),
            reason: r.reason.clone(),
            details: r.details.clone(),
            ts: r.created_at.timestamp(),
        }
    }
}

/// The dashboard.
///
/// # Errors
/// When the template fails to render.
pub fn dashboard(
    v: &TeraView,
    page: &Page,
    pending: u64,
    flags: &[FlagItem],
    recent: &[AuditItem],
    stats: &HashMap<String, i64>,
) -> Result<Response> {
    let stat = |k: &str| stats.get(k).copied().unwrap_or(0);
    page.render(
        v,
        "admin/dashboard.html",
        data!({
            "section": "dashboard",
            "pending": pending,
            "flags": flags,
            "recent": recent,
            "stats": {
                "users": stat(counters::USERS),
                "questions": stat(counters::QUESTIONS),
                "answers": stat(counters::ANSWERS),
                "reviews": stat(counters::REVIEWS),
            },
        }),
    )
}

/// The flag queue.
///
/// # Errors
/// When the template fails to render.
pub fn flags(
    v: &TeraView,
    page: &Page,
    flags: &[FlagItem],
    tabs: &[Tab],
    status: Status,
    pager: &Pager,
) -> Result<Response> {
    page.render(
        v,
        "admin/flags.html",
        data!({
            "section": "flags",
            "flags": flags,
            "tabs": tabs,
            "status": status.as_str(),
            "pager": pager,
        }),
    )
}

/// The account search.
///
/// # Errors
/// When the template fails to render.
pub fn users(v: &TeraView, page: &Page, q: &str, users: &[UserAdminView]) -> Result<Response> {
    page.render(
        v,
        "admin/users.html",
        data!({ "section": "users", "q": q, "users": users }),
    )
}

/// What the account page shows besides the account.
#[derive(Debug)]
pub struct UserDetail {
    pub history: Vec<HistoryEntry>,
    pub questions: Vec<QuestionSummary>,
    pub answers: Vec<AnswerSummary>,
    pub reviews: Vec<ReviewSummary>,
    pub flags: Vec<OwnFlag>,
    pub sessions: u64,
    pub can_moderate: bool,
    pub is_admin: bool,
}

/// One account, with its forms.
///
/// # Errors
/// When the template fails to render.
pub fn user(
    v: &TeraView,
    page: &Page,
    user: &users::Model,
    d: &UserDetail,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<Response> {
    page.render_status(
        v,
        status,
        "admin/user.html",
        data!({
            "section": "users",
            "user": UserAdminView::new(user, Utc::now()),
            "history": d.history,
            "questions": d.questions,
            "answers": d.answers,
            "reviews": d.reviews,
            "flags": d.flags,
            "sessions": d.sessions,
            "can_moderate": d.can_moderate,
            "is_admin": d.is_admin,
            "roles": ["user", "moderator", "admin"],
            "errors": errors.translate(page.lang()),
            "today": Utc::now().date_naive().to_string(),
        }),
    )
}

/// The audit log.
///
/// # Errors
/// When the template fails to render.
pub fn audit(
    v: &TeraView,
    page: &Page,
    items: &[AuditItem],
    pager: &Pager,
    action: Option<Action>,
    actor: &str,
) -> Result<Response> {
    let actions: Vec<serde_json::Value> = Action::ALL
        .into_iter()
        .map(|a| data!({ "code": a.as_str(), "key": format!("audit-{}", a.as_str().replace('.', "-")) }))
        .collect();
    page.render(
        v,
        "admin/audit.html",
        data!({
            "section": "audit",
            "items": items,
            "pager": pager,
            "actions": actions,
            "filter": { "action": action.map_or("", Action::as_str), "actor": actor },
        }),
    )
}

/// The recently deleted posts.
///
/// # Errors
/// When the template fails to render.
pub fn deleted(v: &TeraView, page: &Page, rows: &[DeletedPost]) -> Result<Response> {
    page.render(
        v,
        "admin/deleted.html",
        data!({ "section": "deleted", "rows": rows }),
    )
}
