//! Login, registration and password-reset pages.
use axum::http::StatusCode;
use loco_rs::prelude::*;

use crate::web::error::Result;

use crate::{
    controllers::auth::LoginForm, forms::FieldErrors, models::users::RegisterParams, web::Page,
};

/// # Errors
/// When the template fails to render.
pub fn login(
    v: &TeraView,
    page: &Page,
    form: &LoginForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<Response> {
    page.render_status(
        v,
        status,
        "auth/login.html",
        data!({
            "form": { "login": form.login, "next": form.next },
            "errors": errors,
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
        data!({ "form": form, "errors": errors }),
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
        data!({ "form": { "email": email }, "errors": errors }),
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
        data!({ "token": token, "valid": valid, "errors": errors }),
    )
}

/// The page of a confirmation link that does not work (410).
///
/// # Errors
/// When the template fails to render.
pub fn confirm_invalid(v: &TeraView, page: &Page) -> Result<Response> {
    let hours = crate::models::account_tokens::Purpose::Confirm.lifetime_minutes() / 60;
    page.render_status(
        v,
        StatusCode::GONE,
        "auth/confirm.html",
        data!({ "hours": hours }),
    )
}
