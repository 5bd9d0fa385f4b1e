//! Public profiles.
use axum::{debug_handler, extract::Query};
use loco_rs::prelude::*;

use crate::web::error::Result;
use serde::Deserialize;

use crate::{
    models::{
        answers,
        questions::{self, ListFilter},
        users,
    },
    views::{
        self,
        questions::QuestionItem,
        shared::{parse_page, url_with, AuthorView, Pager},
        users::ProfileView,
    },
    votes::ledger,
    web::Page,
};

#[derive(Debug, Deserialize)]
struct PageQuery {
    #[serde(default)]
    page: Option<String>,
}

#[debug_handler]
async fn reputation(
    ViewEngine(v): ViewEngine<TeraView>,
    page: Page,
    State(ctx): State<AppContext>,
    Path(username): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Response> {
    let Some(user) = users::Model::find_public(&ctx.db, &username).await? else {
        return page.not_found(&v);
    };
    let (rows, n, pages) = ledger::history(&ctx.db, user.id, parse_page(q.page.as_deref())).await?;
    let base = format!("{}/reputation", user.url());
    let pager = Pager::new(n, pages, |p| url_with(&base, &[("page", &p.to_string())]));
    let author = AuthorView::new(&user.username, user.reputation, user.avatar.as_deref());
    views::leaderboard::history(&v, &page, &author, &rows, &pager)
}

#[debug_handler]
async fn show(
    ViewEngine(v): ViewEngine<TeraView>,
    page: Page,
    State(ctx): State<AppContext>,
    Path(username): Path<String>,
) -> Result<Response> {
    let Some(user) = users::Model::find_public(&ctx.db, &username).await? else {
        return page.not_found(&v);
    };
    let profile = ProfileView::new(&user, page.user().map(|u| u.id));
    let counts = user.activity(&ctx.db).await?;
    let recent_questions = questions::list(
        &ctx.db,
        &ListFilter {
            user_id: Some(user.id),
            page: 1,
            per_page: Some(10),
            latest_only: true,
            ..Default::default()
        },
    )
    .await?;
    let recent_answers: Vec<serde_json::Value> = answers::latest_by_user(&ctx.db, user.id, 10)
        .await?
        .iter()
        .map(|a| {
            data!({
                "url": format!("/questions/{}/{}#answer-{}", a.question_id, a.question_slug, a.id),
                "title": a.question_title,
                "score": a.score,
                "accepted": a.is_accepted,
                "ts": a.created_at.timestamp(),
            })
        })
        .collect();
    let my_flags: Vec<serde_json::Value> = if profile.is_me {
        crate::models::flags::by_user(&ctx.db, user.id, 10)
            .await?
            .iter()
            .map(|f| data!({ "id": f.id, "reason": f.reason, "status": f.status, "note": f.resolution_note, "ts": f.created_at.timestamp() }))
            .collect()
    } else {
        Vec::new()
    };
    page.render(
        &v,
        "users/show.html",
        data!({
            "my_flags": my_flags,
            "profile": profile,
            "counts": counts,
            "questions": QuestionItem::list(&recent_questions),
            "answers": recent_answers,
        }),
    )
}

pub fn routes() -> Routes {
    Routes::new()
        .add("/users/{username}", get(show))
        .add("/users/{username}/reputation", get(reputation))
}
