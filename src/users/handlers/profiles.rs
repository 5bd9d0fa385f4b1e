//! Public profiles.
use axum::debug_handler;
use loco_rs::prelude::*;

use crate::{
    admin::flags,
    forum::{answers, questions},
    notifications::follows,
    users::{self, views},
    web::{
        error::{AppError, Result},
        Page,
    },
};

#[debug_handler]
async fn show(
    ViewEngine(v): ViewEngine<TeraView>,
    page: Page,
    State(ctx): State<AppContext>,
    Path(username): Path<String>,
) -> Result<Response> {
    let Some(user) = users::Model::find_public(&ctx.db, &username).await? else {
        return Err(AppError::not_found());
    };
    let is_me = page.user().is_some_and(|me| me.id == user.id);
    let counts = user.activity(&ctx.db).await?;
    let recent_questions = questions::latest_by_user(&ctx.db, user.id, 10).await?;
    let recent_answers = answers::latest_by_user(&ctx.db, user.id, 10).await?;
    // a user's flags and followed questions are theirs alone
    let (my_flags, following) = if is_me {
        (
            flags::by_user(&ctx.db, user.id, 10).await?,
            follows::following(&ctx.db, user.id, 30).await?,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    views::profile(
        &v,
        &page,
        &views::ProfileView::new(&user, is_me),
        &counts,
        (&recent_questions, &recent_answers),
        &my_flags,
        &following,
    )
}

pub fn routes() -> Routes {
    Routes::new().add("/users/{username}", get(show))
}
