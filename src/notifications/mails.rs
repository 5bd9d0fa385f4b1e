//! The notification e-mails, in the recipient's language: one per event
//! for `instant` kinds, one digest a day for `daily` ones. Each carries a
//! one-click unsubscribe link (and the `List-Unsubscribe` header).
use loco_rs::app::AppContext;

use super::{
    jobs::Outgoing,
    text::message,
    unsubscribe::{self, Scope},
    Kind,
};
use crate::{
    i18n::{t_args, Arg, Lang},
    keys::Keys,
    mail::{self, Mail},
    settings::Settings,
};

fn link(ctx: &AppContext, path: &str) -> String {
    Settings::get(ctx).absolute_url(path)
}

fn unsubscribe_link(ctx: &AppContext, user_id: i64, scope: Scope) -> Result<String, String> {
    let keys = ctx
        .shared_store
        .get::<Keys>()
        .ok_or("the server keys are not loaded")?;
    Ok(link(
        ctx,
        &format!("/unsubscribe/{}", unsubscribe::token(&keys, user_id, scope)),
    ))
}

fn what(lang: Lang, n: &Outgoing) -> String {
    message(
        lang,
        &n.kind,
        n.count,
        n.actor.as_deref(),
        n.detail.as_deref(),
    )
}

/// The mail for one notification.
///
/// # Errors
/// When the mail cannot be sent.
pub async fn instant(ctx: &AppContext, n: &Outgoing) -> Result<(), String> {
    let lang = Lang::parse(&n.lang).unwrap_or_default();
    let scope = Kind::parse(&n.kind).map_or(Scope::All, Scope::Kind);
    let unsubscribe = unsubscribe_link(ctx, n.user_id, scope)?;
    let what = what(lang, n);
    let url = link(ctx, &n.url);
    let settings = link(ctx, "/settings/notifications");
    let args = [
        ("username", Arg::Str(&n.username)),
        ("message", Arg::Str(&what)),
        ("title", Arg::Str(&n.title)),
        ("reason", Arg::Str(n.reason.as_deref().unwrap_or(""))),
        ("link", Arg::Str(&url)),
        ("settings", Arg::Str(&settings)),
        ("unsubscribe", Arg::Str(&unsubscribe)),
    ];
    let mail = Mail {
        to: n.email.clone(),
        subject: t_args(lang, "email-notify-subject", &args),
        text: t_args(lang, "email-notify-body", &args),
        unsubscribe: Some(unsubscribe.clone()),
    };
    mail::send(ctx, &mail).await
}

/// The daily digest of one user's `notes` (at least one).
///
/// # Errors
/// When the mail cannot be sent.
pub async fn digest(ctx: &AppContext, notes: &[Outgoing]) -> Result<(), String> {
    let Some(first) = notes.first() else {
        return Ok(());
    };
    let lang = Lang::parse(&first.lang).unwrap_or_default();
    let unsubscribe = unsubscribe_link(ctx, first.user_id, Scope::All)?;
    let items: Vec<String> = notes
        .iter()
        .map(|n| format!("• {}: {}\n  {}", what(lang, n), n.title, link(ctx, &n.url)))
        .collect();
    let items = items.join("\n\n");
    let settings = link(ctx, "/settings/notifications");
    let count = i64::try_from(notes.len()).unwrap_or(i64::MAX);
    let args = [
        ("username", Arg::Str(&first.username)),
        ("count", Arg::Num(count)),
        ("items", Arg::Str(&items)),
        ("settings", Arg::Str(&settings)),
        ("unsubscribe", Arg::Str(&unsubscribe)),
    ];
    let mail = Mail {
        to: first.email.clone(),
        subject: t_args(lang, "email-digest-subject", &args),
        text: t_args(lang, "email-digest-body", &args),
        unsubscribe: Some(unsubscribe.clone()),
    };
    mail::send(ctx, &mail).await
}
