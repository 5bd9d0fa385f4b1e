//! Password reset by e-mail: a single-use link valid for one hour. The
//! request page answers the same whether or not the address exists.
use axum::{debug_handler, http::StatusCode};
use loco_rs::prelude::*;
use sea_orm::{ActiveValue::Set, TransactionTrait};
use serde::Deserialize;

use crate::{
    forms::FieldErrors,
    i18n::Arg,
    mailers::auth::AuthMailer,
    models::{password_resets, users},
    passwords,
    text::has_forbidden_chars,
    views,
    web::{
        flash::{self, Kind},
        session_store::DbSessionStore,
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
    page.with_csrf().await?;
    views::auth::forgot(&v, &page, "", &FieldErrors::new(), StatusCode::OK)
}

#[debug_handler]
async fn forgot(
    ViewEngine(v): ViewEngine<TeraView>,
    mut page: Page,
    State(ctx): State<AppContext>,
    Form(form): Form<ForgotForm>,
) -> Result<Response> {
    let lang = page.lang();
    let email = form.email.trim();
    page.with_csrf().await?;
    if email.is_empty()
        || email.len() > 254
        || has_forbidden_chars(email, false)
        || !email.contains('@')
    {
        let mut errors = FieldErrors::new();
        errors.add(lang, "email", "error-email-invalid");
        return views::auth::forgot(&v, &page, email, &errors, StatusCode::UNPROCESSABLE_ENTITY);
    }
    if let Some(user) = users::Model::find_by_email(&ctx.db, email).await? {
        let token = password_resets::Model::issue(&ctx.db, user.id).await?;
        AuthMailer::send_password_reset(&ctx, lang, &user, &token).await?;
    }
    Ok(flash::redirect("/login", Kind::Info, "flash-reset-sent"))
}

#[debug_handler]
async fn reset_page(
    ViewEngine(v): ViewEngine<TeraView>,
    mut page: Page,
    State(ctx): State<AppContext>,
    Path(token): Path<String>,
) -> Result<Response> {
    let valid = password_resets::Model::find_valid(&ctx.db, &token)
        .await?
        .is_some();
    if !valid {
        return views::auth::reset(&v, &page, "", false, &FieldErrors::new(), StatusCode::GONE);
    }
    page.with_csrf().await?;
    views::auth::reset(&v, &page, &token, true, &FieldErrors::new(), StatusCode::OK)
}

#[debug_handler]
async fn reset(
    ViewEngine(v): ViewEngine<TeraView>,
    page: Page,
    State(ctx): State<AppContext>,
    Path(token): Path<String>,
    Form(form): Form<ResetForm>,
) -> Result<Response> {
    let lang = page.lang();
    let Some(reset) = password_resets::Model::find_valid(&ctx.db, &token).await? else {
        return views::auth::reset(&v, &page, "", false, &FieldErrors::new(), StatusCode::GONE);
    };
    let Some(user) = users::Entity::find_by_id(reset.user_id)
        .one(&ctx.db)
        .await?
    else {
        return views::auth::reset(&v, &page, "", false, &FieldErrors::new(), StatusCode::GONE);
    };
    let mut errors = FieldErrors::new();
    if let Err(weak) = passwords::check_policy(&form.password, &user.username, &user.email) {
        errors.add_args(
            lang,
            "password",
            weak.key(),
            &[
                ("min", Arg::Num(passwords::MIN_LEN as i64)),
                ("max", Arg::Num(passwords::MAX_LEN as i64)),
            ],
        );
    }
    if form.password != form.password_confirm {
        errors.add(lang, "password_confirm", "error-password-mismatch");
    }
    if !errors.is_empty() {
        return views::auth::reset(
            &v,
            &page,
            &token,
            true,
            &errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let hash = passwords::hash(&form.password).await?;
    let txn = ctx.db.begin().await?;
    if !reset.consume(&txn).await? {
        txn.rollback().await?;
        return views::auth::reset(&v, &page, "", false, &FieldErrors::new(), StatusCode::GONE);
    }
    let mut active: users::ActiveModel = user.clone().into();
    active.password_hash = Set(hash);
    active.updated_at = Set(chrono::Utc::now().fixed_offset());
    active.update(&txn).await?;
    users::Model::bump_session_version(&txn, user.id).await?;
    DbSessionStore::delete_for_user(&txn, user.id, None).await?;
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
