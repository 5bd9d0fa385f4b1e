//! The home page: latest questions, top contributors, community numbers.
use axum::debug_handler;
use loco_rs::prelude::*;

use crate::web::error::Result;

use crate::{
    models::{
        counters,
        questions::{self, ListFilter},
        reviews::{self, ReviewFilter, Total},
        users,
    },
    views::{questions::QuestionItem, reviews::ReviewItem, shared::AuthorView},
    web::Page,
};

#[debug_handler]
async fn index(
    ViewEngine(v): ViewEngine<TeraView>,
    page: Page,
    State(ctx): State<AppContext>,
) -> Result<Response> {
    let latest = questions::list(
        &ctx.db,
        &ListFilter {
            page: 1,
            per_page: Some(10),
            latest_only: true,
            ..Default::default()
        },
    )
    .await?;
    let top: Vec<AuthorView> = users::Model::top(&ctx.db, 5)
        .await?
        .iter()
        .map(|u| AuthorView::new(&u.username, u.reputation, u.avatar.as_deref()))
        .collect();
    let (reviews, ..) = reviews::list(&ctx.db, &ReviewFilter::default(), 1, 5, Total::Skip).await?;
    let stats = counters::all(&ctx.db).await?;
    let stat = |name: &str| stats.get(name).copied().unwrap_or(0);
    page.render(
        &v,
        "home/index.html",
        data!({
            "questions": QuestionItem::list(&latest),
            "reviews": ReviewItem::list(&reviews),
            "top": top,
            "stats": {
                "users": stat(counters::USERS),
                "questions": stat(counters::QUESTIONS),
                "answers": stat(counters::ANSWERS),
                "solved": stat(counters::SOLVED),
                "reviews": stat(counters::REVIEWS),
            },
        }),
    )
}

pub fn routes() -> Routes {
    Routes::new().add("/", get(index))
}
