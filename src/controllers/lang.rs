//! The language switch: POST `/lang` sets the `lang` cookie.
use axum::{
    debug_handler,
    http::{header, HeaderValue},
};
use loco_rs::prelude::*;
use serde::Deserialize;

use crate::{i18n::Lang, text::safe_local_path};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LangForm {
    #[serde(default)]
    lang: String,
    #[serde(default)]
    next: String,
}

#[debug_handler]
async fn switch(Form(form): Form<LangForm>) -> Result<Response> {
    let Some(lang) = Lang::parse(&form.lang).filter(|_| form.lang.len() <= 5) else {
        return Err(Error::BadRequest("unknown language".into()));
    };
    let next = safe_local_path(&form.next).unwrap_or("/");
    let mut res = axum::response::Redirect::to(next).into_response();
    let cookie = format!(
        "lang={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly",
        lang.code()
    );
    res.headers_mut().append(
        header::SET_COOKIE,
        HeaderValue::from_str(&cookie).map_err(|_| Error::InternalServerError)?,
    );
    Ok(res)
}

pub fn routes() -> Routes {
    Routes::new().add("/lang", post(switch))
}
