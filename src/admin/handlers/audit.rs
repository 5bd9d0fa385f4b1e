//! The audit log, filterable by action and actor.
use axum::{debug_handler, extract::Query};
use loco_rs::prelude::*;

use serde::Deserialize;

use crate::{
    admin::{
        audit,
        views::{self, AuditItem},
    },
    audit::Action,
    users,
    web::{
        error::Result,
        present::{parse_page, url_with, Pager},
        Page, StaffUser,
    },
};

#[derive(Debug, Default, Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    action: Option<String>,
    #[serde(default)]
    actor: Option<String>,
    #[serde(default)]
    page: Option<String>,
}

#[debug_handler]
pub async fn index(
    ViewEngine(v): ViewEngine<TeraView>,
    StaffUser(_me): StaffUser,
    page: Page,
    State(ctx): State<AppContext>,
    Query(q): Query<AuditQuery>,
) -> Result<Response> {
    let action = q.action.as_deref().and_then(Action::parse);
    let actor_name = q
        .actor
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .unwrap_or("");
    let actor = if actor_name.is_empty() {
        None
    } else {
        users::Model::find_by_username(&ctx.db, actor_name).await?
    };
    // an unknown actor matches nothing rather than everything
    let actor_id = match (actor_name.is_empty(), &actor) {
        (true, _) => None,
        (false, Some(a)) => Some(a.id),
        (false, None) => Some(-1),
    };
    let (rows, n, pages) =
        audit::list(&ctx.db, action, actor_id, parse_page(q.page.as_deref())).await?;
    let pager = Pager::new(n, pages, |p| {
        url_with(
            "/admin/audit",
            &[
                ("action", action.map_or("", Action::as_str)),
                ("actor", actor_name),
                ("page", &p.to_string()),
            ],
        )
    });
    let items: Vec<AuditItem> = rows.iter().map(AuditItem::new).collect();
    views::audit(&v, &page, &items, &pager, action, actor_name)
}
