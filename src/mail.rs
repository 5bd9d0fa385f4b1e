//! Sending one e-mail: a plain-text part and an HTML twin, an optional
//! one-click unsubscribe header, over SMTP (production, from loco's
//! `mailer.smtp` config) or into a recording stub (development, tests).
//! Our own transport rather than loco's mailer: that one cannot set the
//! `List-Unsubscribe` headers.
//!
//! In development nothing leaves the machine: every mail is also written to
//! the log as one line with the recipient and every link in it, so a person
//! (or a black-box test) can follow a confirmation or reset link.
use std::sync::OnceLock;

use lettre::{
    message::{
        header::{HeaderName, HeaderValue},
        MultiPart,
    },
    transport::{smtp::authentication::Credentials, stub::StubTransport},
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor, Transport as _,
};
use loco_rs::{
    app::AppContext,
    config::{Mailer, MailerTls},
    environment::Environment,
};
use regex::Regex;

use crate::{settings::Settings, text::escape_html};

/// Where mails go.
#[derive(Clone)]
pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// Keeps every message (development, tests).
    Stub(StubTransport),
}

impl Transport {
    /// SMTP when the config enables it, the stub otherwise.
    ///
    /// # Errors
    /// When the SMTP relay cannot be set up.
    pub fn from_config(config: Option<&Mailer>) -> Result<Self, String> {
        let Some(smtp) = config.and_then(|m| m.smtp.as_ref()).filter(|s| s.enable) else {
            return Ok(Self::Stub(StubTransport::new_ok()));
        };
        let mut builder = match smtp.tls_mode() {
            MailerTls::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host)
                .map_err(|e| e.to_string())?,
            MailerTls::Implicit => AsyncSmtpTransport::<Tokio1Executor>::relay(&smtp.host)
                .map_err(|e| e.to_string())?,
            MailerTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host),
        }
        .port(smtp.port);
        if let Some(auth) = smtp.auth.as_ref().filter(|a| !a.user.is_empty()) {
            builder =
                builder.credentials(Credentials::new(auth.user.clone(), auth.password.clone()));
        }
        Ok(Self::Smtp(builder.build()))
    }

    /// The transport stored at boot.
    ///
    /// # Panics
    /// When called before `after_context` stored it (a wiring bug).
    #[must_use]
    pub fn get(ctx: &AppContext) -> Self {
        ctx.shared_store
            .get::<Self>()
            .expect("the mail transport is stored in after_context")
    }

    /// Every message the stub took, as raw text (empty for SMTP).
    #[must_use]
    pub fn sent(&self) -> Vec<String> {
        match self {
            Self::Stub(stub) => stub.messages().into_iter().map(|(_, m)| m).collect(),
            Self::Smtp(_) => Vec::new(),
        }
    }
}

/// One e-mail, ready to send.
#[derive(Debug, Clone, Default)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
    /// The address of a one-click unsubscribe (RFC 8058) for the
    /// `List-Unsubscribe` header.
    pub unsubscribe: Option<String>,
}

fn link_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"https?://[^\s<>]+").expect("static regex"))
}

/// Every link in `text`.
#[must_use]
pub fn links(text: &str) -> Vec<&str> {
    link_re().find_iter(text).map(|m| m.as_str()).collect()
}

/// The HTML alternative of a plain-text mail: escaped paragraphs with the
/// links made clickable.
#[must_use]
pub fn to_html(text: &str) -> String {
    let body = text
        .split("\n\n")
        .map(|para| {
            let mut out = String::new();
            let mut last = 0;
            for m in link_re().find_iter(para.trim()) {
                let para = para.trim();
                out.push_str(&escape_html(&para[last..m.start()]).replace('\n', "<br>"));
                let link = escape_html(m.as_str());
                out.push_str(&format!("<a href=\"{link}\">{link}</a>"));
                last = m.end();
            }
            out.push_str(&escape_html(&para.trim()[last..]).replace('\n', "<br>"));
            format!("<p>{out}</p>")
        })
        .collect::<Vec<_>>()
        .join("\n");
    format!("<!DOCTYPE html><html><body>{body}</body></html>")
}

fn header(name: &'static str, value: String) -> HeaderValue {
    HeaderValue::new(HeaderName::new_from_ascii_str(name), value)
}

/// Sends `mail`.
///
/// # Errors
/// When the message cannot be built or the transport refuses it.
pub async fn send(ctx: &AppContext, mail: &Mail) -> Result<(), String> {
    let settings = Settings::get(ctx);
    if ctx.environment == Environment::Development {
        tracing::info!(
            to = %mail.to,
            subject = %mail.subject,
            links = %links(&mail.text).join(" "),
            "e-mail (development: not sent)"
        );
    }
    let mut builder = Message::builder()
        .from(
            settings
                .mail_from
                .parse()
                .map_err(|e| format!("from: {e}"))?,
        )
        .to(mail.to.parse().map_err(|e| format!("to: {e}"))?)
        .subject(mail.subject.clone());
    if let Some(link) = &mail.unsubscribe {
        builder = builder
            .raw_header(header("List-Unsubscribe", format!("<{link}>")))
            .raw_header(header(
                "List-Unsubscribe-Post",
                "List-Unsubscribe=One-Click".to_string(),
            ));
    }
    let message = builder
        .multipart(MultiPart::alternative_plain_html(
            mail.text.clone(),
            to_html(&mail.text),
        ))
        .map_err(|e| format!("building the message: {e}"))?;
    match Transport::get(ctx) {
        Transport::Smtp(smtp) => smtp
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| format!("smtp: {e}")),
        Transport::Stub(stub) => stub
            .send(&message)
            .map(|_| ())
            .map_err(|e| format!("stub: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_become_anchors_and_text_is_escaped() {
        let html = to_html("Hi <b>you</b>,\n\nopen https://x.test/a?b=1&c=2 now.");
        assert!(html.contains("<p>Hi &lt;b&gt;you&lt;/b&gt;,</p>"));
        assert!(html.contains(
            "<a href=\"https://x.test/a?b=1&amp;c=2\">https://x.test/a?b=1&amp;c=2</a> now."
        ));
        assert_eq!(
            links("a https://x.test/1 b http://y.test/2"),
            ["https://x.test/1", "http://y.test/2"]
        );
    }
}
