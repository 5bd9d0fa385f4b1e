//! A notification in words, in the reader's language (the inbox and the
//! e-mails say the same thing).
use crate::i18n::{t, t_args, Arg, Lang};

/// What a notification reads like: "alice answered your question", "3 new
/// answers on a question you follow", "Your question was closed".
#[must_use]
pub fn message(
    lang: Lang,
    kind: &str,
    count: i32,
    actor: Option<&str>,
    detail: Option<&str>,
) -> String {
    let someone = t(lang, "notif-someone");
    let actor = actor.unwrap_or(&someone);
    let args = [
        ("actor", Arg::Str(actor)),
        ("count", Arg::Num(i64::from(count))),
    ];
    let key = match (kind, detail) {
        ("moderation" | "flag" | "edited", Some(detail)) => format!("notif-{kind}-{detail}"),
        (kind, _) => format!("notif-{kind}"),
    };
    t_args(lang, &key, &args)
}
