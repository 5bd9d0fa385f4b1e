//! The viewer's own settings: profile (bio, website, birthday, avatar),
//! password, and sending the confirmation link again.
use std::collections::HashSet;

use axum::{
    debug_handler,
    extract::{multipart::Field, Multipart},
    http::StatusCode,
};
use bytes::Bytes;
use loco_rs::prelude::*;
use serde::Deserialize;

use super::auth::start_session;
use crate::{
    forms::FieldErrors,
    limits, passwords,
    settings::Settings,
    text::normalize_newlines,
    users::{
        self, avatars, jobs,
        profile::{self, AvatarChange, ProfileForm},
        views,
    },
    web::{
        error::{AppError, Result},
        flash::{self, Kind},
        CurrentUser, Page,
    },
};

/// Longest text part read from the multipart form, in bytes.
const TEXT_PART_MAX: usize = 16 * 1024;

async fn load_me(ctx: &AppContext, me: &CurrentUser) -> Result<users::Model> {
    users::Model::find_live(&ctx.db, me.id)
        .await?
        .ok_or(AppError::not_found())
}

#[debug_handler]
async fn profile_page(
    ViewEngine(v): ViewEngine<TeraView>,
    me: CurrentUser,
    page: Page,
    State(ctx): State<AppContext>,
) -> Result<Response> {
    let user = load_me(&ctx, &me).await?;
    views::settings_profile(
        &v,
        &page,
        &ProfileForm::of(&user),
        user.avatar_url(),
        &FieldErrors::new(),
        StatusCode::OK,
    )
}

