//! Moderation and administration under `/admin`. Every handler takes
//! `StaffUser` (moderators and admins) or `AdminUser`; the access matrix
//! test walks every route listed here.
use loco_rs::prelude::*;

use crate::{
    forms::FieldErrors,
    i18n::{Arg, Lang},
};

pub mod audit;
pub mod content;
pub mod dashboard;
pub mod flags;
pub mod users;

/// Routes only admins may use (the rest of `/admin` is for moderators too).
pub const ADMIN_ONLY: &[&str] = &[
    "/admin/users/{id}/role",
    "/admin/users/{id}/reputation",
    "/admin/users/{id}/logout",
];

pub fn routes() -> Routes {
    Routes::new()
        .add("/admin", get(dashboard::index))
        .add("/admin/flags", get(flags::index))
        .add("/admin/flags/{id}/resolve", post(flags::resolve))
        .add("/admin/users", get(users::index))
        .add("/admin/users/{id}", get(users::show))
        .add("/admin/users/{id}/suspend", post(users::suspend))
        .add("/admin/users/{id}/unsuspend", post(users::unsuspend))
        .add("/admin/users/{id}/role", post(users::role))
        .add("/admin/users/{id}/reputation", post(users::reputation))
        .add("/admin/users/{id}/logout", post(users::logout))
        .add("/admin/questions/{id}/lock", post(content::lock))
        .add("/admin/questions/{id}/unlock", post(content::unlock))
        .add(
            "/admin/questions/{id}/delete",
            post(content::delete_question),
        )
        .add(
            "/admin/questions/{id}/restore",
            post(content::restore_question),
        )
        .add("/admin/answers/{id}/delete", post(content::delete_answer))
        .add("/admin/answers/{id}/restore", post(content::restore_answer))
        .add("/admin/reviews/{id}/delete", post(content::delete_review))
        .add("/admin/reviews/{id}/restore", post(content::restore_review))
        .add("/admin/deleted", get(content::deleted))
        .add("/admin/audit", get(audit::index))
}

/// Longest reason a moderation form accepts, in characters.
pub const REASON_MAX: usize = 500;

/// A reason typed into a moderation form: trimmed, at most `REASON_MAX`
/// characters, no control characters. `None` when it breaks those rules.
#[must_use]
pub fn clean_reason(raw: &str) -> Option<String> {
    let reason = raw.trim();
    (reason.chars().count() <= REASON_MAX && !crate::text::has_forbidden_chars(reason, true))
        .then(|| reason.to_string())
}

/// A reason the form cannot do without; when it is empty or invalid the
/// message goes to `errors[field]`.
pub fn required_reason(
    raw: &str,
    lang: Lang,
    errors: &mut FieldErrors,
    field: &str,
) -> Option<String> {
    let reason = clean_reason(raw).filter(|r| !r.is_empty());
    if reason.is_none() {
        let max = i64::try_from(REASON_MAX).unwrap_or(i64::MAX);
        errors.add_args(
            lang,
            field,
            "error-reason-required",
            &[("max", Arg::Num(max))],
        );
    }
    reason
}
