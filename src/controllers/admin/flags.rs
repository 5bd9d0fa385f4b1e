//! The flag queue and its resolution.
use axum::{debug_handler, extract::Query};
use loco_rs::prelude::*;

use crate::web::error::{AppError, Result};
use serde::Deserialize;

use crate::{
    controllers::questions::parse_id,
    models::flags::{self, Followup},
    views::{
        admin::FlagItem,
        shared::{parse_page, url_with, Pager},
    },
    votes::Votes,
    web::{
        flash::{self, Kind},
        Page, StaffUser,
    },
};

#[derive(Debug, Default, Deserialize)]
pub struct QueueQuery {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    page: Option<String>,
}

#[debug_handler]
pub async fn index(
    ViewEngine(v): ViewEngine<TeraView>,
    StaffUser(_me): StaffUser,
    page: Page,
    State(ctx): State<AppContext>,
    Query(q): Query<QueueQuery>,
) -> Result<Response> {
    let status = match q.status.as_deref() {
        Some("helpful") => "helpful",
        Some("declined") => "declined",
        _ => "pending",
    };
    let n = parse_page(q.page.as_deref()).min(500);
    let rows: Vec<FlagItem> = flags::queue(&ctx.db, status, n)
        .await?
        .iter()
        .map(FlagItem::new)
        .collect();
    let pages = if rows.len() as u64 == flags::PER_PAGE {
        n + 1
    } else {
        n
    };
    let pager = Pager::new(n, pages, |p| {
        url_with(
            "/admin/flags",
            &[("status", status), ("page", &p.to_string())],
        )
    });
    let tabs: Vec<serde_json::Value> = ["pending", "helpful", "declined"]
        .iter()
        .map(|s| data!({ "key": s, "url": url_with("/admin/flags", &[("status", s)]), "active": *s == status }))
        .collect();
    page.render(&v, "admin/flags.html", data!({ "section": "flags", "flags": rows, "tabs": tabs, "status": status, "pager": pager }))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResolveForm {
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    followup: String,
    #[serde(default)]
    note: String,
}

#[debug_handler]
pub async fn resolve(
    ViewEngine(v): ViewEngine<TeraView>,
    StaffUser(me): StaffUser,
    page: Page,
    State(ctx): State<AppContext>,
    Path(id): Path<String>,
    Form(form): Form<ResolveForm>,
) -> Result<Response> {
    let Some(id) = parse_id(&id) else {
        return page.not_found(&v);
    };
    let helpful = match form.outcome.as_str() {
        "helpful" => true,
        "declined" => false,
        _ => return Err(AppError::bad_request("outcome")),
    };
    let followup = match form.followup.as_str() {
        "" | "none" => Followup::None,
        "delete" => Followup::Delete,
        "lock" => Followup::Lock,
        _ => return Err(AppError::bad_request("followup")),
    };
    let note = super::clean_reason(&form.note).ok_or_else(|| AppError::bad_request("note"))?;
    match flags::resolve(
        &ctx.db,
        &Votes::get(&ctx),
        id,
        &me,
        helpful,
        followup,
        &note,
    )
    .await?
    {
        Ok(()) => Ok(flash::redirect(
            "/admin/flags",
            Kind::Success,
            "flash-flag-resolved",
        )),
        Err(flags::FlagError::NotFound) => page.not_found(&v),
        Err(err) => Ok(flash::redirect("/admin/flags", Kind::Warning, err.key())),
    }
}
