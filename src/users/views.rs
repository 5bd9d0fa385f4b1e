//! The users module's pages: login, registration, password reset, address
//! confirmation, profiles and settings.
use axum::http::StatusCode;
use loco_rs::prelude::*;
use serde::Serialize;

use super::{
    accounts::{ActivityCounts, Model, RegisterParams, Role},
    profile::ProfileForm,
    tokens::Purpose,
};
use crate::{
    admin::flags::OwnFlag,
    forms::FieldErrors,
    forum::{answers::AnswerSummary, QuestionSummary},
    notifications::follows::Followed,
    web::{error::Result, present, Page},
};

/// A user as the public profile shows them.
#[derive(Debug, Serialize)]
pub struct ProfileView {
    pub username: String,
    pub url: String,
    pub avatar_url: Option<String>,
    pub bio: String,
    pub website: Option<String>,
    pub birthday: Option<String>,
    pub reputation: i64,
    pub role: Role,
    pub joined_ts: i64,
    pub joined_date: String,
    pub is_me: bool,
}

impl ProfileView {
    #[must_use]
    pub fn new(user: &Model, is_me: bool) -> Self {
        Self {
            username: user.username.clone(),
            url: user.url(),
            avatar_url: user.avatar_url(),
            bio: user.bio.clone(),
            website: user.website.clone(),
            birthday: user.birthday.map(|d| d.format("%Y-%m-%d").to_string()),
            reputation: user.reputation,
            role: user.role(),
            joined_ts: user.created_at.timestamp(),
            joined_date: user.created_at.format("%Y-%m-%d").to_string(),
            is_me,
        }
    }
}

/// A public profile.
///
/// # Errors
/// When the template fails to render.
pub fn profile(
    v: &TeraView,
    page: &Page,
    profile: &ProfileView,
    counts: &ActivityCounts,
    (questions, answers): (&[QuestionSummary], &[AnswerSummary]),
    my_flags: &[OwnFlag],
    following: &[Followed],
) -> Result<Response> {
    page.render(
        v,
        "users/show.html",
        data!({
            "my_flags": my_flags,
            "following": following,
            "profile": profile,
            "counts": counts,
            "question_rows": present::question_rows(v, page, questions, 3)?,
            "answers": answers,
        }),
    )
}

/// # Errors
/// When the template fails to render.
pub fn settings_profile(
    v: &TeraView,
    page: &Page,
    form: &ProfileForm,
    avatar_url: Option<String>,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<Response> {
    page.render_status(
        v,
        status,
        "settings/profile.html",
        data!({ "form": form, "avatar_url": avatar_url, "errors": errors.translate(page.lang()), "tab": "profile" }),
    )
}

/// # Errors
/// When the template fails to render.
pub fn settings_password(
    v: &TeraView,
    page: &Page,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<Response> {
    page.render_status(
        v,
        status,
        "settings/password.html",
        data!({ "errors": errors.translate(page.lang()), "tab": "password" }),
    )
}

/// # Errors
/// When the template fails to render.
pub fn login(
    v: &TeraView,
    page: &Page,
    (login, next): (&str, &str),
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<Response> {
    page.render_status(
        v,
        status,
        "auth/login.html",
        data!({
            "form": { "login": login, "next": next },
            "errors": errors.translate(page.lang()),
        }),
    )
}

/// # Errors
/// When the template fails to render.
pub fn register(
    v: &TeraView,
    page: &Page,
    form: &RegisterParams,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<Response> {
    page.render_status(
        v,
        status,
        "auth/register.html",
        data!({ "form": form, "errors": errors.translate(page.lang()) }),
    )
}

/// # Errors
/// When the template fails to render.
pub fn forgot(
    v: &TeraView,
    page: &Page,
    email: &str,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<Response> {
    page.render_status(
        v,
        status,
        "auth/forgot.html",
        data!({ "form": { "email": email }, "errors": errors.translate(page.lang()) }),
    )
}

/// # Errors
/// When the template fails to render.
pub fn reset(
    v: &TeraView,
    page: &Page,
    token: &str,
    valid: bool,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<Response> {
    page.render_status(
        v,
        status,
        "auth/reset.html",
        data!({ "token": token, "valid": valid, "errors": errors.translate(page.lang()) }),
    )
}

/// The page of a confirmation link that does not work (410).
///
/// # Errors
/// When the template fails to render.
pub fn confirm_invalid(v: &TeraView, page: &Page) -> Result<Response> {
    let hours = Purpose::Confirm.lifetime_minutes() / 60;
    page.render_status(
        v,
        StatusCode::GONE,
        "auth/confirm.html",
        data!({ "hours": hours }),
    )
}
