//! The moderators' dashboard: pending flags, recent actions, counts.
use axum::debug_handler;
use loco_rs::prelude::*;

use crate::{
    admin::{
        audit,
        flags::{self, Status},
        views::{self, AuditItem, FlagItem},
    },
    counters,
    web::{error::Result, Page, StaffUser},
};

#[debug_handler]
pub async fn index(
    ViewEngine(v): ViewEngine<TeraView>,
    StaffUser(_me): StaffUser,
    page: Page,
    State(ctx): State<AppContext>,
) -> Result<Response> {
    let pending = flags::pending_count(&ctx.db).await?;
    let queue: Vec<FlagItem> = flags::queue(&ctx.db, Status::Pending, 1)
        .await?
        .iter()
        .take(10)
        .map(FlagItem::new)
        .collect();
    let (recent, ..) = audit::list(&ctx.db, None, None, 1).await?;
    let recent: Vec<AuditItem> = recent.iter().take(10).map(AuditItem::new).collect();
    let stats = counters::all(&ctx.db).await?;
    views::dashboard(&v, &page, pending, &queue, &recent, &stats)
}
