//! Languages, Fluent lookups and the template functions that use them.
//!
//! Every user-visible string lives in `locales/<lang>/*.ftl`; Rust code and
//! templates only name keys. Russian plural forms come from Fluent's
//! `NUMBER` selectors, so relative times read "5 минут назад".
use std::{
    borrow::Cow,
    collections::HashMap,
    sync::{OnceLock, RwLock},
};

use chrono::{DateTime, Utc};
use fluent_templates::{fluent_bundle::FluentValue, ArcLoader};
use serde::{Deserialize, Serialize};
use unic_langid::{langid, LanguageIdentifier};

/// Where the Fluent files live, relative to the working directory.
pub const LOCALES_DIR: &str = "locales";

/// A language the forum is translated into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Lang {
    #[default]
    #[serde(rename = "en")]
    En,
    #[serde(rename = "ru")]
    Ru,
}

impl Lang {
    pub const ALL: [Self; 2] = [Self::En, Self::Ru];

    /// The short code used in the `lang` cookie, forms and `<html lang>`.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Ru => "ru",
        }
    }

    /// The Fluent locale directory of this language.
    #[must_use]
    pub fn langid(self) -> LanguageIdentifier {
        match self {
            Self::En => langid!("en-US"),
            Self::Ru => langid!("ru-RU"),
        }
    }

    /// Parses a code such as `ru`, `ru-RU` or `en_GB`; unknown codes give `None`.
    #[must_use]
    pub fn parse(code: &str) -> Option<Self> {
        let primary = code.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Self::En),
            "ru" => Some(Self::Ru),
            _ => None,
        }
    }

    /// Picks the language: the `lang` cookie, else the best `Accept-Language`
    /// entry we support, else English.
    #[must_use]
    pub fn negotiate(cookie: Option<&str>, accept_language: Option<&str>) -> Self {
        if let Some(lang) = cookie.and_then(Self::parse) {
            return lang;
        }
        accept_language
            .and_then(Self::from_accept_language)
            .unwrap_or_default()
    }

    fn from_accept_language(header: &str) -> Option<Self> {
        let mut best: Option<(f32, usize, Self)> = None;
        for (pos, item) in header.split(',').enumerate().take(32) {
            let mut parts = item.split(';');
            let Some(lang) = parts.next().and_then(Self::parse) else {
                continue;
            };
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if q <= 0.0 || q.is_nan() {
                continue;
            }
            // higher q wins; on equal q the earlier entry wins
            let better = best.is_none_or(|(bq, bpos, _)| q > bq || (q == bq && pos < bpos));
            if better {
                best = Some((q, pos, lang));
            }
        }
        best.map(|(_, _, lang)| lang)
    }
}

/// Builds (once) and returns the Fluent loader for `locales/`.
///
/// # Panics
/// When the Fluent files cannot be parsed: that is a build defect, and the
/// locale tests catch it before it ships.
pub fn loader() -> &'static ArcLoader {
    static LOADER: OnceLock<ArcLoader> = OnceLock::new();
    LOADER.get_or_init(|| {
        ArcLoader::builder(LOCALES_DIR, langid!("en-US"))
            // without this every argument is wrapped in U+2068/U+2069
            .customize(|bundle| bundle.set_use_isolating(false))
            .build()
            .unwrap_or_else(|err| panic!("cannot load Fluent files from {LOCALES_DIR}: {err}"))
    })
}

/// A Fluent argument value.
pub enum Arg<'a> {
    Str(&'a str),
    Num(i64),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(s: &'a str) -> Self {
        Self::Str(s)
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(s: &'a String) -> Self {
        Self::Str(s.as_str())
    }
}

impl From<i64> for Arg<'_> {
    fn from(n: i64) -> Self {
        Self::Num(n)
    }
}

/// Looks `key` up in `lang`; falls back to English, then to the key itself
/// (and logs) so that a missing translation never becomes a 500 for users.
#[must_use]
pub fn t(lang: Lang, key: &str) -> String {
    t_args(lang, key, &[])
}

