//! Profile and settings pages.
use loco_rs::prelude::*;

use crate::web::error::Result;
use serde::Serialize;

use crate::{
    forms::FieldErrors,
    models::users::{self, Role},
    web::Page,
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
    pub fn new(user: &users::Model, viewer_id: Option<i64>) -> Self {
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
            is_me: viewer_id == Some(user.id),
        }
    }
}

/// The profile settings form, as typed.
#[derive(Debug, Default, Serialize)]
pub struct ProfileForm {
    pub bio: String,
    pub website: String,
    pub birthday: String,
}

/// # Errors
/// When the template fails to render.
pub fn settings_profile(
    v: &TeraView,
    page: &Page,
    form: &ProfileForm,
    avatar_url: Option<String>,
    errors: &FieldErrors,
    status: axum::http::StatusCode,
) -> Result<Response> {
    page.render_status(
        v,
        status,
        "settings/profile.html",
        data!({ "form": form, "avatar_url": avatar_url, "errors": errors, "tab": "profile" }),
    )
}

/// # Errors
/// When the template fails to render.
pub fn settings_password(
    v: &TeraView,
    page: &Page,
    errors: &FieldErrors,
    status: axum::http::StatusCode,
) -> Result<Response> {
    page.render_status(
        v,
        status,
        "settings/password.html",
        data!({ "errors": errors, "tab": "password" }),
    )
}
