//! The moderators' dashboard: pending flags, recent actions, counts.
use axum::debug_handler;
use loco_rs::prelude::*;

use crate::web::error::Result;

use crate::{
    models::{audit, counters, flags},
    views::admin::{AuditItem, FlagItem},
    web::{Page, StaffUser},
};

#[debug_handler]
pub async fn index(
    ViewEngine(v): ViewEngine<TeraView>,
    StaffUser(_me): StaffUser,
    page: Page,
    State(ctx): State<AppContext>,
) -> Result<Response> {
    let pending = flags::pending_count(&ctx.db).await?;
    let queue: Vec<FlagItem> = flags::queue(&ctx.db, "pending", 1)
        .await?
        .iter()
        .take(10)
        .map(FlagItem::new)
        .collect();
    let (recent, ..) = audit::list(&ctx.db, None, None, 1).await?;
    let recent: Vec<AuditItem> = recent.iter().take(10).map(AuditItem::new).collect();
    let stats = counters::all(&ctx.db).await?;
    let stat = |k: &str| stats.get(k).copied().unwrap_or(0);
    page.render(
        &v,
        "admin/dashboard.html",
        data!({
            "section": "dashboard",
            "pending": pending,
            "flags": queue,
            "recent": recent,
            "stats": {
                "users": stat(counters::USERS),
                "questions": stat(counters::QUESTIONS),
                "answers": stat(counters::ANSWERS),
                "reviews": stat(counters::REVIEWS),
            },
        }),
    )
}