/// Like [`t`] with Fluent arguments.
#[must_use]
pub fn t_args(lang: Lang, key: &str, args: &[(&str, Arg<'_>)]) -> String {
    let map: HashMap<Cow<'static, str>, FluentValue<'_>> = args
        .iter()
        .map(|(name, value)| {
            let value = match value {
                Arg::Str(s) => FluentValue::from(s.to_string()),
                Arg::Num(n) => FluentValue::from(*n),
            };
            (Cow::Owned((*name).to_string()), value)
        })
        .collect();
    lookup(lang, key, &map).unwrap_or_else(|| {
        tracing::error!(key, lang = lang.code(), "missing translation");
        key.to_string()
    })
}

/// Strict lookup: `None` when neither `lang` nor English has the key.
#[must_use]
pub fn lookup(
    lang: Lang,
    key: &str,
    args: &HashMap<Cow<'static, str>, FluentValue<'_>>,
) -> Option<String> {
    if args.is_empty() {
        return plain(lang, key);
    }
    let loader = loader();
    loader
        .lookup_single_language(&lang.langid(), key, Some(args))
        .or_else(|_| loader.lookup_single_language(&Lang::En.langid(), key, Some(args)))
        .ok()
}

/// A message without arguments, formatted once per language and kept: a
/// page names dozens of them, and formatting each through Fluent on every
/// view was 4 % of a signed-in question page's CPU. Only keys that exist
/// are kept, so the cache holds at most the catalogue.
fn plain(lang: Lang, key: &str) -> Option<String> {
    /// One language's formatted messages, by key (made on first use).
    type Kept = RwLock<Option<HashMap<Box<str>, Box<str>>>>;
    static KEPT: [Kept; 2] = [RwLock::new(None), RwLock::new(None)];
    let slot = &KEPT[match lang {
        Lang::En => 0,
        Lang::Ru => 1,
    }];
    if let Some(found) = slot.read().ok().and_then(|kept| {
        kept.as_ref()
            .and_then(|m| m.get(key))
            .map(|v| v.to_string())
    }) {
        return Some(found);
    }
    let none: Option<&HashMap<Cow<'static, str>, FluentValue<'_>>> = None;
    let loader = loader();
    let text = loader
        .lookup_single_language(&lang.langid(), key, none)
        .or_else(|_| loader.lookup_single_language(&Lang::En.langid(), key, none))
        .ok()?;
    if let Ok(mut kept) = slot.write() {
        kept.get_or_insert_with(HashMap::new)
            .insert(key.into(), text.as_str().into());
    }
    Some(text)
}

/// True when `key` exists in the English catalogue (used to validate flash keys).
#[must_use]
pub fn has_key(key: &str) -> bool {
    let none: Option<&HashMap<String, FluentValue<'_>>> = None;
    loader()
        .lookup_single_language(&Lang::En.langid(), key, none)
        .is_ok()
}

/// "5 minutes ago" in `lang`, from seconds since the event.
#[must_use]
pub fn ago(lang: Lang, then: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let (key, count) = ago_span(then.timestamp(), now);
    t_args(lang, key, &[("count", Arg::Num(count))])
}

/// The message key and count [`ago`] prints for the unix time `then`: two
/// times with the same span print the same text.
#[must_use]
pub fn ago_span(then: i64, now: DateTime<Utc>) -> (&'static str, i64) {
    let secs = (now.timestamp() - then).max(0);
    match secs {
        0..=44 => ("time-just-now", 0),
        45..=3_599 => ("time-minutes-ago", (secs / 60).max(1)),
        3_600..=86_399 => ("time-hours-ago", secs / 3_600),
        86_400..=2_591_999 => ("time-days-ago", secs / 86_400),
        2_592_000..=31_535_999 => ("time-months-ago", secs / 2_592_000),
        _ => ("time-years-ago", secs / 31_536_000),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_beats_accept_language() {
        assert_eq!(Lang::negotiate(Some("ru"), Some("en-US")), Lang::Ru);
        assert_eq!(
            Lang::negotiate(Some("xx"), Some("ru-RU,ru;q=0.9")),
            Lang::Ru
        );
        assert_eq!(Lang::negotiate(None, None), Lang::En);
    }

    #[test]
    fn accept_language_honours_quality() {
        assert_eq!(
            Lang::negotiate(None, Some("de-DE, ru;q=0.8, en;q=0.5")),
            Lang::Ru
        );
        assert_eq!(Lang::negotiate(None, Some("ru;q=0.3, en;q=0.9")), Lang::En);
        assert_eq!(Lang::negotiate(None, Some("ru;q=0, fr")), Lang::En);
        assert_eq!(Lang::negotiate(None, Some(";;;,,q=x")), Lang::En);
    }

    #[test]
    fn a_plain_message_reads_the_same_when_kept_and_a_missing_one_is_not_kept() {
        let en = t(Lang::En, "nav-questions");
        let ru = t(Lang::Ru, "nav-questions");
        assert_eq!(en, "Questions");
        assert_ne!(en, ru, "each language keeps its own");
        assert_eq!(t(Lang::En, "nav-questions"), en);
        assert_eq!(t(Lang::Ru, "nav-questions"), ru);
        assert_eq!(plain(Lang::Ru, "no-such-key-here"), None);
        assert_eq!(plain(Lang::Ru, "no-such-key-here"), None);
        // arguments still go through Fluent each time
        let one = t_args(Lang::En, "time-minutes-ago", &[("count", Arg::Num(1))]);
        let five = t_args(Lang::En, "time-minutes-ago", &[("count", Arg::Num(5))]);
        assert_ne!(one, five);
    }
}
