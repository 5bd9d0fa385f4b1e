//! CSRF protection: every state-changing request needs a token, plus an
//! `Origin` / `Sec-Fetch-Site` check.
//!
//! * Logged-in users have a synchronizer token kept in their session.
//! * Anonymous forms (login, register, password reset) use a signed
//!   double-submit token: a random value signed with the installation's
//!   key, set as a cookie and repeated in the form. It needs no session, so
//!   anonymous visitors never cause a database write; the session row is
//!   created at login.
//!
//! The token comes in the `csrf_token` form field (url-encoded or multipart)
//! or the `x-csrf-token` header (the vote script). The layer removes the
//! field from url-encoded bodies, so handlers' forms never see it and can
//! refuse unknown fields.
use std::sync::Arc;

use axum::{
    body::{to_bytes, Body, Bytes},
    extract::{Request, State},
    http::{header, HeaderMap, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use base64::Engine;
use subtle::ConstantTimeEq;
use tower_sessions::Session;

use crate::keys::{Keys, Use};

/// Session key of the token.
pub const SESSION_KEY: &str = "csrf";
/// Form field carrying the token.
pub const FIELD: &str = "csrf_token";

/// Marks a 403 caused by CSRF, so the error page can say what to do.
#[derive(Debug, Clone, Copy)]
pub struct CsrfRejected;

#[derive(Clone, Debug)]
pub struct CsrfConfig {
    pub max_body_bytes: usize,
    pub trusted_origins: Arc<Vec<String>>,
    pub anonymous: AnonymousTokens,
}

/// How anonymous forms get their token; handed to handlers through the
/// request extensions (see `Page::with_csrf`).
#[derive(Clone, Debug)]
pub struct AnonymousTokens {
    pub keys: Keys,
    /// `__Host-` prefixed when the cookie is `Secure` (no sub-domain can
    /// set it then).
    pub cookie: &'static str,
    pub secure: bool,
}

impl AnonymousTokens {
    #[must_use]
    pub const fn new(keys: Keys, secure: bool) -> Self {
        Self {
            keys,
            cookie: if secure { "__Host-nc_csrf" } else { "nc_csrf" },
            secure,
        }
    }

    /// The valid token of the request's cookie, if any.
    #[must_use]
    pub fn from_headers(&self, headers: &HeaderMap) -> Option<String> {
        let jar = axum_extra::extract::CookieJar::from_headers(headers);
        let value = jar.get(self.cookie)?.value();
        self.keys
            .verify(Use::Csrf, value)
            .is_some()
            .then(|| value.to_string())
    }

    /// A new signed token.
    #[must_use]
    pub fn mint(&self) -> String {
        self.keys.sign(Use::Csrf, &new_token())
    }

    /// The `Set-Cookie` value that hands `token` to the browser (a session
    /// cookie: it goes with the browser, not with a login).
    #[must_use]
    pub fn cookie_header(&self, token: &str) -> Option<axum::http::HeaderValue> {
        let secure = if self.secure { "; Secure" } else { "" };
        axum::http::HeaderValue::from_str(&format!(
            "{}={token}; Path=/; HttpOnly; SameSite=Lax{secure}",
            self.cookie
        ))
        .ok()
    }
}

/// A fresh 256-bit token.
#[must_use]
pub fn new_token() -> String {
    let bytes: [u8; 32] = rand::random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The session's token, if it has one.
pub async fn token(session: &Session) -> Option<String> {
    session.get::<String>(SESSION_KEY).await.ok().flatten()
}

/// The session's token, creating one (and so the session row) if needed.
///
/// # Errors
/// When the session store fails.
pub async fn ensure(session: &Session) -> Result<String, tower_sessions::session::Error> {
    if let Some(token) = token(session).await {
        return Ok(token);
    }
    rotate(session).await
}

/// Replaces the token (at login and logout).
///
/// # Errors
/// When the session store fails.
pub async fn rotate(session: &Session) -> Result<String, tower_sessions::session::Error> {
    let token = new_token();
    session.insert(SESSION_KEY, &token).await?;
    Ok(token)
}

fn reject(reason: &str) -> Response {
    tracing::warn!(reason, "csrf check failed");
    let mut res = StatusCode::FORBIDDEN.into_response();
    res.extensions_mut().insert(CsrfRejected);
    res
}

/// Same-origin check from Fetch Metadata, falling back to `Origin`.
/// Requests with neither header (old browsers, curl) still need the token.
#[must_use]
pub fn origin_ok(headers: &HeaderMap, trusted: &[String]) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        if !matches!(site.to_str(), Ok("same-origin" | "none")) {
            return false;
        }
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    if trusted.iter().any(|t| t.trim_end_matches('/') == origin) {
        return true;
    }
    let Ok(url) = url::Url::parse(origin) else {
        return false;
    };
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let origin_host = url.host_str().unwrap_or_default();
    match host.rsplit_once(':') {
        // Host carries a port: the origin must name the same one
        Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) => {
            name.eq_ignore_ascii_case(origin_host)
                && url
                    .port_or_known_default()
                    .map(|p| p.to_string())
                    .as_deref()
                    == Some(port)
        }
        _ => host.eq_ignore_ascii_case(origin_host),
    }
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Layer: refuses state-changing requests without a valid token.
pub async fn guard(
    State(cfg): State<CsrfConfig>,
    session: Session,
    mut req: Request,
    next: Next,
) -> Response {
    req.extensions_mut().insert(cfg.anonymous.clone());
    if is_safe(req.method()) {
        return next.run(req).await;
    }
    // forms only POST; nothing here accepts PUT, DELETE, TRACE …
    if req.method() != Method::POST {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    // one-click unsubscribe (RFC 8058): the signed link is the credential,
    // and mail providers post it from their own servers
    if req.uri().path().starts_with("/unsubscribe/") {
        return next.run(req).await;
    }
    if !origin_ok(req.headers(), &cfg.trusted_origins) {
        return reject("cross-origin request");
    }
    let expected = token(&session).await;
    let (parts, body) = req.into_parts();
    let Ok(bytes) = to_bytes(body, cfg.max_body_bytes).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let header_token = parts
        .headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);

    let (body_token, bytes) = if content_type.starts_with("application/x-www-form-urlencoded") {
        match strip_form_token(&bytes) {
            Ok(found) => found,
            Err(()) => return reject("several csrf_token fields"),
        }
    } else if content_type.starts_with("multipart/form-data") {
        (multipart_token(&content_type, bytes.clone()).await, bytes)
    } else {
        (None, bytes)
    };

    let sent = header_token.or(body_token);
    let same = |a: &str, b: &str| bool::from(a.as_bytes().ct_eq(b.as_bytes()));
    let ok = match (&expected, &sent) {
        (Some(expected), Some(sent)) => same(expected, sent),
        // anonymous: the signed cookie and the form must carry the same token
        (None, Some(sent)) => cfg
            .anonymous
            .from_headers(&parts.headers)
            .is_some_and(|cookie| same(&cookie, sent)),
        // The language switch in the navbar of anonymous pages changes only a
        // cookie; it is allowed without a token so that browsing never needs
        // one (the origin check above still applies).
        (None, None) => parts.uri.path() == "/lang" && session.id().is_none(),
        (Some(_), None) => false,
    };
    if !ok {
        return reject(if sent.is_none() {
            "missing token"
        } else {
            "wrong token"
        });
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// Takes `csrf_token` out of a url-encoded body. More than one is refused.
fn strip_form_token(bytes: &Bytes) -> Result<(Option<String>, Bytes), ()> {
    let mut token = None;
    let mut rest = url::form_urlencoded::Serializer::new(String::new());
    let mut kept = 0usize;
    for (key, value) in url::form_urlencoded::parse(bytes) {
        if key == FIELD {
            if token.is_some() {
                return Err(());
            }
            token = Some(value.into_owned());
        } else {
            rest.append_pair(&key, &value);
            kept += 1;
        }
    }
    if token.is_none() {
        return Ok((None, bytes.clone()));
    }
    let body = if kept == 0 {
        String::new()
    } else {
        rest.finish()
    };
    Ok((token, Bytes::from(body)))
}

/// Finds the `csrf_token` part among the first parts of a multipart body.
async fn multipart_token(content_type: &str, bytes: Bytes) -> Option<String> {
    let boundary = multer::parse_boundary(content_type).ok()?;
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(bytes) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    for _ in 0..8 {
        let field = multipart.next_field().await.ok()??;
        if field.name() == Some(FIELD) {
            return field.text().await.ok();
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn origin_must_match_host() {
        let none: Vec<String> = vec![];
        assert!(origin_ok(&headers(&[("host", "forum.example")]), &none));
        assert!(origin_ok(
            &headers(&[
                ("host", "forum.example"),
                ("origin", "https://forum.example")
            ]),
            &none
        ));
        assert!(origin_ok(
            &headers(&[
                ("host", "127.0.0.1:8080"),
                ("origin", "http://127.0.0.1:8080")
            ]),
            &none
        ));
        assert!(!origin_ok(
            &headers(&[
                ("host", "127.0.0.1:8080"),
                ("origin", "http://127.0.0.1:9999")
            ]),
            &none
        ));
        assert!(!origin_ok(
            &headers(&[
                ("host", "forum.example"),
                ("origin", "https://evil.example")
            ]),
            &none
        ));
        assert!(!origin_ok(
            &headers(&[("host", "forum.example"), ("origin", "null")]),
            &none
        ));
        assert!(!origin_ok(
            &headers(&[("host", "forum.example"), ("sec-fetch-site", "cross-site")]),
            &none
        ));
        assert!(!origin_ok(
            &headers(&[("host", "forum.example"), ("sec-fetch-site", "same-site")]),
            &none
        ));
        assert!(origin_ok(
            &headers(&[("host", "forum.example"), ("sec-fetch-site", "same-origin")]),
            &none
        ));
        let trusted = vec!["https://www.forum.example".to_string()];
        assert!(origin_ok(
            &headers(&[
                ("host", "app:5150"),
                ("origin", "https://www.forum.example")
            ]),
            &trusted
        ));
    }

    #[test]
    fn form_token_is_removed_and_duplicates_refused() {
        let (token, rest) = strip_form_token(&Bytes::from("a=1&csrf_token=abc&b=x+y")).unwrap();
        assert_eq!(token.as_deref(), Some("abc"));
        assert_eq!(rest, Bytes::from("a=1&b=x+y"));
        assert!(strip_form_token(&Bytes::from("csrf_token=a&csrf_token=b")).is_err());
        let (token, rest) = strip_form_token(&Bytes::from("a=1")).unwrap();
        assert_eq!(token, None);
        assert_eq!(rest, Bytes::from("a=1"));
    }
}
