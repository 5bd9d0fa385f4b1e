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
    admin::moderation,
    forms::{FieldErrors, Value},
    limits, passwords,
    settings::Settings,
    text::{has_forbidden_chars, safe_local_path},
    users::{
        self,
        sessions::{Login, LOGIN_KEY},
        tokens::{self, Purpose},
        views, RegisterParams, Registered,
    },
    votes::Votes,
    web::{
        client_ip, csrf,
        error::Result,
        flash::{self, Kind},
        Page,
    },
};

#[derive(Debug, Default, Deserialize)]
struct NextQuery {
    #[serde(default)]
    next: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct LoginForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

/// Starts an authenticated session for `user`: a new session id (no
/// fixation), the user's session version, and a new CSRF token.
///
/// # Errors
/// When the session store fails.
pub async fn start_session(session: &Session, user: &users::Model) -> Result<()> {
    session.cycle_id().await?;
    session
        .insert(LOGIN_KEY, Login::new(user, Utc::now()))
        .await?;
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
    page.with_csrf();
    views::login(&v, &page, ("", &next), &FieldErrors::new(), StatusCode::OK)
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
        errors.add("login", "error-required");
    } else if form.login.len() > 254 || has_forbidden_chars(&form.login, false) {
        errors.add("login", "error-login-failed");
    }
    if form.password.is_empty() {
        errors.add("password", "error-required");
    }
    page.with_csrf();
    if !errors.is_empty() {
        return views::login(
            &v,
            &page,
            (&form.login, &form.next),
            &errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }

    // Every attempt counts as a failure until the password proves right:
    // counting before the (slow) check means concurrent guesses cannot slip
    // past the limit. A right password takes its hit back. An account is
    // counted by its id, whether named by username or e-mail.
    let user = users::Model::find_by_login(&ctx.db, &form.login).await?;
    let limits = &Settings::get(&ctx).limits;
    let account = match &user {
        Some(user) => users::login_bucket(user.id),
        None => format!(
            "login-unknown:{}",
            limits::digest(&users::normalize_login(&form.login))
        ),
    };
    let client = format!("login-ip:{}", client_ip::bucket(&remote));
    let decision = limits::hit(&ctx.db, &account, &limits.login_account)
        .await?
        .and(limits::hit(&ctx.db, &client, &limits.login_client).await?);
    if decision.is_refused() {
        tracing::info!(login = %form.login, ip = %ip, "login refused: too many failures");
        decision.ok()?;
    }

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
            errors.add("login", "error-login-failed");
            return views::login(
                &v,
                &page,
                (&form.login, &form.next),
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    limits::clear(&ctx.db, &account, &limits.login_account).await?;
    limits::refund(&ctx.db, &client, &limits.login_client).await?;
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
        errors.add_with(
            "login",
            "error-account-suspended",
            vec![
                ("until", Value::from(until.as_str())),
                ("reason", Value::from(reason.as_str())),
            ],
        );
        return views::login(
            &v,
            &page,
            (&form.login, &form.next),
            &errors,
            StatusCode::FORBIDDEN,
        );
    }
    users::Model::set_lang(&ctx.db, user.id, lang).await?;
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
    page.with_csrf();
    views::register(
        &v,
        &page,
        &RegisterParams::default(),
        &FieldErrors::new(),
        StatusCode::OK,
    )
}

/// Registration answers the same whether the address is new or already has
/// an account (whose owner is mailed instead): the page never reveals who
/// is registered. Both ways the visitor is asked to check their mail.
#[debug_handler]
async fn register(
    ViewEngine(v): ViewEngine<TeraView>,
    mut page: Page,
    State(ctx): State<AppContext>,
    remote: RemoteIP,
    Form(form): Form<RegisterParams>,
) -> Result<Response> {
    if page.user().is_some() {
        return Ok(axum::response::Redirect::to("/").into_response());
    }
    page.with_csrf();
    let errors = form.validate();
    if !errors.is_empty() {
        return views::register(&v, &page, &form, &errors, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let ip = client_ip::text(&remote);
    let rules = &Settings::get(&ctx).limits.register_client;
    limits::hit(
        &ctx.db,
        &format!("register-ip:{}", client_ip::bucket(&remote)),
        rules,
    )
    .await?
    .ok()?;
    match users::ActiveModel::register(&ctx.db, &form, page.lang(), false).await {
        Ok(Registered::New(user)) => {
            tracing::info!(user_id = user.id, ip = %ip, "registered");
        }
        Ok(Registered::AddressTaken) => {
            tracing::info!(ip = %ip, "registration with a taken address; its owner is mailed");
        }
        Err(users::accounts::Error::UsernameTaken) => {
            let mut errors = FieldErrors::new();
            errors.add("username", "error-username-taken");
            return views::register(&v, &page, &form, &errors, StatusCode::UNPROCESSABLE_ENTITY);
        }
        Err(err) => return Err(err.into()),
    }
    Ok(flash::redirect(
        "/login",
        Kind::Info,
        "flash-registered-confirm",
    ))
}

/// The link from the confirmation mail: confirms the address once.
#[debug_handler]
async fn confirm(
    ViewEngine(v): ViewEngine<TeraView>,
    page: Page,
    State(ctx): State<AppContext>,
    Path(token): Path<String>,
) -> Result<Response> {
    let Some(link) = tokens::Model::find_valid(&ctx.db, &token, Purpose::Confirm).await? else {
        return views::confirm_invalid(&v, &page);
    };
    let txn = crate::db::write_txn(&ctx.db).await?;
    if !link.consume(&txn).await? {
        txn.rollback().await?;
        return views::confirm_invalid(&v, &page);
    }
    users::Model::confirm_email(&txn, link.user_id).await?;
    txn.commit().await?;
    tracing::info!(user_id = link.user_id, "e-mail address confirmed");
    let to = if page.user().is_some() { "/" } else { "/login" };
    Ok(flash::redirect(to, Kind::Success, "flash-email-confirmed"))
}

#[debug_handler]
async fn logout(session: Session) -> Result<Response> {
    session.flush().await?;
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
        .add("/register/confirm/{token}", get(confirm))
        .add("/logout", post(logout))
}
