//! The home page.
use axum::debug_handler;
use loco_rs::prelude::*;

use crate::web::Page;

#[debug_handler]
async fn index(ViewEngine(v): ViewEngine<TeraView>, page: Page) -> Result<Response> {
    page.render(&v, "home/index.html", data!({}))
}

pub fn routes() -> Routes {
    Routes::new().add("/", get(index))
}
