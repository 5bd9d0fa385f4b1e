//! The flag queue and its resolution.
use axum::{debug_handler, extract::Query};
use loco_rs::prelude::*;
use serde::Deserialize;

use crate::{
    admin::{
        flags::{self, FlagError, Followup, Status},
        moderation::clean_reason,
        views::{self, FlagItem, Tab},
    },
    votes::Votes,
    web::{
        error::{AppError, Result},
        flash::{self, Kind},
        present::{parse_page, url_with, Pager},
        Id, Page, StaffUser,
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
    let status = q
        .status
        .as_deref()
        .and_then(Status::parse)
        .unwrap_or(Status::Pending);
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
            &[("status", status.as_str()), ("page", &p.to_string())],
        )
    });
    let tabs: Vec<Tab> = Status::ALL
        .into_iter()
        .map(|s| Tab {
            key: s.as_str(),
            url: url_with("/admin/flags", &[("status", s.as_str())]),
            active: s == status,
        })
        .collect();
    views::flags(&v, &page, &rows, &tabs, status, &pager)
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
    StaffUser(me): StaffUser,
    State(ctx): State<AppContext>,
    Id(id): Id,
    Form(form): Form<ResolveForm>,
) -> Result<Response> {
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
    let note = clean_reason(&form.note).ok_or_else(|| AppError::bad_request("note"))?;
    let votes = Votes::get(&ctx);
    match flags::resolve(&ctx.db, &votes, id, me.actor(), helpful, followup, &note).await {
        Ok(()) => Ok(flash::redirect(
            "/admin/flags",
            Kind::Success,
            "flash-flag-resolved",
        )),
        Err(FlagError::AlreadyResolved) => Ok(flash::redirect(
            "/admin/flags",
            Kind::Warning,
            FlagError::AlreadyResolved.key(),
        )),
        Err(err) => Err(err.into()),
    }
}
