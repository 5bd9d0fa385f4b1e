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
use sea_orm::{ActiveValue::Set, TransactionTrait};
use serde::Deserialize;

use crate::{
    avatars,
    controllers::auth::start_session,
    forms::FieldErrors,
    i18n::{Arg, Lang},
    models::users,
    passwords,
    settings::Settings,
    text::{has_forbidden_chars, normalize_newlines},
    views::{self, users::ProfileForm},
    web::{
        flash::{self, Kind},
        session_store::DbSessionStore,
        CurrentUser, Page,
    },
};

/// Longest bio, in characters.
const BIO_MAX: usize = 2_000;
/// Longest text part read from the multipart form, in bytes.
const TEXT_PART_MAX: usize = 16 * 1024;

async fn load_me(ctx: &AppContext, me: &CurrentUser) -> Result<users::Model> {
    users::Entity::find_by_id(me.id)
        .one(&ctx.db)
        .await?
        .ok_or(Error::NotFound)
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
    let bad = || Error::BadRequest("malformed form".into());
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
            return Err(Error::BadRequest("duplicate field".into()));
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
                    .ok_or_else(|| Error::BadRequest("field too long".into()))?;
                let text = String::from_utf8(bytes.to_vec()).map_err(|_| bad())?;
                match name.as_str() {
                    "bio" => input.form.bio = normalize_newlines(&text),
                    "website" => input.form.website = text.trim().to_string(),
                    "birthday" => input.form.birthday = text.trim().to_string(),
                    "remove_avatar" => input.remove_avatar = !text.is_empty(),
                    _ => {}
                }
            }
            _ => return Err(Error::BadRequest("unknown field".into())),
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
        let processed = tokio::task::spawn_blocking(move || avatars::process(&bytes, max))
            .await
            .map_err(|e| Error::Message(e.to_string()))?;
        match processed {
            Ok(png) => new_avatar = Some(png),
            Err(err) => errors.add_args(
                lang,
                "avatar",
                err.key(),
                &[("max", Arg::Num((max / 1024) as i64))],
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
    let txn = ctx.db.begin().await?;
    let mut active: users::ActiveModel = user.clone().into();
    active.password_hash = Set(hash);
    active.updated_at = Set(Utc::now().fixed_offset());
    let user = active.update(&txn).await?;
    users::Model::bump_session_version(&txn, user.id).await?;
    DbSessionStore::delete_for_user(&txn, user.id, None).await?;
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

pub fn routes() -> Routes {
    Routes::new()
        .add(
            "/settings",
            get(|| async { axum::response::Redirect::to("/settings/profile") }),
        )
        .add("/settings/profile", get(profile_page).post(update_profile))
        .add(
            "/settings/password",
            get(password_page).post(update_password),
        )
}
