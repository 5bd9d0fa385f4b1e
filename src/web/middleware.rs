//! Puts our layers into loco's middleware stack, in the order described in
//! `web/mod.rs`.
//!
//! loco applies its stack first-to-last, each entry wrapping the previous
//! ones, so an entry's position decides what it sees: everything inserted
//! after `timeout_request` sees routes (and the 404 fallback) but the static
//! files, which are mounted later, bypass sessions and the database.
use std::sync::Arc;

use axum::{
    middleware::{from_fn, from_fn_with_state},
    Router as AXRouter,
};
use loco_rs::{
    app::AppContext,
    controller::middleware::{self, MiddlewareLayer, MiddlewareStackExt},
    prelude::TeraView,
    Result,
};
use tower_sessions::{cookie::SameSite, Expiry, SessionManagerLayer};

use crate::{
    keys::Keys,
    settings::Settings,
    web::{
        auth, csrf, error_pages, headers, input, metrics,
        outage::{self, OutageState},
        page_cache, query_count,
        session_store::DbSessionStore,
        static_files,
    },
};

type ApplyFn = dyn Fn(AXRouter<AppContext>) -> AXRouter<AppContext> + Send + Sync;

/// A named layer for loco's stack.
struct Layer {
    name: &'static str,
    apply: Box<ApplyFn>,
}

impl MiddlewareLayer for Layer {
    fn name(&self) -> &'static str {
        self.name
    }

    fn config(&self) -> serde_json::Result<serde_json::Value> {
        Ok(serde_json::json!({}))
    }

    fn apply(&self, app: AXRouter<AppContext>) -> Result<AXRouter<AppContext>> {
        Ok((self.apply)(app))
    }
}

fn layer(
    name: &'static str,
    apply: impl Fn(AXRouter<AppContext>) -> AXRouter<AppContext> + Send + Sync + 'static,
) -> Box<dyn MiddlewareLayer> {
    Box::new(Layer {
        name,
        apply: Box::new(apply),
    })
}

/// The anonymous page cache, outside every other layer (applied in
/// `after_routes`): a hit skips loco's whole stack, sessions and the
/// database, so it costs little more than writing the bytes; the stored
/// headers are the ones the full stack sent.
pub fn outermost(router: axum::Router, ctx: &AppContext) -> axum::Router {
    let pages = page_cache::PageCache::new(&Settings::get(ctx).page_cache, ctx.db.clone());
    router.layer(from_fn_with_state(pages, page_cache::layer))
}

/// loco's default stack with ours woven in.
#[must_use]
pub fn stack(ctx: &AppContext) -> Vec<Box<dyn MiddlewareLayer>> {
    let settings = Settings::get(ctx);
    let views = ctx
        .shared_store
        .get::<TeraView>()
        .expect("the view engine is built in after_context");
    let keys = ctx
        .shared_store
        .get::<Keys>()
        .expect("the keys are loaded in before_run");

    let csrf_cfg = csrf::CsrfConfig {
        max_body_bytes: settings.max_body_bytes,
        trusted_origins: Arc::new(settings.trusted_origins.clone()),
        anonymous: csrf::AnonymousTokens::new(keys, settings.session.secure),
    };
    let session_layer = SessionManagerLayer::new(DbSessionStore::new(ctx.db.clone()))
        .with_name(settings.session.cookie_name.clone())
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(settings.session.secure)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(time::Duration::days(
            settings.session.idle_days,
        )));
    // behind an Arc: every layer outside clones its inner stack per
    // request, and a bare AppContext clone copies loco's whole Config
    let auth_ctx = Arc::new(ctx.clone());
    let expose = settings.expose_query_count;
    let outage = OutageState::default();

    // innermost first: each insert_after puts the new layer outside the last
    let ours: Vec<Box<dyn MiddlewareLayer>> = vec![
        layer("csrf", move |app| {
            app.layer(from_fn_with_state(csrf_cfg.clone(), csrf::guard))
        }),
        layer("auth", move |app| {
            app.layer(from_fn_with_state(auth_ctx.clone(), auth::resolve))
        }),
        layer("outage", move |app| {
            app.layer(from_fn_with_state(outage.clone(), outage::guard))
        }),
        // inside the error pages, so a refused request line gets a page
        layer("input", |app| app.layer(from_fn(input::guard))),
        layer("error_pages", move |app| {
            app.layer(from_fn_with_state(views.clone(), error_pages::pages))
        }),
        layer("lang", |app| app.layer(from_fn(auth::resolve_lang))),
        layer("session", move |app| app.layer(session_layer.clone())),
        layer("query_count", move |app| {
            app.layer(from_fn_with_state(expose, query_count::layer))
        }),
        // outside the others: every status they answer is counted
        layer("metrics", |app| app.layer(from_fn(metrics::layer))),
    ];

    let mut stack = middleware::default_middleware_stack(ctx);
    let mut anchor = "timeout_request";
    for mw in ours {
        let name = mw.name();
        stack.insert_after(anchor, mw);
        anchor = name;
    }
    stack.replace("static", layer("static", static_files::mount));
    let secure = settings.session.secure;
    stack.insert_after(
        "secure_headers",
        layer("headers", move |app| {
            let app = app.layer(from_fn(headers::layer));
            if secure {
                app.layer(from_fn(headers::secure_cookies))
            } else {
                app
            }
        }),
    );
    stack
}
