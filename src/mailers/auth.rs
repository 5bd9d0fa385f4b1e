//! Account e-mails, written in the recipient's language.
use loco_rs::{
    environment::Environment,
    mailer::{Email, Mailer},
    prelude::*,
};

use crate::{
    i18n::{t_args, Arg, Lang},
    models::{password_resets, users},
    settings::Settings,
};

pub struct AuthMailer;

/// The HTML alternative of a plain-text mail: escaped paragraphs, with the
/// link made clickable.
fn to_html(text: &str, link: &str) -> String {
    let link = crate::text::escape_html(link);
    text.split("\n\n")
        .map(|para| {
            let para = crate::text::escape_html(para.trim()).replace('\n', "<br>");
            let para = para.replace(&link, &format!("<a href=\"{link}\">{link}</a>"));
            format!("<p>{para}</p>")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

impl Mailer for AuthMailer {}

impl AuthMailer {
    /// Sends the password-reset link for `token` to `user`.
    ///
    /// # Errors
    /// When the e-mail cannot be queued.
    pub async fn send_password_reset(
        ctx: &AppContext,
        lang: Lang,
        user: &users::Model,
        token: &str,
    ) -> Result<()> {
        let settings = Settings::get(ctx);
        let link = format!(
            "{}/password/reset/{token}",
            settings.public_url.trim_end_matches('/')
        );
        let minutes = password_resets::LIFETIME_MINUTES;
        let args = [
            ("username", Arg::Str(&user.username)),
            ("link", Arg::Str(&link)),
            ("minutes", Arg::Num(minutes)),
        ];
        let subject = t_args(lang, "email-reset-subject", &args);
        let text = t_args(lang, "email-reset-body", &args);
        let html = to_html(&text, &link);
        if ctx.environment == Environment::Development {
            tracing::info!(to = %user.email, %link, "password reset e-mail (development)");
        }
        Self::mail(
            ctx,
            &Email {
                from: Some(settings.mail_from.clone()),
                to: user.email.clone(),
                subject,
                text,
                html,
                ..Default::default()
            },
        )
        .await
    }
}
