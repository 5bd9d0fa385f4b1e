//! The viewer's own settings: profile (bio, website, birthday, avatar) and
//! password.
use std::{collections::HashSet, path::PathBuf};

use axum::{
    debug_handler,
    extract::{multipart::Field, Multipart},
    http::StatusCode,
};
use bytes::Bytes;
use chrono::{Datelike, NaiveDate, Utc};
use loco_rs::prelude::*;

use crate::web::error::{AppError, Result};
use sea_orm::ActiveValue::Set;
use serde::Deserialize;

use crate::{
    avatars,
    controllers::auth::start_session,
    forms::FieldErrors,
    i18n::{Arg, Lang},
    jobs, limits,
    models::users,
    passwords,
    settings::Settings,
    text::{has_forbidden_chars, normalize_newlines},
    views::{self, users::ProfileForm},
    web::{
        flash::{self, Kind},
        CurrentUser, Page,
    },
    workers,
};

/// Longest bio, in characters.
const BIO_MAX: usize = 2_000;
/// Longest text part read from the multipart form, in bytes.
const TEXT_PART_MAX: usize = 16 * 1024;

async fn load_me(ctx: &AppContext, me: &CurrentUser) -> Result<users::Model> {
    users::Entity::find_by_id(me.id)
        .one(&ctx.db)
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
    let form = ProfileForm {
        bio: user.bio.clone(),
        website: user.website.clone().unwrap_or_default(),
        birthday: user.birthday.map(|d| d.to_string()).unwrap_or_default(),
    };
    views::users::settings_profile(
        &v,
        &page,
        &form,
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

/// Checks the text fields; returns the parsed birthday.
fn validate_profile(lang: Lang, form: &ProfileForm, errors: &mut FieldErrors) -> Option<NaiveDate> {
    if form.bio.chars().count() > BIO_MAX {
        errors.add_args(
            lang,
            "bio",
            "error-too-long",
            &[("max", Arg::Num(BIO_MAX as i64))],
        );
    } else if has_forbidden_chars(&form.bio, true) {
        errors.add(lang, "bio", "error-control-chars");
    }
    if !form.website.is_empty() {
        let ok = form.website.len() <= 200
            && !has_forbidden_chars(&form.website, false)
            && url::Url::parse(&form.website)
                .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some());
        if !ok {
            errors.add(lang, "website", "error-website-invalid");
        }
    }
    if form.birthday.is_empty() {
        return None;
    }
    let today = Utc::now().date_naive();
    match NaiveDate::parse_from_str(&form.birthday, "%Y-%m-%d") {
        Ok(date) if date.year() >= 1900 && date.year() <= today.year() - 10 => Some(date),
        _ => {
            errors.add_args(
                lang,
                "birthday",
                "error-birthday-range",
                &[
                    ("min", Arg::Num(1900)),
                    ("max", Arg::Num(i64::from(today.year() - 10))),
                ],
            );
            None
        }
    }
}

#[debug_handler]
async fn update_profile(
    ViewEngine(v): ViewEngine<TeraView>,
    me: CurrentUser,
    page: Page,
    State(ctx): State<AppContext>,
    multipart: Multipart,
) -> Result<Response> {
    let settings = Settings::get(&ctx);
    let lang = page.lang();
    let input = parse_profile(multipart, settings.max_avatar_bytes).await?;
    let user = load_me(&ctx, &me).await?;
    let mut errors = FieldErrors::new();
    let birthday = validate_profile(lang, &input.form, &mut errors);

    let mut new_avatar = None;
    if input.avatar_too_large {
        errors.add_args(
            lang,
            "avatar",
            "error-avatar-too-large",
            &[("max", Arg::Num((settings.max_avatar_bytes / 1024) as i64))],
        );
    } else if let Some(bytes) = input.avatar {
        let max = settings.max_avatar_bytes;
        match avatars::process_bounded(bytes, max).await {
            Ok(png) => new_avatar = Some(png),
            Err(err) => errors.add_args(
                lang,
                "avatar",
                err.key(),
                &[
                    ("max", Arg::Num((max / 1024) as i64)),
                    (
                        "megapixels",
                        Arg::Num(i64::try_from(avatars::MAX_PIXELS / 1_000_000).unwrap_or(12)),
                    ),
                ],
            ),
        }
    }
    if !errors.is_empty() {
        return views::users::settings_profile(
            &v,
            &page,
            &input.form,
            user.avatar_url(),
            &errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }

    let old_avatar = user.avatar.clone();
    let mut active: users::ActiveModel = user.into();
    active.bio = Set(input.form.bio.clone());
    active.website = Set(Some(input.form.website.clone()).filter(|w| !w.is_empty()));
    active.birthday = Set(birthday);
    active.updated_at = Set(Utc::now().fixed_offset());
    let mut stored = None;
    if let Some(png) = new_avatar {
        let name = avatars::new_name();
        ctx.storage
            .upload(&PathBuf::from("avatars").join(&name), &Bytes::from(png))
            .await?;
        active.avatar = Set(Some(name.clone()));
        stored = Some(name);
    } else if input.remove_avatar {
        active.avatar = Set(None);
    }
    active.update(&ctx.db).await?;
    // the old file goes only after the row points at the new one
    if stored.is_some() || input.remove_avatar {
        if let Some(old) = old_avatar.filter(|o| avatars::valid_name(o)) {
            let _ = ctx
                .storage
                .delete(&PathBuf::from("avatars").join(old))
                .await;
        }
    }
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
    views::users::settings_password(&v, &page, &FieldErrors::new(), StatusCode::OK)
}

#[debug_handler]
async fn update_password(
    ViewEngine(v): ViewEngine<TeraView>,
    me: CurrentUser,
    page: Page,
    State(ctx): State<AppContext>,
    Form(form): Form<PasswordForm>,
) -> Result<Response> {
    let lang = page.lang();
    let user = load_me(&ctx, &me).await?;
    let mut errors = FieldErrors::new();
    if !passwords::verify(&form.current_password, Some(&user.password_hash)).await? {
        errors.add(lang, "current_password", "error-current-password");
    }
    if let Err(weak) = passwords::check_policy(&form.new_password, &user.username, &user.email) {
        errors.add_args(
            lang,
            "new_password",
            weak.key(),
            &[
                ("min", Arg::Num(passwords::MIN_LEN as i64)),
                ("max", Arg::Num(passwords::MAX_LEN as i64)),
            ],
        );
    }
    if form.new_password != form.new_password_confirm {
        errors.add(lang, "new_password_confirm", "error-password-mismatch");
    }
    if !errors.is_empty() {
        return views::users::settings_password(
            &v,
            &page,
            &errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
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
    if me.confirmed {
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
    let job = workers::ConfirmRequest {
        user_id: me.id,
        lang: page.lang(),
    };
    jobs::enqueue(&ctx.db, workers::CONFIRM, &job).await?;
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
