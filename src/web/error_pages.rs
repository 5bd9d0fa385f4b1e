//! HTML (or JSON) error pages for every error status.
//!
//! Handlers render their own pages for expected outcomes (a form with
//! messages, a 404 for a missing question) and mark them [`Rendered`].
//! Everything else that leaves the app with a 4xx/5xx status — loco's JSON
//! errors, axum's plain-text rejections, an empty 403 from an extractor, a
//! caught panic — is replaced here by a page in the user's language, with
//! no internal detail. Clients that ask for JSON get `{"error": "..."}`.
use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use loco_rs::prelude::{TeraView, ViewRenderer};
use serde_json::json;

use crate::{
    i18n::{t, t_args, Arg, Lang},
    web::{auth::Viewer, csrf::CsrfRejected, error::ErrorMessage, outage::Outage, page::Base},
};

/// Marks a response whose body is already the page the user should see.
#[derive(Debug, Clone, Copy)]
pub struct Rendered;

/// True when the client prefers JSON to HTML.
#[must_use]
pub fn accepts_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("application/json") && !accept.contains("text/html"))
}

/// The Fluent keys of the title and explanation for `status`.
fn keys(status: StatusCode) -> (&'static str, &'static str) {
    match status.as_u16() {
        400 => ("error-400-title", "error-400-message"),
        401 | 403 => ("error-403-title", "error-403-message"),
        404 => ("error-404-title", "error-404-message"),
        405 => ("error-405-title", "error-405-message"),
        408 => ("error-408-title", "error-408-message"),
        413 => ("error-413-title", "error-413-message"),
        415 | 422 => ("error-422-title", "error-422-message"),
        429 => ("error-429-title", "error-429-message"),
        503 => ("error-503-title", "error-503-message"),
        s if s < 500 => ("error-400-title", "error-400-message"),
        _ => ("error-500-title", "error-500-message"),
    }
}

/// The explanation shown for `res`: a specific message when the handler
/// named one, the wait when it sent `Retry-After` with a 429.
fn message(lang: Lang, res: &Response, default_key: &str) -> String {
    if let Some(ErrorMessage(key, needed)) = res.extensions().get::<ErrorMessage>() {
        return match needed {
            Some(n) => t_args(lang, key, &[("needed", Arg::Num(*n))]),
            None => t(lang, key),
        };
    }
    if res.extensions().get::<CsrfRejected>().is_some() {
        return t(lang, "error-csrf-message");
    }
    let retry = res
        .headers()
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<i64>().ok());
    match (res.status(), retry) {
        (StatusCode::TOO_MANY_REQUESTS, Some(secs)) if secs > 3_600 => t_args(
            lang,
            "error-429-wait-hours",
            &[("hours", Arg::Num((secs + 3_599) / 3_600))],
        ),
        (StatusCode::TOO_MANY_REQUESTS, Some(secs)) => t_args(
            lang,
            "error-429-wait",
            &[("minutes", Arg::Num((secs + 59) / 60))],
        ),
        _ => t(lang, default_key),
    }
}

/// Layer: replaces unrendered error responses.
pub async fn pages(State(views): State<TeraView>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if path.starts_with("/_") {
        // health endpoints keep their machine-readable bodies
        return next.run(req).await;
    }
    let json = accepts_json(req.headers());
    let (ext, headers, uri) = (
        req.extensions().clone(),
        req.headers().clone(),
        req.uri().clone(),
    );
    let request_id = req
        .extensions()
        .get::<loco_rs::controller::middleware::request_id::LocoRequestId>()
        .map(|id| id.get().to_string());
    let res = next.run(req).await;
    let status = res.status();
    if status.as_u16() < 400 || res.extensions().get::<Rendered>().is_some() {
        return res;
    }
    // during an outage the session (and its token) cannot be read
    let outage = res.extensions().get::<Outage>().is_some();
    let mut base = Base::collect(&ext, &headers, &uri, !outage).await;
    // the user is resolved inside this layer and comes back on the response
    if let Some(Viewer(user)) = res.extensions().get::<Viewer>() {
        base.user.clone_from(user);
    }
    let (title_key, message_key) = keys(status);
    let lang: Lang = base.lang;
    let text = message(lang, &res, message_key);

    let mut out = if json {
        let body = json!({ "error": text, "status": status.as_u16() });
        (status, axum::Json(body)).into_response()
    } else {
        let data = base.merge(json!({
            "status": status.as_u16(),
            "title_key": title_key,
            "message": text,
            "request_id": request_id,
        }));
        match views.render("errors/page.html", data) {
            Ok(html) => {
                let mut out = Response::new(Body::from(html));
                *out.status_mut() = status;
                out.headers_mut().insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/html; charset=utf-8"),
                );
                out
            }
            Err(err) => {
                tracing::error!(error = %err, "cannot render the error page");
                (status, text).into_response()
            }
        }
    };
    // keep what tells the client how to recover (Allow, Retry-After, cookies)
    for name in [
        header::ALLOW,
        header::RETRY_AFTER,
        header::SET_COOKIE,
        header::LOCATION,
    ] {
        for value in res.headers().get_all(&name) {
            out.headers_mut().append(name.clone(), value.clone());
        }
    }
    if let Some(outage) = res.extensions().get::<Outage>() {
        out.extensions_mut().insert(*outage);
    }
    out.extensions_mut().insert(Rendered);
    out
}

/// A JSON error for the progressive-enhancement path, already final.
#[must_use]
pub fn json_error(status: StatusCode, message: String) -> Response {
    let mut res = (
        status,
        axum::Json(json!({ "error": message, "status": status.as_u16() })),
    )
        .into_response();
    res.extensions_mut().insert(Rendered);
    res
}

/// Fallback for every unknown path: an empty 404 that this layer turns into
/// the 404 page in the user's language.
pub async fn not_found() -> impl IntoResponse {
    StatusCode::NOT_FOUND
}
