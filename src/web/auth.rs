//! Who is asking: the current user (from the session) and the language.
//!
//! One layer resolves both for every request and stores them in the request
//! extensions; the extractors below only read them. Whether a session still
//! counts is decided by `users::sessions` (one place); a session that no
//! longer counts is deleted here.
use std::sync::Arc;

use axum::{
    extract::{FromRequestParts, Request, State},
    http::{header, request::Parts, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::CookieJar;
use chrono::Utc;
use loco_rs::app::AppContext;
use serde::Serialize;
use tower_sessions::Session;

use crate::{
    i18n::Lang,
    settings::Settings,
    users::{
        self,
        sessions::{Login, LOGIN_KEY},
        Actor,
    },
    web::{error::AppError, session_store},
};

/// The logged-in user, as pages need it (never the whole row): the domain's
/// [`Actor`] plus what the page shows.
#[derive(Debug, Clone, Serialize)]
pub struct CurrentUser {
    pub id: i64,
    pub username: String,
    pub reputation: i64,
    pub avatar_url: Option<String>,
    /// Has the reputation to flag posts (or is staff); set when the request
    /// is resolved, where the configured threshold is known.
    pub may_flag: bool,
    /// May review suggested edits (the navbar links the queue).
    pub may_review: bool,
    /// Unread notifications, for the navbar's badge.
    pub unread: i64,
    #[serde(skip)]
    pub actor: Actor,
}

impl CurrentUser {
    #[must_use]
    pub fn from_model(user: &users::Model) -> Self {
        Self {
            id: user.id,
            username: user.username.clone(),
            reputation: user.reputation,
            avatar_url: user.avatar_url(),
            may_flag: false,
            may_review: false,
            unread: 0,
            actor: Actor::of(user),
        }
    }

    /// The user as the domain sees them.
    #[must_use]
    pub const fn actor(&self) -> &Actor {
        &self.actor
    }

    #[must_use]
    pub fn is_staff(&self) -> bool {
        self.actor.is_staff()
    }

    #[must_use]
    pub fn is_admin(&self) -> bool {
        self.actor.is_admin()
    }

    /// The e-mail address is confirmed (staff always count as confirmed).
    #[must_use]
    pub fn confirmed(&self) -> bool {
        self.actor.confirmed || self.is_staff()
    }
}

/// The resolved viewer, stored in request extensions by [`resolve`].
#[derive(Debug, Clone, Default)]
pub struct Viewer(pub Option<CurrentUser>);

/// Layer: the language, from the `lang` cookie or `Accept-Language` (no
/// database: error pages need it even when the database is down).
pub async fn resolve_lang(mut req: Request, next: Next) -> Response {
    let lang = lang_of(req.headers());
    req.extensions_mut().insert(lang);
    next.run(req).await
}

/// The language a request asks for: its `lang` cookie, else its
/// `Accept-Language`, else the default.
#[must_use]
pub fn lang_of(headers: &axum::http::HeaderMap) -> Lang {
    let jar = CookieJar::from_headers(headers);
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    Lang::negotiate(
        jar.get("lang")
            .map(axum_extra::extract::cookie::Cookie::value),
        accept,
    )
}

/// Layer: resolves the user once per request. The viewer also travels
/// back on the response, for the error-page layer outside this one.
pub async fn resolve(
    State(ctx): State<Arc<AppContext>>,
    session: Session,
    mut req: Request,
    next: Next,
) -> Response {
    let user = match session_store::with_viewer(current_user(&ctx, &session)).await {
        Ok(user) => user,
        Err(err) => {
            tracing::error!(error = %err, "cannot resolve the session user");
            return err.into_response();
        }
    };
    let viewer = Viewer(user);
    req.extensions_mut().insert(viewer.clone());
    let mut res = next.run(req).await;
    res.extensions_mut().insert(viewer);
    res
}

async fn current_user(
    ctx: &AppContext,
    session: &Session,
) -> Result<Option<CurrentUser>, AppError> {
    let Some(login) = session.get::<Login>(LOGIN_KEY).await? else {
        return Ok(None);
    };
    let settings = Settings::get(ctx);
    let now = Utc::now();
    // read with the session when this request loaded it
    let found = match session_store::take_viewer(login.uid) {
        Some(found) => found,
        None => users::Model::find_viewer(&ctx.db, login.uid).await?,
    };
    let Some((user, unread)) =
        found.filter(|(u, _)| login.holds(u, now, settings.session.absolute_days))
    else {
        session.flush().await?;
        return Ok(None);
    };
    if let Some(touched) = login.touched(now) {
        session.insert(LOGIN_KEY, touched).await?;
    }
    let mut me = CurrentUser::from_model(&user);
    me.may_flag = me.is_staff() || me.reputation >= settings.reputation.flag_min;
    me.may_review = me.is_staff() || me.reputation >= settings.reputation.review_edits_min;
    me.unread = unread;
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
        if user.confirmed() {
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