/// Reads a part into memory, refusing more than `max` bytes.
async fn read_part(field: &mut Field<'_>, max: usize) -> std::result::Result<Option<Bytes>, ()> {
    let mut buf = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(|_| ())? {
        if buf.len() + chunk.len() > max {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(Some(Bytes::from(buf)))
}

struct ProfileInput {
    form: ProfileForm,
    avatar: Option<Bytes>,
    avatar_too_large: bool,
    remove_avatar: bool,
}

/// Parses the multipart form: each known field at most once, nothing else.
async fn parse_profile(mut multipart: Multipart, max_avatar: usize) -> Result<ProfileInput> {
    let bad = || AppError::bad_request("malformed form");
    let mut input = ProfileInput {
        form: ProfileForm::default(),
        avatar: None,
        avatar_too_large: false,
        remove_avatar: false,
    };
    let mut seen = HashSet::new();
    while let Some(mut field) = multipart.next_field().await.map_err(|_| bad())? {
        let name = field.name().unwrap_or_default().to_string();
        if !seen.insert(name.clone()) {
            return Err(AppError::bad_request("duplicate field"));
        }
        match name.as_str() {
            "avatar" => {
                let picked = field.file_name().is_some_and(|f| !f.is_empty());
                match read_part(&mut field, max_avatar)
                    .await
                    .map_err(|()| bad())?
                {
                    Some(bytes) if picked && !bytes.is_empty() => input.avatar = Some(bytes),
                    Some(_) => {}
                    None => input.avatar_too_large = true,
                }
            }
            "bio" | "website" | "birthday" | "remove_avatar" | "csrf_token" => {
                let bytes = read_part(&mut field, TEXT_PART_MAX)
                    .await
                    .map_err(|()| bad())?
                    .ok_or_else(|| AppError::bad_request("field too long"))?;
                let text = String::from_utf8(bytes.to_vec()).map_err(|_| bad())?;
                match name.as_str() {
                    "bio" => input.form.bio = normalize_newlines(&text),
                    "website" => input.form.website = text.trim().to_string(),
                    "birthday" => input.form.birthday = text.trim().to_string(),
                    "remove_avatar" => input.remove_avatar = !text.is_empty(),
                    _ => {}
                }
            }
            _ => return Err(AppError::bad_request("unknown field")),
        }
    }
    Ok(input)
}

#[debug_handler]
async fn update_profile(
    ViewEngine(v): ViewEngine<TeraView>,
    me: CurrentUser,
    page: Page,
    State(ctx): State<AppContext>,
    multipart: Multipart,
) -> Result<Response> {
    let max = Settings::get(&ctx).max_avatar_bytes;
    let input = parse_profile(multipart, max).await?;
    let user = load_me(&ctx, &me).await?;
    let mut errors = FieldErrors::new();
    let birthday = input.form.check(&mut errors);
    let mut avatar = if input.remove_avatar {
        AvatarChange::Remove
    } else {
        AvatarChange::Keep
    };
    if input.avatar_too_large {
        profile::avatar_error(&mut errors, avatars::AvatarError::TooLarge, max);
    } else if let Some(bytes) = input.avatar {
        match avatars::process_bounded(bytes, max).await {
            Ok(png) => avatar = AvatarChange::Replace(png),
            Err(err) => profile::avatar_error(&mut errors, err, max),
        }
    }
    if !errors.is_empty() {
        return views::settings_profile(
            &v,
            &page,
            &input.form,
            user.avatar_url(),
            &errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    profile::update(&ctx.db, &ctx.storage, user, &input.form, birthday, avatar).await?;
    Ok(flash::redirect(
        "/settings/profile",
        Kind::Success,
        "flash-profile-saved",
    ))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    new_password_confirm: String,
}

#[debug_handler]
async fn password_page(
    ViewEngine(v): ViewEngine<TeraView>,
    _me: CurrentUser,
    page: Page,
) -> Result<Response> {
    views::settings_password(&v, &page, &FieldErrors::new(), StatusCode::OK)
}

#[debug_handler]
async fn update_password(
    ViewEngine(v): ViewEngine<TeraView>,
    me: CurrentUser,
    page: Page,
    State(ctx): State<AppContext>,
    Form(form): Form<PasswordForm>,
) -> Result<Response> {
    let user = load_me(&ctx, &me).await?;
    let mut errors = FieldErrors::new();
    if !passwords::verify(&form.current_password, Some(&user.password_hash)).await? {
        errors.add("current_password", "error-current-password");
    }
    users::accounts::check_new_password(
        &mut errors,
        ("new_password", "new_password_confirm"),
        (&form.new_password, &form.new_password_confirm),
        (&user.username, &user.email),
    );
    if !errors.is_empty() {
        return views::settings_password(&v, &page, &errors, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let hash = passwords::hash(&form.new_password).await?;
    let txn = crate::db::write_txn(&ctx.db).await?;
    users::Model::set_password(&txn, user.id, hash).await?;
    txn.commit().await?;
    // this browser stays logged in, under a new session id and version
    let user = load_me(&ctx, &me).await?;
    start_session(&page.session, &user).await?;
    tracing::info!(user_id = user.id, "password changed; other sessions ended");
    Ok(flash::redirect(
        "/settings/password",
        Kind::Success,
        "flash-password-changed",
    ))
}

/// Sends the confirmation link again (at most once per the account-mail
/// limit; over it the user sees a 429 page with the wait).
#[debug_handler]
async fn resend_confirmation(
    me: CurrentUser,
    page: Page,
    State(ctx): State<AppContext>,
) -> Result<Response> {
    if me.confirmed() {
        return Ok(flash::redirect(
            "/settings/profile",
            Kind::Info,
            "flash-email-confirmed",
        ));
    }
    let rules = &Settings::get(&ctx).limits.account_mail;
    limits::hit(&ctx.db, &format!("resend-confirm:{}", me.id), rules)
        .await?
        .ok()?;
    jobs::confirm(&ctx.db, me.id, page.lang()).await?;
    Ok(flash::redirect(
        "/settings/profile",
        Kind::Success,
        "flash-confirmation-sent",
    ))
}

pub fn routes() -> Routes {
    Routes::new()
        .add(
            "/settings",
            get(|| async { axum::response::Redirect::to("/settings/profile") }),
        )
        .add("/settings/profile", get(profile_page).post(update_profile))
        .add("/settings/confirm", post(resend_confirmation))
        .add(
            "/settings/password",
            get(password_page).post(update_password),
        )
}
