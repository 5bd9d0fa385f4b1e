//! The one error type handlers return.
//!
//! Each variant is an HTTP answer with a meaning; the error-page layer
//! (`error_pages`) turns the bare status into a page in the user's
//! language, or JSON for JSON clients. Named constructors keep handlers
//! short (`AppError::not_found()`), and every conversion from a lower
//! layer's error happens here, once: a database that cannot be reached
//! becomes 503 with `Retry-After`, never a 500.
use axum::{
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use sea_orm::DbErr;

use crate::db::{outage, Outage};

/// Seconds a client is asked to wait after a database outage.
pub const OUTAGE_RETRY_SECS: i64 = 5;

/// The result type of handlers.
pub type Result<T, E = AppError> = std::result::Result<T, E>;

/// Which message an error page shows when the status alone is too vague:
/// a Fluent key, and the reputation it names when there is one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorMessage(pub &'static str, pub Option<i64>);

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    /// Forbidden, with the reason in words (a Fluent key; `needed` fills
    /// its `$needed`).
    #[error("refused: {key}")]
    Refused {
        key: &'static str,
        needed: Option<i64>,
    },
    /// The account's e-mail address is not confirmed yet.
    #[error("e-mail address not confirmed")]
    Unconfirmed,
    #[error("bad request: {0}")]
    BadRequest(&'static str),
    #[error("too many requests; retry after {retry_after} s")]
    TooManyRequests { retry_after: i64 },
    /// The database cannot be reached: 503, and the app answers 503 at once
    /// for a moment (see `outage`).
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// The database is busy (SQLite's write lock): 503 for this request.
    #[error("database busy: {0}")]
    Busy(String),
    #[error("database error: {0}")]
    Db(DbErr),
    #[error("{0}")]
    Internal(String),
}

impl AppError {
    #[must_use]
    pub const fn not_found() -> Self {
        Self::NotFound
    }

    #[must_use]
    pub const fn forbidden() -> Self {
        Self::Forbidden
    }

    /// 403 with the message `key`.
    #[must_use]
    pub const fn refused(key: &'static str) -> Self {
        Self::Refused { key, needed: None }
    }

    /// 403: this takes `needed` reputation.
    #[must_use]
    pub const fn needs_reputation(needed: i64) -> Self {
        Self::Refused {
            key: "error-reputation-needed",
            needed: Some(needed),
        }
    }

    #[must_use]
    pub const fn unconfirmed() -> Self {
        Self::Unconfirmed
    }

    /// A request no form of ours sends (a missing field, an unknown value).
    #[must_use]
    pub const fn bad_request(what: &'static str) -> Self {
        Self::BadRequest(what)
    }

    #[must_use]
    pub const fn too_many(retry_after: i64) -> Self {
        Self::TooManyRequests { retry_after }
    }

    #[must_use]
    pub fn internal(message: impl Into<String>) -> Self {
        Self::Internal(message.into())
    }

    #[must_use]
    pub const fn status(&self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Forbidden | Self::Refused { .. } | Self::Unconfirmed => StatusCode::FORBIDDEN,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable(_) | Self::Busy(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Db(_) | Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<DbErr> for AppError {
    fn from(err: DbErr) -> Self {
        match outage(&err) {
            Some(Outage::Unreachable) => Self::Unavailable(err.to_string()),
            Some(Outage::Busy) => Self::Busy(err.to_string()),
            None => Self::Db(err),
        }
    }
}

impl From<crate::limits::Refused> for AppError {
    fn from(refused: crate::limits::Refused) -> Self {
        Self::too_many(refused.retry_after)
    }
}

// Each domain's error enum is converted here, once. Refusals a handler
// shows differently (a form message, a flash) are matched before `?`.

impl From<crate::forum::Error> for AppError {
    fn from(err: crate::forum::Error) -> Self {
        use crate::forum::Error;
        match err {
            Error::NotFound => Self::NotFound,
            Error::Locked => Self::refused("error-locked"),
            Error::Forbidden => Self::Forbidden,
            Error::Reputation(needed) => Self::needs_reputation(needed),
            Error::TooLate => Self::refused("comment-error-too-late"),
            Error::Own => Self::refused("comment-error-own"),
            Error::Pending => Self::refused("suggestion-error-pending"),
            Error::Reviewed => Self::refused("suggestion-error-reviewed"),
            Error::ReasonNeeded => Self::bad_request("a reason is needed"),
            Error::Closed => Self::refused("error-closed"),
            Error::AlreadyVoted => Self::refused("close-error-voted"),
            Error::WrongState => Self::refused("close-error-state"),
            Error::BadDuplicate => Self::refused("close-error-duplicate"),
            Error::Db(e) => e.into(),
        }
    }
}

impl From<crate::reviews::ReviewError> for AppError {
    fn from(err: crate::reviews::ReviewError) -> Self {
        use crate::reviews::ReviewError;
        match err {
            ReviewError::Db(e) => e.into(),
            ReviewError::Duplicate(_) => Self::bad_request("duplicate review"),
        }
    }
}

impl From<crate::users::accounts::Error> for AppError {
    fn from(err: crate::users::accounts::Error) -> Self {
        use crate::users::accounts::Error;
        match err {
            Error::Db(e) => e.into(),
            Error::UsernameTaken => Self::bad_request("username taken"),
            Error::Password(e) => e.into(),
            Error::Storage(e) => Self::Internal(format!("storage: {e}")),
        }
    }
}

impl From<crate::admin::flags::FlagError> for AppError {
    fn from(err: crate::admin::flags::FlagError) -> Self {
        use crate::admin::flags::FlagError;
        match err {
            FlagError::NotFound => Self::NotFound,
            FlagError::Db(e) => e.into(),
            FlagError::Review(e) => e.into(),
            _ => Self::Forbidden,
        }
    }
}

impl From<crate::votes::VoteError> for AppError {
    fn from(err: crate::votes::VoteError) -> Self {
        use crate::votes::VoteError;
        match err {
            VoteError::NotFound => Self::NotFound,
            VoteError::Db(e) => e.into(),
            _ => Self::Forbidden,
        }
    }
}

impl From<crate::passwords::Error> for AppError {
    fn from(err: crate::passwords::Error) -> Self {
        Self::Internal(err.to_string())
    }
}

impl From<tower_sessions::session::Error> for AppError {
    fn from(err: tower_sessions::session::Error) -> Self {
        Self::Unavailable(format!("session store: {err}"))
    }
}

impl From<loco_rs::model::ModelError> for AppError {
    fn from(err: loco_rs::model::ModelError) -> Self {
        use loco_rs::model::ModelError;
        match err {
            ModelError::DbErr(e) => e.into(),
            ModelError::EntityNotFound => Self::NotFound,
            other => Self::Internal(other.to_string()),
        }
    }
}

impl From<loco_rs::Error> for AppError {
    fn from(err: loco_rs::Error) -> Self {
        use loco_rs::Error;
        match err {
            Error::NotFound => Self::NotFound,
            Error::DB(e) => e.into(),
            Error::Model(e) => e.into(),
            Error::WithBacktrace { inner, .. } => (*inner).into(),
            other => Self::Internal(other.to_string()),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        match &self {
            Self::Db(_) | Self::Internal(_) => {
                tracing::error!(error = %self, "request failed");
            }
            Self::Unavailable(_) | Self::Busy(_) => {
                tracing::warn!(error = %self, "database unavailable");
            }
            Self::BadRequest(what) => tracing::debug!(what, "bad request"),
            _ => {}
        }
        let mut res = status.into_response();
        let retry = match self {
            Self::TooManyRequests { retry_after } => Some(retry_after.max(1)),
            Self::Unavailable(_) | Self::Busy(_) => Some(OUTAGE_RETRY_SECS),
            _ => None,
        };
        if let Some(secs) = retry {
            if let Ok(value) = HeaderValue::from_str(&secs.to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, value);
            }
        }
        match self {
            Self::Unavailable(_) => {
                res.extensions_mut()
                    .insert(super::outage::Outage { hold: true });
            }
            Self::Busy(_) => {
                res.extensions_mut()
                    .insert(super::outage::Outage { hold: false });
            }
            _ => {}
        }
        match self {
            Self::Unconfirmed => {
                res.extensions_mut()
                    .insert(ErrorMessage("error-unconfirmed-message", None));
            }
            Self::Refused { key, needed } => {
                res.extensions_mut().insert(ErrorMessage(key, needed));
            }
            _ => {}
        }
        res
    }
}
