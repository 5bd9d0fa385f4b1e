//! Moderation and administration under `/admin`. Every handler takes
//! `StaffUser` (moderators and admins) or `AdminUser`; the access matrix
//! test walks every route listed here. The public flag POST is here too.
use loco_rs::prelude::*;

mod audit;
mod content;
mod dashboard;
mod flag;
mod flags;
mod users;

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
        .merge(flag::routes())
}
