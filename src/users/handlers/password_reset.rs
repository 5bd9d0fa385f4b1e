//! Password reset by e-mail: a single-use link valid for one hour. The
//! request page answers the same whether or not the address exists, and
//! using a link (or changing the password any other way) ends every other
//! outstanding link of the account.
use axum::{debug_handler, http::StatusCode};
use loco_rs::{controller::middleware::remote_ip::RemoteIP, prelude::*};
use serde::Deserialize;

use crate::{
    forms::FieldErrors,
    limits, passwords,
    settings::Settings,
    text::has_forbidden_chars,
    users::{
        self, jobs,
        tokens::{self, Purpose},
        views,
    },
    web::{
        client_ip,
        error::Result,
        flash::{self, Kind},
        Page,
    },
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ForgotForm {
    #[serde(default)]
    email: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ResetForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirm: String,
}

#[debug_handler]
async fn forgot_page(ViewEngine(v): ViewEngine<TeraView>, mut page: Page) -> Result<Response> {
    page.with_csrf();
    views::forgot(&v, &page, "", &FieldErrors::new(), StatusCode::OK)
}

/// Does the same work whether or not an account has the address: the
/// limits, then one queued job; the job looks the account up and mails it.
#[debug_handler]
async fn forgot(
    ViewEngine(v): ViewEngine<TeraView>,
    mut page: Page,
    State(ctx): State<AppContext>,
    remote: RemoteIP,
    Form(form): Form<ForgotForm>,
) -> Result<Response> {
    let lang = page.lang();
    let email = users::normalize_email(&form.email);
    page.with_csrf();
    if email.is_empty()
        || email.len() > 254
        || has_forbidden_chars(&email, false)
        || !email.contains('@')
    {
        let mut errors = FieldErrors::new();
        errors.add("email", "error-email-invalid");
        return views::forgot(&v, &page, &email, &errors, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let limits = &Settings::get(&ctx).limits;
    let ip = client_ip::bucket(&remote);
    let address = limits::digest(&email);
    limits::hit(&ctx.db, &format!("reset-ip:{ip}"), &limits.reset_client)
        .await?
        .and(
            limits::hit(
                &ctx.db,
                &format!("reset-to:{address}"),
                &limits.reset_address,
            )
            .await?,
        )
        .ok()?;
    jobs::reset(&ctx.db, email, lang).await?;
    Ok(flash::redirect("/login", Kind::Info, "flash-reset-sent"))
}

#[debug_handler]
async fn reset_page(
    ViewEngine(v): ViewEngine<TeraView>,
    mut page: Page,
    State(ctx): State<AppContext>,
    Path(token): Path<String>,
) -> Result<Response> {
    let valid = tokens::Model::find_valid(&ctx.db, &token, Purpose::Reset)
        .await?
        .is_some();
    if !valid {
        return views::reset(&v, &page, "", false, &FieldErrors::new(), StatusCode::GONE);
    }
    page.with_csrf();
    views::reset(&v, &page, &token, true, &FieldErrors::new(), StatusCode::OK)
}

#[debug_handler]
async fn reset(
    ViewEngine(v): ViewEngine<TeraView>,
    mut page: Page,
    State(ctx): State<AppContext>,
    Path(token): Path<String>,
    Form(form): Form<ResetForm>,
) -> Result<Response> {
    let Some(reset) = tokens::Model::find_valid(&ctx.db, &token, Purpose::Reset).await? else {
        return views::reset(&v, &page, "", false, &FieldErrors::new(), StatusCode::GONE);
    };
    let Some(user) = users::Entity::find_by_id(reset.user_id)
        .one(&ctx.db)
        .await?
    else {
        return views::reset(&v, &page, "", false, &FieldErrors::new(), StatusCode::GONE);
    };
    let mut errors = FieldErrors::new();
    users::accounts::check_new_password(
        &mut errors,
        ("password", "password_confirm"),
        (&form.password, &form.password_confirm),
        (&user.username, &user.email),
    );
    if !errors.is_empty() {
        // the form comes back: it needs its token again
        page.with_csrf();
        return views::reset(
            &v,
            &page,
            &token,
            true,
            &errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let hash = passwords::hash(&form.password).await?;
    let txn = crate::db::write_txn(&ctx.db).await?;
    if !reset.consume(&txn).await? {
        txn.rollback().await?;
        return views::reset(&v, &page, "", false, &FieldErrors::new(), StatusCode::GONE);
    }
    users::Model::set_password(&txn, user.id, hash).await?;
    // the mailbox is proven: the address counts as confirmed
    users::Model::confirm_email(&txn, user.id).await?;
    // whoever was locked out by failed logins has just proven who they are
    let rules = &Settings::get(&ctx).limits.login_account;
    limits::clear(&txn, &users::login_bucket(user.id), rules).await?;
    txn.commit().await?;
    tracing::info!(user_id = user.id, "password reset");
    Ok(flash::redirect(
        "/login",
        Kind::Success,
        "flash-password-reset",
    ))
}

pub fn routes() -> Routes {
    Routes::new()
        .add("/password/forgot", get(forgot_page).post(forgot))
        .add("/password/reset/{token}", get(reset_page).post(reset))
}
