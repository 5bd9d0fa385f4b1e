//! Who is asking: the current user (from the session) and the language.
//!
//! One layer resolves both for every request and stores them in the request
//! extensions; the extractors below only read them. A session is accepted
//! only while the user's `session_version` still matches the one stored at
//! login, the user is neither suspended nor deleted, and the login is younger
//! than the absolute session lifetime; otherwise the session row is deleted.
use axum::{
    extract::{FromRequestParts, Request, State},
    http::{header, request::Parts, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::CookieJar;
use chrono::Utc;
use loco_rs::app::AppContext;
use sea_orm::EntityTrait;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use crate::{
    i18n::Lang,
    models::users::{self, Role},
    settings::Settings,
    web::error::AppError,
    web::session_store::AUTH_KEY,
};

/// What the session remembers about a login.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AuthData {
    pub uid: i64,
    /// The user's `session_version` at login.
    pub sv: i32,
    /// Login time (unix seconds), for the absolute lifetime.
    pub at: i64,
    /// Last time the idle expiry was pushed forward (unix seconds).
    pub seen: i64,
}

/// The logged-in user, as pages need it (never the whole row).
#[derive(Debug, Clone, Serialize)]
pub struct CurrentUser {
    pub id: i64,
    pub username: String,
    pub role: Role,
    pub reputation: i64,
    pub avatar_url: Option<String>,
    /// Has the reputation to flag posts (or is staff); set when the request
    /// is resolved, where the configured threshold is known.
    pub may_flag: bool,
    /// The e-mail address is confirmed: only then may the user post, vote,
    /// comment or flag.
    pub confirmed: bool,
}

impl CurrentUser {
    #[must_use]
    pub fn from_model(user: &users::Model) -> Self {
        Self {
            id: user.id,
            username: user.username.clone(),
            role: user.role(),
            reputation: user.reputation,
            avatar_url: user.avatar_url(),
            may_flag: false,
            confirmed: user.email_confirmed_at.is_some(),
        }
    }

    #[must_use]
    pub fn is_staff(&self) -> bool {
        self.role >= Role::Moderator
    }

    /// The user as the posting limits see them.
    #[must_use]
    pub fn poster(&self) -> crate::limits::Poster {
        crate::limits::Poster {
            user_id: self.id,
            reputation: self.reputation,
            staff: self.is_staff(),
        }
    }

    #[must_use]
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}

/// The resolved viewer, stored in request extensions by [`resolve`].
#[derive(Debug, Clone, Default)]
pub struct Viewer(pub Option<CurrentUser>);

/// Layer: the language, from the `lang` cookie or `Accept-Language` (no
/// database: error pages need it even when the database is down).
pub async fn resolve_lang(mut req: Request, next: Next) -> Response {
    let jar = CookieJar::from_headers(req.headers());
    let accept = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    let lang = Lang::negotiate(
        jar.get("lang")
            .map(axum_extra::extract::cookie::Cookie::value),
        accept,
    );
    req.extensions_mut().insert(lang);
    next.run(req).await
}

/// Layer: resolves the user once per request. The viewer also travels
/// back on the response, for the error-page layer outside this one.
pub async fn resolve(
    State(ctx): State<AppContext>,
    session: Session,
    mut req: Request,
    next: Next,
) -> Response {
    let user = match current_user(&ctx, &session).await {
        Ok(user) => user,
        Err(err) => {
            tracing::error!(error = %err, "cannot resolve the session user");
            return AppError::Unavailable(err.to_string()).into_response();
        }
    };
    let viewer = Viewer(user);
    req.extensions_mut().insert(viewer.clone());
    let mut res = next.run(req).await;
    res.extensions_mut().insert(viewer);
    res
}

async fn current_user(ctx: &AppContext, session: &Session) -> loco_rs::Result<Option<CurrentUser>> {
    let Some(mut auth) = session
        .get::<AuthData>(AUTH_KEY)
        .await
        .map_err(|e| loco_rs::Error::Message(e.to_string()))?
    else {
        return Ok(None);
    };
    let settings = Settings::get(ctx);
    let now = Utc::now();
    let user = users::Entity::find_by_id(auth.uid).one(&ctx.db).await?;
    let fresh = now.timestamp() - auth.at < settings.session.absolute_days * 86_400;
    let user = user.filter(|u| u.can_log_in(now) && u.session_version == auth.sv && fresh);
    let Some(user) = user else {
        session
            .flush()
            .await
            .map_err(|e| loco_rs::Error::Message(e.to_string()))?;
        return Ok(None);
    };
    // The store only writes modified sessions; touching the record once an
    // hour keeps an active user's idle expiry moving without a write per page.
    if now.timestamp() - auth.seen > 3_600 {
        auth.seen = now.timestamp();
        session
            .insert(AUTH_KEY, auth)
            .await
            .map_err(|e| loco_rs::Error::Message(e.to_string()))?;
    }
    let mut me = CurrentUser::from_model(&user);
    me.may_flag = me.is_staff() || me.reputation >= settings.reputation.flag_min;
    Ok(Some(me))
}

fn viewer(parts: &Parts) -> Option<CurrentUser> {
    parts.extensions.get::<Viewer>().and_then(|v| v.0.clone())
}

/// Where an anonymous visitor is sent: the login page, coming back here
/// afterwards when the request was a page view.
fn login_redirect(parts: &Parts) -> Response {
    if wants_json(parts) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    if parts.method == Method::GET {
        let next = parts
            .uri
            .path_and_query()
            .map_or("/", axum::http::uri::PathAndQuery::as_str);
        let next: String = url::form_urlencoded::byte_serialize(next.as_bytes()).collect();
        return Redirect::to(&format!("/login?next={next}")).into_response();
    }
    Redirect::to("/login").into_response()
}

/// True when the client asked for JSON (the progressive-enhancement path).
#[must_use]
pub fn wants_json(parts: &Parts) -> bool {
    crate::web::error_pages::accepts_json(&parts.headers)
}

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<Self>().copied().unwrap_or_default())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        viewer(parts).ok_or_else(|| login_redirect(parts))
    }
}

