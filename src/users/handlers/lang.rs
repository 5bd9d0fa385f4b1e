//! The language switch: POST `/lang` sets the `lang` cookie.
use axum::{
    debug_handler,
    http::{header, HeaderValue},
};
use loco_rs::prelude::*;

use crate::web::error::{AppError, Result};
use serde::Deserialize;

use crate::{i18n::Lang, text::safe_local_path, users, web::MaybeUser};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LangForm {
    #[serde(default)]
    lang: String,
    #[serde(default)]
    next: String,
}

#[debug_handler]
async fn switch(
    MaybeUser(me): MaybeUser,
    State(ctx): State<AppContext>,
    Form(form): Form<LangForm>,
) -> Result<Response> {
    let Some(lang) = Lang::parse(&form.lang).filter(|_| form.lang.len() <= 5) else {
        return Err(AppError::bad_request("unknown language"));
    };
    if let Some(me) = me {
        // e-mails follow the language the user reads the site in
        users::Model::set_lang(&ctx.db, me.id, lang).await?;
    }
    let next = safe_local_path(&form.next).unwrap_or("/");
    let mut res = axum::response::Redirect::to(next).into_response();
    let cookie = format!(
        "lang={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly",
        lang.code()
    );
    res.headers_mut().append(
        header::SET_COOKIE,
        HeaderValue::from_str(&cookie).map_err(|e| AppError::internal(e.to_string()))?,
    );
    Ok(res)
}

pub fn routes() -> Routes {
    Routes::new().add("/lang", post(switch))
}
