//! POST `/preview`: a markdown body rendered and sanitized exactly as it
//! would be saved, for the live preview beside the editors (JavaScript).
//! The forms' Preview buttons without JavaScript post to the form itself.
use axum::{
    debug_handler,
    http::{header, HeaderValue, StatusCode},
};
use loco_rs::prelude::*;
use serde::Deserialize;

use crate::{
    forms::BODY_MAX,
    i18n::t,
    limits, markdown,
    settings::Settings,
    text::{escape_html, normalize_newlines},
    web::{error::Result, Member, Page},
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PreviewParams {
    #[serde(default)]
    body: String,
}

#[debug_handler]
async fn preview(
    Member(me): Member,
    page: Page,
    State(ctx): State<AppContext>,
    Form(form): Form<PreviewParams>,
) -> Result<Response> {
    let rules = &Settings::get(&ctx).limits.preview;
    limits::hit(&ctx.db, &format!("preview:{}", me.id), rules)
        .await?
        .ok()?;
    let rendered = if form.body.chars().count() > BODY_MAX {
        Err("error-preview-too-long")
    } else {
        markdown::render(&normalize_newlines(&form.body)).map_err(|_| "error-preview-too-deep")
    };
    let (status, html) = match rendered {
        Ok(html) => (StatusCode::OK, html),
        // the pane shows why, in the writer's language
        Err(key) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "<p class=\"text-danger\">{}</p>",
                escape_html(&t(page.lang(), key))
            ),
        ),
    };
    let mut res = (status, html).into_response();
    // the fragment is the answer, also when it explains a 422
    res.extensions_mut()
        .insert(crate::web::error_pages::Rendered);
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    Ok(res)
}

pub fn routes() -> Routes {
    Routes::new().add("/preview", post(preview))
}