/// The viewer, if logged in.
#[derive(Debug, Clone)]
pub struct MaybeUser(pub Option<CurrentUser>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeUser {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(viewer(parts)))
    }
}

/// A logged-in user with a confirmed e-mail address: who may post, vote,
/// comment and flag. Anonymous visitors are sent to log in; unconfirmed
/// accounts get a 403 page that says why.
#[derive(Debug, Clone)]
pub struct Member(pub CurrentUser);

impl<S: Send + Sync> FromRequestParts<S> for Member {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let user = viewer(parts).ok_or_else(|| login_redirect(parts))?;
        if user.confirmed || user.is_staff() {
            Ok(Self(user))
        } else {
            Err(AppError::unconfirmed().into_response())
        }
    }
}

/// A moderator or admin; anyone else is sent to log in or refused with 403.
#[derive(Debug, Clone)]
pub struct StaffUser(pub CurrentUser);

impl<S: Send + Sync> FromRequestParts<S> for StaffUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let user = viewer(parts).ok_or_else(|| login_redirect(parts))?;
        if user.is_staff() {
            Ok(Self(user))
        } else {
            forbidden_attempt(parts, &user);
            Err(StatusCode::FORBIDDEN.into_response())
        }
    }
}

/// An admin; moderators get 403 like everybody else.
#[derive(Debug, Clone)]
pub struct AdminUser(pub CurrentUser);

impl<S: Send + Sync> FromRequestParts<S> for AdminUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let user = viewer(parts).ok_or_else(|| login_redirect(parts))?;
        if user.is_admin() {
            Ok(Self(user))
        } else {
            forbidden_attempt(parts, &user);
            Err(StatusCode::FORBIDDEN.into_response())
        }
    }
}

fn forbidden_attempt(parts: &Parts, user: &CurrentUser) {
    tracing::warn!(
        user_id = user.id,
        method = %parts.method,
        path = parts.uri.path(),
        "forbidden: staff-only route"
    );
}

/// True when the request asked for JSON (from headers, for handlers).
#[must_use]
pub fn wants_json_headers(headers: &axum::http::HeaderMap) -> bool {
    crate::web::error_pages::accepts_json(headers)
}
