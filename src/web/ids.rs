//! The typed `{id}` of a route: a positive integer, or a 404 page before the
//! handler runs (a junk id names nothing, so "not found" is the truth).
use std::collections::HashMap;

use axum::{
    extract::{FromRequestParts, Path},
    http::request::Parts,
    response::{IntoResponse, Response},
};

use super::error::AppError;

/// The route's `{id}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Id(pub i64);

/// Parses an id as routes take it: a positive integer, nothing else.
#[must_use]
pub fn parse(raw: &str) -> Option<i64> {
    raw.parse::<i64>().ok().filter(|id| *id > 0)
}

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(params) = Path::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::not_found().into_response())?;
        params
            .get("id")
            .and_then(|raw| parse(raw))
            .map(Self)
            .ok_or_else(|| AppError::not_found().into_response())
    }
}

/// The route's `{n}`: a revision number (a positive integer), else 404.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Number(pub i32);

impl<S: Send + Sync> FromRequestParts<S> for Number {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(params) = Path::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::not_found().into_response())?;
        params
            .get("n")
            .and_then(|raw| parse(raw))
            .and_then(|n| i32::try_from(n).ok())
            .map(Self)
            .ok_or_else(|| AppError::not_found().into_response())
    }
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn only_positive_integers_are_ids() {
        assert_eq!(parse("42"), Some(42));
        for junk in ["0", "-1", "1e3", "abc", "", "99999999999999999999"] {
            assert_eq!(parse(junk), None, "{junk}");
        }
    }
}
