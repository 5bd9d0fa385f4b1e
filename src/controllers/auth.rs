//! Accounts: register, log in, log out.
use axum::{
    debug_handler,
    extract::Query,
    http::{header, HeaderValue, StatusCode},
};
use chrono::Utc;
use loco_rs::{controller::middleware::remote_ip::RemoteIP, prelude::*};
use serde::Deserialize;
use tower_sessions::Session;

use crate::{
    forms::FieldErrors,
    i18n::Arg,
    models::{
        moderation,
        users::{self, RegisterError, RegisterParams},
    },
    passwords,
    text::{has_forbidden_chars, safe_local_path},
    views,
    votes::Votes,
    web::{
        auth::AuthData,
        client_ip, csrf,
        flash::{self, Kind},
        session_store::AUTH_KEY,
        Page,
    },
};

#[derive(Debug, Default, Deserialize)]
pub struct NextQuery {
    #[serde(default)]
    pub next: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginForm {
    #[serde(default)]
    pub login: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub next: String,
}

/// Starts an authenticated session for `user`: a new session id (no
/// fixation), the user's session version, and a new CSRF token.
///
/// # Errors
/// When the session store fails.
pub async fn start_session(session: &Session, user: &users::Model) -> Result<()> {
    let to_err = |e: tower_sessions::session::Error| Error::Message(e.to_string());
    session.cycle_id().await.map_err(to_err)?;
    let now = Utc::now().timestamp();
    let auth = AuthData {
        uid: user.id,
        sv: user.session_version,
        at: now,
        seen: now,
    };
    session.insert(AUTH_KEY, auth).await.map_err(to_err)?;
    csrf::rotate(session).await?;
    Ok(())
}

#[debug_handler]
async fn login_page(
    ViewEngine(v): ViewEngine<TeraView>,
    mut page: Page,
    Query(q): Query<NextQuery>,
) -> Result<Response> {
    let next = q
        .next
        .as_deref()
        .and_then(safe_local_path)
        .unwrap_or("/")
        .to_string();
    if page.user().is_some() {
        return Ok(axum::response::Redirect::to(&next).into_response());
    }
    page.with_csrf().await?;
    let form = LoginForm {
        next,
        ..Default::default()
    };
    views::auth::login(&v, &page, &form, &FieldErrors::new(), StatusCode::OK)
}

#[debug_handler]
async fn login(
    ViewEngine(v): ViewEngine<TeraView>,
    mut page: Page,
    State(ctx): State<AppContext>,
    remote: RemoteIP,
    Form(mut form): Form<LoginForm>,
) -> Result<Response> {
    let ip = client_ip::text(&remote);
    let lang = page.lang();
    form.next = safe_local_path(&form.next).unwrap_or("/").to_string();
    let mut errors = FieldErrors::new();
    if form.login.trim().is_empty() {
        errors.add(lang, "login", "error-required");
    } else if form.login.len() > 254 || has_forbidden_chars(&form.login, false) {
        errors.add(lang, "login", "error-login-failed");
    }
    if form.password.is_empty() {
        errors.add(lang, "password", "error-required");
    }
    page.with_csrf().await?;
    if !errors.is_empty() {
        return views::auth::login(&v, &page, &form, &errors, StatusCode::UNPROCESSABLE_ENTITY);
    }

    let user = users::Model::find_by_login(&ctx.db, &form.login).await?;
    // the dummy hash makes an unknown user cost as much as a wrong password
    let ok = passwords::verify(
        &form.password,
        user.as_ref().map(|u| u.password_hash.as_str()),
    )
    .await?;
    let user = match user {
        Some(user) if ok => user,
        _ => {
            tracing::info!(login = %form.login, ip = %ip, "login failed");
            errors.add(lang, "login", "error-login-failed");
            return views::auth::login(&v, &page, &form, &errors, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let now = Utc::now();
    if user.suspended_until.is_some_and(|until| until <= now) {
        // the suspension ran out since the last sweep: reinstate now
        moderation::lift_expired(&ctx.db, &Votes::get(&ctx), Some(user.id), now).await?;
    }
    if user.is_suspended(now) {
        tracing::info!(user_id = user.id, ip = %ip, "login refused: suspended");
        let until = user
            .suspended_until
            .map(|d| d.format("%Y-%m-%d %H:%M UTC").to_string())
            .unwrap_or_default();
        let reason = user.suspension_reason.clone().unwrap_or_default();
        errors.add_args(
            lang,
            "login",
            "error-account-suspended",
            &[("until", Arg::Str(&until)), ("reason", Arg::Str(&reason))],
        );
        return views::auth::login(&v, &page, &form, &errors, StatusCode::FORBIDDEN);
    }
    start_session(&page.session, &user).await?;
    tracing::info!(user_id = user.id, ip = %ip, "login");
    Ok(flash::redirect(
        &form.next,
        Kind::Success,
        "flash-logged-in",
    ))
}

#[debug_handler]
async fn register_page(ViewEngine(v): ViewEngine<TeraView>, mut page: Page) -> Result<Response> {
    if page.user().is_some() {
        return Ok(axum::response::Redirect::to("/").into_response());
    }
    page.with_csrf().await?;
    views::auth::register(
        &v,
        &page,
        &RegisterParams::default(),
        &FieldErrors::new(),
        StatusCode::OK,
    )
}

#[debug_handler]
async fn register(
    ViewEngine(v): ViewEngine<TeraView>,
    mut page: Page,
    State(ctx): State<AppContext>,
    Form(form): Form<RegisterParams>,
) -> Result<Response> {
    if page.user().is_some() {
        return Ok(axum::response::Redirect::to("/").into_response());
    }
    page.with_csrf().await?;
    let errors = form.validate(page.lang());
    if !errors.is_empty() {
        return views::auth::register(&v, &page, &form, &errors, StatusCode::UNPROCESSABLE_ENTITY);
    }
    match users::ActiveModel::register(&ctx.db, &form, page.lang()).await {
        Ok(user) => {
            start_session(&page.session, &user).await?;
            tracing::info!(user_id = user.id, "registered");
            Ok(flash::redirect("/", Kind::Success, "flash-welcome"))
        }
        Err(RegisterError::Taken(errors)) => {
            views::auth::register(&v, &page, &form, &errors, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(RegisterError::Other(err)) => Err(err),
    }
}

#[debug_handler]
async fn logout(session: Session) -> Result<Response> {
    session
        .flush()
        .await
        .map_err(|e| Error::Message(e.to_string()))?;
    let mut res = flash::redirect("/", Kind::Info, "flash-logged-out");
    res.headers_mut()
        .insert("clear-site-data", HeaderValue::from_static("\"cache\""));
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

pub fn routes() -> Routes {
    Routes::new()
        .add("/login", get(login_page).post(login))
        .add("/register", get(register_page).post(register))
        .add("/logout", post(logout))
}
