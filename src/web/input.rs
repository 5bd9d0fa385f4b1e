//! Refuses request lines that no form or link of ours produces: a path or
//! query that decodes to a NUL byte or to invalid UTF-8. PostgreSQL rejects
//! NUL in text, so without this a `%00` in any parameter became a 500.
use axum::{
    extract::Request,
    http::StatusCode,
    middleware::Next,
    response::{IntoResponse, Response},
};
use percent_encoding::percent_decode_str;

/// True when `raw` (still percent-encoded) decodes to clean UTF-8 without
/// NUL. A `+` in a query stays a `+` here, which is just as clean.
fn clean(raw: &str) -> bool {
    let bytes: Vec<u8> = percent_decode_str(raw).collect();
    !bytes.contains(&0) && std::str::from_utf8(&bytes).is_ok()
}

/// Layer: 400 for a dirty path or query.
pub async fn guard(req: Request, next: Next) -> Response {
    let uri = req.uri();
    if !clean(uri.path()) || uri.query().is_some_and(|q| !clean(q)) {
        tracing::debug!(
            path = uri.path(),
            "refused: NUL or invalid UTF-8 in the request line"
        );
        return StatusCode::BAD_REQUEST.into_response();
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn nul_and_invalid_utf8_are_dirty() {
        assert!(clean("/questions/12/a-title"));
        assert!(clean("q=%D0%BF%D1%80%D0%B8%D0%B2%D0%B5%D1%82+a"));
        assert!(!clean("/courses/%00"));
        assert!(!clean("q=a%00b"));
        assert!(!clean("q=%FF%FE"));
    }
}
