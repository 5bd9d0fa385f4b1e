//! Account e-mails, written in the recipient's language: the password-reset
//! link, the address confirmation link, and the notice sent to the owner of
//! an address someone tried to register again.
use loco_rs::app::AppContext;

use crate::{
    i18n::{t_args, Arg, Lang},
    mail::{self, Mail},
    settings::Settings,
    users::{tokens::Purpose, Model as User},
};

fn link(ctx: &AppContext, path: &str) -> String {
    Settings::get(ctx).absolute_url(path)
}

/// Fluent keys of a mail's subject and body.
type Keys = (&'static str, &'static str);

async fn send(
    ctx: &AppContext,
    lang: Lang,
    to: &str,
    (subject, body): Keys,
    args: &[(&str, Arg<'_>)],
) -> Result<(), String> {
    let mail = Mail {
        to: to.to_string(),
        subject: t_args(lang, subject, args),
        text: t_args(lang, body, args),
        unsubscribe: None,
    };
    mail::send(ctx, &mail).await
}

/// The password-reset link for `token`.
///
/// # Errors
/// When the mail cannot be sent.
pub async fn password_reset(
    ctx: &AppContext,
    lang: Lang,
    user: &User,
    token: &str,
) -> Result<(), String> {
    let link = link(ctx, &format!("/password/reset/{token}"));
    let args = [
        ("username", Arg::Str(&user.username)),
        ("link", Arg::Str(&link)),
        ("minutes", Arg::Num(Purpose::Reset.lifetime_minutes())),
    ];
    send(
        ctx,
        lang,
        &user.email,
        ("email-reset-subject", "email-reset-body"),
        &args,
    )
    .await
}

/// The confirmation link for `token`.
///
/// # Errors
/// When the mail cannot be sent.
pub async fn confirm(ctx: &AppContext, lang: Lang, user: &User, token: &str) -> Result<(), String> {
    let link = link(ctx, &format!("/register/confirm/{token}"));
    let args = [
        ("username", Arg::Str(&user.username)),
        ("link", Arg::Str(&link)),
        ("hours", Arg::Num(Purpose::Confirm.lifetime_minutes() / 60)),
    ];
    send(
        ctx,
        lang,
        &user.email,
        ("email-confirm-subject", "email-confirm-body"),
        &args,
    )
    .await
}

/// Tells the owner of an address that someone tried to register with it
/// (the registration page itself never says whether an address is taken).
///
/// # Errors
/// When the mail cannot be sent.
pub async fn address_taken(ctx: &AppContext, user: &User) -> Result<(), String> {
    let login = link(ctx, "/login");
    let reset = link(ctx, "/password/forgot");
    let args = [
        ("username", Arg::Str(&user.username)),
        ("login", Arg::Str(&login)),
        ("reset", Arg::Str(&reset)),
    ];
    let lang = Lang::parse(&user.lang).unwrap_or_default();
    send(
        ctx,
        lang,
        &user.email,
        ("email-taken-subject", "email-taken-body"),
        &args,
    )
    .await
}
