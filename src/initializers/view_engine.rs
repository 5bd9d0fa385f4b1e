//! The Tera 2 view engine with our template functions:
//!
//! * `t(key=…, lang=…, …args)` — a Fluent message; `lang` defaults to the
//!   page's `lang` variable. A key missing from both languages is an error
//!   (tests render every page, so a typo cannot ship).
//! * `ago(ts=…, lang=…)` — "5 minutes ago" from a unix timestamp.
//! * `| urlencode` — percent-encodes a query-string value.
use std::{borrow::Cow, collections::HashMap};

use axum::{Extension, Router as AxumRouter};
use chrono::{DateTime, Utc};
use fluent_templates::fluent_bundle::FluentValue;
use loco_rs::{
    app::{AppContext, Initializer},
    controller::views::{engines::TeraView, ViewEngine},
    Error, Result,
};
use tera::{Kwargs, State, TeraResult};

use crate::i18n::{self, Lang};

fn lang_of(kwargs: &Kwargs, state: &State) -> TeraResult<Lang> {
    let code = match kwargs.get::<&str>("lang")? {
        Some(code) => Some(code.to_string()),
        None => state.get::<String>("lang")?,
    };
    code.as_deref()
        .and_then(Lang::parse)
        .ok_or_else(|| tera::Error::message("t(): no `lang` argument or variable"))
}

fn translate(kwargs: Kwargs, state: &State) -> TeraResult<String> {
    let lang = lang_of(&kwargs, state)?;
    let key = kwargs.must_get::<&str>("key")?;
    let mut args: HashMap<Cow<'static, str>, FluentValue<'_>> = HashMap::new();
    for (name, value) in kwargs.iter() {
        let Some(name) = name.as_str() else { continue };
        if matches!(name, "key" | "lang" | "__tera_one_off") {
            continue;
        }
        let value = if let Some(n) = value.as_i64() {
            FluentValue::from(n)
        } else if let Some(n) = value.as_f64() {
            FluentValue::from(n)
        } else if let Some(s) = value.as_str() {
            FluentValue::from(s.to_string())
        } else if value.is_none() {
            FluentValue::from("")
        } else {
            FluentValue::from(value.to_string())
        };
        args.insert(Cow::Owned(name.replace('_', "-")), value);
    }
    i18n::lookup(lang, key, &args)
        .ok_or_else(|| tera::Error::message(format!("missing translation key `{key}`")))
}

fn ago(kwargs: Kwargs, state: &State) -> TeraResult<String> {
    let lang = lang_of(&kwargs, state)?;
    let ts = kwargs.must_get::<i64>("ts")?;
    let then = DateTime::<Utc>::from_timestamp(ts, 0)
        .ok_or_else(|| tera::Error::message("ago(): timestamp out of range"))?;
    Ok(i18n::ago(lang, then, Utc::now()))
}

/// Builds the engine (used at boot and by view tests).
///
/// # Errors
/// When a template does not parse.
pub fn build() -> Result<TeraView> {
    // touch the catalogue now so a broken .ftl file fails the boot, not a page
    let _ = i18n::loader();
    TeraView::build_with_post_process(|tera| {
        tera.register_function("t", translate);
        tera.register_function("ago", ago);
        tera.register_filter("urlencode", |s: &str, _: Kwargs, _: &State| -> String {
            url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
        });
        Ok(())
    })
    .map_err(|e| Error::Message(format!("cannot build the view engine: {e}")))
}

pub struct ViewEngineInitializer;

#[async_trait::async_trait]
impl Initializer for ViewEngineInitializer {
    fn name(&self) -> String {
        "view-engine".to_string()
    }

    async fn after_routes(&self, router: AxumRouter, ctx: &AppContext) -> Result<AxumRouter> {
        let views = ctx
            .shared_store
            .get::<TeraView>()
            .ok_or_else(|| Error::Message("view engine missing from the shared store".into()))?;
        Ok(router.layer(Extension(ViewEngine::from(views))))
    }
}
