//! One-shot messages shown on the next page ("Your answer was posted").
//!
//! A flash is a Fluent key in a short-lived cookie, not user text: it needs
//! no session row (so anonymous users get one without touching the
//! database) and cannot carry markup.
use axum::{
    http::{header, HeaderValue},
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::CookieJar;
use serde::Serialize;

pub const COOKIE: &str = "flash";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Success,
    Info,
    Warning,
    Danger,
}

impl Kind {
    const fn as_str(self) -> &'static str {
        match self {
            Self::Success => "success",
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Danger => "danger",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "success" => Some(Self::Success),
            "info" => Some(Self::Info),
            "warning" => Some(Self::Warning),
            "danger" => Some(Self::Danger),
            _ => None,
        }
    }
}

/// A flash read from the request: its kind and Fluent key.
#[derive(Debug, Clone)]
pub struct Flash {
    pub kind: Kind,
    pub key: String,
}

/// Reads the flash cookie; anything malformed or unknown is ignored.
#[must_use]
pub fn read(jar: &CookieJar) -> Option<Flash> {
    let raw = jar.get(COOKIE)?.value();
    let (kind, key) = raw.split_once('.')?;
    let kind = Kind::parse(kind)?;
    let valid = !key.is_empty()
        && key.len() <= 64
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && crate::i18n::has_key(key);
    valid.then(|| Flash {
        kind,
        key: key.to_string(),
    })
}

fn cookie(value: &str, max_age: u32) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{COOKIE}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("flash=; Path=/; Max-Age=0"))
}

/// Adds a flash to `res`.
pub fn attach(res: &mut Response, kind: Kind, key: &str) {
    res.headers_mut().append(
        header::SET_COOKIE,
        cookie(&format!("{}.{key}", kind.as_str()), 120),
    );
}

/// Removes the flash cookie once it has been shown.
pub fn clear(res: &mut Response) {
    res.headers_mut().append(header::SET_COOKIE, cookie("", 0));
}

/// 303 to `to` with a flash message.
#[must_use]
pub fn redirect(to: &str, kind: Kind, key: &str) -> Response {
    let mut res = Redirect::to(to).into_response();
    attach(&mut res, kind, key);
    res
}
