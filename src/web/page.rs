//! The context every page template receives, and the render helpers.
//!
//! `Base` holds what the layout needs (language, the viewer, the CSRF token,
//! a flash message, the current path for "come back here" links). Handlers
//! take a [`Page`], add their own data and render.
use axum::{
    body::Body,
    extract::FromRequestParts,
    http::{header, request::Parts, Extensions, HeaderMap, HeaderValue, StatusCode, Uri},
    response::{IntoResponse, Response},
};
use axum_extra::extract::CookieJar;
use loco_rs::prelude::{TeraView, ViewRenderer};
use serde::Serialize;
use serde_json::Value;
use tower_sessions::Session;

use crate::{
    i18n::{t, Lang},
    web::{
        auth::{CurrentUser, Viewer},
        csrf::{self, AnonymousTokens},
        error::AppError,
        error::Result,
        error_pages::Rendered,
        flash::{self, Flash},
        fragments, static_files,
    },
};

/// The viewer as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct Me {
    pub id: i64,
    pub username: String,
    pub url: String,
    pub reputation: i64,
    pub avatar_url: Option<String>,
    pub is_staff: bool,
    pub is_admin: bool,
    /// False until the e-mail address is confirmed (the layout says so).
    pub confirmed: bool,
    /// Unread notifications (the navbar's badge).
    pub unread: i64,
    pub may_review: bool,
}

impl Me {
    fn new(user: &CurrentUser) -> Self {
        Self {
            id: user.id,
            username: user.username.clone(),
            url: format!("/users/{}", user.username),
            reputation: user.reputation,
            avatar_url: user.avatar_url.clone(),
            is_staff: user.is_staff(),
            is_admin: user.is_admin(),
            confirmed: user.confirmed(),
            unread: user.unread,
            may_review: user.may_review,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
struct FlashView {
    kind: flash::Kind,
    message: String,
}

static SITE_URL: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Remembers the forum's public address (from the settings, at boot) for
/// canonical links and cards.
pub fn set_site_url(url: &str) {
    let _ = SITE_URL.set(url.trim_end_matches('/').to_string());
}

/// The forum's public address without a trailing slash.
#[must_use]
pub fn site_url() -> &'static str {
    SITE_URL.get().map_or("", String::as_str)
}

/// The address search engines should file a page under: its path, with
/// only what selects the list kept from the query (tag, sort, a page past
/// the first), in a fixed order.
fn canonical_path(path_and_query: &str) -> String {
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query, ""));
    let value = |name: &str| {
        query
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, v)| *k == name && !v.is_empty())
            .map(|(_, v)| v)
    };
    let mut kept = Vec::new();
    for name in ["tag", "sort"] {
        if let Some(v) = value(name).filter(|v| {
            v.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"%+-._#".contains(&b))
        }) {
            kept.push(format!("{name}={v}"));
        }
    }
    if let Some(n) = value("page")
        .and_then(|p| p.parse::<u32>().ok())
        .filter(|n| *n > 1)
    {
        kept.push(format!("page={n}"));
    }
    if kept.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", kept.join("&"))
    }
}

/// Pages that are personal, transient or endless: never indexed.
fn private_path(path_and_query: &str) -> bool {
    const PRIVATE: [&str; 8] = [
        "/admin",
        "/settings",
        "/notifications",
        "/review/",
        "/login",
        "/register",
        "/password/",
        "/unsubscribe/",
    ];
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query, ""));
    PRIVATE.iter().any(|p| path.starts_with(p))
        || path.ends_with("/edit")
        || path.contains("/revisions")
        || query.split('&').any(|kv| kv.starts_with("q="))
}

/// What the base layout needs, collected from the request.
#[derive(Debug, Clone)]
pub struct Base {
    pub lang: Lang,
    pub user: Option<CurrentUser>,
    pub csrf_token: Option<String>,
    pub flash: Option<Flash>,
    pub path: String,
    /// The client asked for JSON (error answers are JSON then).
    pub json: bool,
}

impl Base {
    async fn from_pieces(ext: &Extensions, headers: &HeaderMap, uri: &Uri) -> Self {
        let mut base = Self::without_session(ext, headers, uri);
        base.csrf_token = match ext.get::<Session>() {
            Some(session) => csrf::token(session).await,
            None => None,
        };
        base
    }

    /// The base context without reading the session (which would ask the
    /// database): for error pages during an outage.
    fn without_session(ext: &Extensions, headers: &HeaderMap, uri: &Uri) -> Self {
        let lang = ext.get::<Lang>().copied().unwrap_or_default();
        let user = ext.get::<Viewer>().and_then(|v| v.0.clone());
        let csrf_token = None;
        let flash = flash::read(&CookieJar::from_headers(headers));
        let path = uri
            .path_and_query()
            .map_or_else(|| "/".to_string(), |pq| pq.as_str().to_string());
        let json = crate::web::error_pages::accepts_json(headers);
        Self {
            json,
            lang,
            user,
            csrf_token,
            flash,
            path,
        }
    }

    /// Collects the base context from a request's parts (used by layers,
    /// which copy them first: a borrowed request is not `Sync`). With
    /// `session` false the CSRF token is left out and the database is not
    /// asked.
    pub async fn collect(ext: &Extensions, headers: &HeaderMap, uri: &Uri, session: bool) -> Self {
        if session {
            Self::from_pieces(ext, headers, uri).await
        } else {
            Self::without_session(ext, headers, uri)
        }
    }

