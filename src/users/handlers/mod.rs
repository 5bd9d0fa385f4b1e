//! The users module's pages.
use loco_rs::prelude::Routes;

mod auth;
mod avatars;
mod lang;
mod password_reset;
mod profiles;
mod settings;

pub fn routes() -> Routes {
    auth::routes()
        .merge(password_reset::routes())
        .merge(lang::routes())
        .merge(profiles::routes())
        .merge(settings::routes())
        .merge(avatars::routes())
}
