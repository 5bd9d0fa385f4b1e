//! The profile a user edits in the settings: bio, website, birthday and
//! avatar. The check and the write are here; the multipart form is read by
//! the handler.
use std::path::PathBuf;

use bytes::Bytes;
use chrono::{Datelike, NaiveDate, Utc};
use loco_rs::storage::Storage;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait};
use serde::Serialize;

use super::{
    accounts::{ActiveModel, Error, Model},
    avatars::{self, AvatarError},
};
use crate::{
    forms::{FieldErrors, Value},
    text::has_forbidden_chars,
};

/// Longest bio, in characters.
pub const BIO_MAX: usize = 2_000;

/// The profile form as typed.
#[derive(Debug, Default, Clone, Serialize)]
pub struct ProfileForm {
    pub bio: String,
    pub website: String,
    pub birthday: String,
}

impl ProfileForm {
    /// The form filled with what `user` has now.
    #[must_use]
    pub fn of(user: &Model) -> Self {
        Self {
            bio: user.bio.clone(),
            website: user.website.clone().unwrap_or_default(),
            birthday: user.birthday.map(|d| d.to_string()).unwrap_or_default(),
        }
    }

    /// Checks the text fields; returns the parsed birthday.
    pub fn check(&self, errors: &mut FieldErrors) -> Option<NaiveDate> {
        if self.bio.chars().count() > BIO_MAX {
            errors.add_with("bio", "error-too-long", vec![("max", BIO_MAX.into())]);
        } else if has_forbidden_chars(&self.bio, true) {
            errors.add("bio", "error-control-chars");
        }
        if !self.website.is_empty() {
            let ok = self.website.len() <= 200
                && !has_forbidden_chars(&self.website, false)
                && url::Url::parse(&self.website).is_ok_and(|u| {
                    matches!(u.scheme(), "http" | "https") && u.host_str().is_some()
                });
            if !ok {
                errors.add("website", "error-website-invalid");
            }
        }
        if self.birthday.is_empty() {
            return None;
        }
        let today = Utc::now().date_naive();
        match NaiveDate::parse_from_str(&self.birthday, "%Y-%m-%d") {
            Ok(date) if date.year() >= 1900 && date.year() <= today.year() - 10 => Some(date),
            _ => {
                errors.add_with(
                    "birthday",
                    "error-birthday-range",
                    vec![
                        ("min", Value::Num(1900)),
                        ("max", Value::Num(i64::from(today.year() - 10))),
                    ],
                );
                None
            }
        }
    }
}

/// The message for an avatar that was refused.
pub fn avatar_error(errors: &mut FieldErrors, err: AvatarError, max_bytes: usize) {
    errors.add_with(
        "avatar",
        err.key(),
        vec![
            ("max", (max_bytes / 1024).into()),
            (
                "megapixels",
                Value::Num(i64::try_from(avatars::MAX_PIXELS / 1_000_000).unwrap_or(16)),
            ),
        ],
    );
}

/// What happens to the avatar.
#[derive(Debug)]
pub enum AvatarChange {
    Keep,
    /// A new picture, already checked and re-encoded as PNG.
    Replace(Vec<u8>),
    Remove,
}

/// Saves a checked profile. A new avatar is stored first and the old file
/// deleted only after the row points at the new one; a file that cannot
/// be deleted is logged and left (it is never served again).
///
/// # Errors
/// When the avatar cannot be stored or the row written.
pub async fn update(
    db: &impl ConnectionTrait,
    storage: &Storage,
    user: Model,
    form: &ProfileForm,
    birthday: Option<NaiveDate>,
    avatar: AvatarChange,
) -> Result<(), Error> {
    let old_avatar = user.avatar.clone();
    let user_id = user.id;
    let mut active: ActiveModel = user.into();
    active.bio = Set(form.bio.clone());
    active.website = Set(Some(form.website.clone()).filter(|w| !w.is_empty()));
    active.birthday = Set(birthday);
    active.updated_at = Set(Utc::now().fixed_offset());
    let replaced = match avatar {
        AvatarChange::Keep => false,
        AvatarChange::Replace(png) => {
            let name = avatars::new_name();
            storage
                .upload(&PathBuf::from("avatars").join(&name), &Bytes::from(png))
                .await?;
            active.avatar = Set(Some(name));
            true
        }
        AvatarChange::Remove => {
            active.avatar = Set(None);
            true
        }
    };
    active.update(db).await?;
    if replaced {
        if let Some(old) = old_avatar.filter(|o| avatars::valid_name(o)) {
            if let Err(error) = storage.delete(&PathBuf::from("avatars").join(&old)).await {
                tracing::warn!(user_id, file = %old, %error, "the old avatar could not be deleted");
            }
        }
    }
    Ok(())
}
