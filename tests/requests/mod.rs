mod auth;
mod csrf;
mod errors;
mod i18n;
mod password_reset;
mod profile;
mod sessions;
