//! The notification pages: the inbox, the e-mail settings and the
//! unsubscribe page.
use loco_rs::prelude::*;
use serde::Serialize;

use super::{store::InboxRow, text::message, unsubscribe::Scope, Kind, Mode};
use crate::web::{error::Result, present::Pager, Page};

/// One line of the inbox, in the reader's words.
#[derive(Debug, Serialize)]
struct Item<'a> {
    id: i64,
    message: String,
    title: &'a str,
    reason: Option<&'a str>,
    url: &'a str,
    unread: bool,
    ts: i64,
}

/// # Errors
/// When the template fails to render.
pub fn inbox(
    v: &TeraView,
    page: &Page,
    rows: &[InboxRow],
    number: u64,
    pages: u64,
    url: impl Fn(u64) -> String,
) -> Result<Response> {
    let items: Vec<Item> = rows
        .iter()
        .map(|r| Item {
            id: r.id,
            message: message(
                page.lang(),
                &r.kind,
                r.count,
                r.actor.as_deref(),
                r.detail.as_deref(),
            ),
            title: &r.title,
            reason: r.reason.as_deref(),
            url: &r.url,
            unread: r.read_at.is_none(),
            ts: r.updated_at.timestamp(),
        })
        .collect();
    let any_unread = items.iter().any(|i| i.unread);
    page.render(
        v,
        "notifications/index.html",
        data!({
            "items": items,
            "any_unread": any_unread,
            "pager": Pager::new(number, pages, url),
        }),
    )
}

#[derive(Debug, Serialize)]
struct Setting {
    kind: Kind,
    field: String,
    mode: Mode,
}

/// # Errors
/// When the template fails to render.
pub fn settings(v: &TeraView, page: &Page, current: &[(Kind, Mode)]) -> Result<Response> {
    let settings: Vec<Setting> = current
        .iter()
        .map(|(kind, mode)| Setting {
            kind: *kind,
            field: format!("email_{}", kind.as_str()),
            mode: *mode,
        })
        .collect();
    page.render(
        v,
        "settings/notifications.html",
        data!({ "tab": "notifications", "settings": settings, "modes": Mode::ALL }),
    )
}

/// # Errors
/// When the template fails to render.
pub fn unsubscribe(
    v: &TeraView,
    page: &Page,
    token: &str,
    scope: Scope,
    done: bool,
) -> Result<Response> {
    page.render(
        v,
        "notifications/unsubscribe.html",
        data!({ "token": token, "scope": scope.as_str(), "done": done }),
    )
}
