//! View-models of the admin pages.
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::models::{audit::AuditRow, flags::QueueRow, users};

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
