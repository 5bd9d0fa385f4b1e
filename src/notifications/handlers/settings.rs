//! GET/POST `/settings/notifications`: per kind of notification, e-mail it
//! at once, in the daily digest, or not at all (`email_<kind>`).
use std::collections::HashMap;

use axum::debug_handler;
use loco_rs::prelude::*;

use crate::{
    db::write_txn,
    notifications::{prefs, views, Kind, Mode},
    web::{
        error::{AppError, Result},
        flash::{self, Kind as FlashKind},
        CurrentUser, Page,
    },
};

#[debug_handler]
async fn show(
    ViewEngine(v): ViewEngine<TeraView>,
    me: CurrentUser,
    page: Page,
    State(ctx): State<AppContext>,
) -> Result<Response> {
    let settings = prefs::of_user(&ctx.db, me.id).await?;
    views::settings(&v, &page, &settings)
}

/// The form's choices; a field we never sent or a value we never offered
/// is a bad request, and a kind left out keeps its setting.
fn parse(form: &HashMap<String, String>) -> Result<Vec<(Kind, Mode)>> {
    form.iter()
        .map(|(field, value)| {
            let kind = field
                .strip_prefix("email_")
                .and_then(Kind::parse)
                .ok_or(AppError::bad_request("unknown field"))?;
            let mode = Mode::parse(value).ok_or(AppError::bad_request("unknown mode"))?;
            Ok((kind, mode))
        })
        .collect()
}

#[debug_handler]
async fn save(
    me: CurrentUser,
    State(ctx): State<AppContext>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response> {
    let choices = parse(&form)?;
    let txn = write_txn(&ctx.db).await?;
    for (kind, mode) in choices {
        prefs::set(&txn, me.id, kind, mode).await?;
    }
    txn.commit().await?;
    Ok(flash::redirect(
        "/settings/notifications",
        FlashKind::Success,
        "flash-notification-settings-saved",
    ))
}

pub fn routes() -> Routes {
    Routes::new().add("/settings/notifications", get(show).post(save))
}