    /// The layout's variables.
    fn layout(&self) -> Layout<'_> {
        Layout {
            lang: self.lang,
            me: self.user.as_ref().map(Me::new),
            csrf_token: self.csrf_token.as_deref().unwrap_or_default(),
            flash: self.flash.as_ref().map(|f| FlashView {
                kind: f.kind,
                message: t(self.lang, &f.key),
            }),
            current_path: &self.path,
            asset_v: static_files::asset_version(),
            site_url: site_url(),
            canonical_path: canonical_path(&self.path),
            noindex: private_path(&self.path),
        }
    }

    /// The layout's variables merged with a page's own (the page wins).
    #[must_use]
    pub fn merge(&self, data: Value) -> Value {
        let mut base = serde_json::to_value(self.layout()).unwrap_or_default();
        if let (Some(base), Value::Object(extra)) = (base.as_object_mut(), data) {
            base.extend(extra);
        }
        base
    }
}

/// What the base layout reads.
#[derive(Serialize)]
struct Layout<'a> {
    lang: Lang,
    me: Option<Me>,
    csrf_token: &'a str,
    flash: Option<FlashView>,
    current_path: &'a str,
    asset_v: &'static str,
    site_url: &'static str,
    canonical_path: String,
    noindex: bool,
}

/// The layout's variables, then a page's own: serialized straight into the
/// template context, the page's value last, so it wins a name both use. A
/// page that passes a struct skips the JSON tree in between, whose building
/// and conversion were 6 % of a signed-in question page's CPU.
#[derive(Serialize)]
struct WithLayout<'a, P: Serialize> {
    #[serde(flatten)]
    layout: Layout<'a>,
    #[serde(flatten)]
    page: &'a P,
}

/// Extractor: the base context plus the session, for handlers that render.
pub struct Page {
    pub base: Base,
    pub session: Session,
    anonymous: Option<AnonymousTokens>,
    /// The valid anonymous form token the browser already holds.
    anonymous_cookie: Option<String>,
    /// A token minted for this page: sent as a cookie with it.
    minted: Option<String>,
}

impl<S: Send + Sync> FromRequestParts<S> for Page {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(axum::response::IntoResponse::into_response)?;
        let mut base = Base::from_pieces(&parts.extensions, &parts.headers, &parts.uri).await;
        // a logged-in user always gets a token: every page has POST forms,
        // and a page with an empty token would only fail on submit
        if base.user.is_some() && base.csrf_token.is_none() {
            match csrf::ensure(&session).await {
                Ok(token) => base.csrf_token = Some(token),
                Err(err) => {
                    tracing::error!(error = %err, "cannot store the CSRF token in the session");
                    return Err(AppError::Unavailable(err.to_string()).into_response());
                }
            }
        }
        let anonymous = parts.extensions.get::<AnonymousTokens>().cloned();
        let anonymous_cookie = anonymous
            .as_ref()
            .and_then(|a| a.from_headers(&parts.headers));
        Ok(Self {
            base,
            session,
            anonymous,
            anonymous_cookie,
            minted: None,
        })
    }
}

impl Page {
    #[must_use]
    pub const fn lang(&self) -> Lang {
        self.base.lang
    }

    #[must_use]
    pub const fn user(&self) -> Option<&CurrentUser> {
        self.base.user.as_ref()
    }

    /// Translates `key` in the viewer's language.
    #[must_use]
    pub fn t(&self, key: &str) -> String {
        t(self.base.lang, key)
    }

    /// Makes sure the page has a CSRF token. Logged-in users have theirs in
    /// the session; an anonymous visitor gets a signed cookie token (no
    /// session, no database row). Only pages that show a form to anonymous
    /// visitors (login, register, password reset) call this.
    pub fn with_csrf(&mut self) {
        if self.base.csrf_token.is_some() {
            return;
        }
        if let Some(token) = self.anonymous_cookie.clone() {
            self.base.csrf_token = Some(token);
        } else if let Some(anonymous) = &self.anonymous {
            let token = anonymous.mint();
            self.base.csrf_token = Some(token.clone());
            self.minted = Some(token);
        }
    }

    /// A kept piece of this page (see [`fragments`]), with this page's
    /// CSRF token.
    ///
    /// # Errors
    /// When the template fails to render.
    pub fn fragment<D: Serialize + std::hash::Hash>(
        &self,
        v: &TeraView,
        template: &'static str,
        data: &D,
        clock: &impl std::hash::Hash,
    ) -> Result<String> {
        let csrf = self.base.csrf_token.as_deref().unwrap_or_default();
        fragments::render(v, template, data, clock, csrf)
    }

    /// Renders `template` with status 200.
    ///
    /// # Errors
    /// When the template fails to render.
    pub fn render(&self, v: &TeraView, template: &str, data: impl Serialize) -> Result<Response> {
        self.render_status(v, StatusCode::OK, template, data)
    }

    /// Renders `template` with `status` (422 for a form with errors, 404 …).
    ///
    /// # Errors
    /// When the template fails to render.
    pub fn render_status(
        &self,
        v: &TeraView,
        status: StatusCode,
        template: &str,
        data: impl Serialize,
    ) -> Result<Response> {
        let html = v.render(
            template,
            WithLayout {
                layout: self.base.layout(),
                page: &data,
            },
        )?;
        let mut res = Response::new(Body::from(html));
        *res.status_mut() = status;
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        if self.base.flash.is_some() {
            flash::clear(&mut res);
        }
        if let (Some(token), Some(anonymous)) = (&self.minted, &self.anonymous) {
            if let Some(cookie) = anonymous.cookie_header(token) {
                res.headers_mut().append(header::SET_COOKIE, cookie);
            }
        }
        res.extensions_mut().insert(Rendered);
        Ok(res)
    }
}
