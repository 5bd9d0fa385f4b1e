//! Public profiles.
use axum::debug_handler;
use loco_rs::prelude::*;

use crate::{models::users, views::users::ProfileView, web::Page};

#[debug_handler]
async fn show(
    ViewEngine(v): ViewEngine<TeraView>,
    page: Page,
    State(ctx): State<AppContext>,
    Path(username): Path<String>,
) -> Result<Response> {
    let Some(user) = users::Model::find_by_username(&ctx.db, &username).await? else {
        return page.not_found(&v);
    };
    let profile = ProfileView::new(&user, page.user().map(|u| u.id));
    page.render(&v, "users/show.html", data!({ "profile": profile }))
}

pub fn routes() -> Routes {
    Routes::new().add("/users/{username}", get(show))
}
