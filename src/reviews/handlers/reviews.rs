//! Course reviews: list and search, write, read, edit, delete; a user's
//! reviews.
use axum::{debug_handler, extract::Query, http::StatusCode};
use loco_rs::prelude::*;
use serde::Deserialize;

use crate::{
    counters,
    forms::FieldErrors,
    limits::{self, PostKind},
    reviews::{self, views, ReviewError, ReviewFilter, ReviewParams, Total},
    revisions::{self, EditBy, Post},
    search::SearchQuery,
    settings::Settings,
    users::{self, Author},
    votes::{self, Votes},
    web::{
        error::{AppError, Result},
        flash::{self, Kind},
        ids::Number,
        present::{parse_page, url_with, Pager},
        revisions_page::{self, History},
        CurrentUser, Id, Member, Page,
    },
};

#[derive(Debug, Default, Deserialize)]
struct ListQuery {
    #[serde(default)]
    q: Option<String>,
    #[serde(default)]
    page: Option<String>,
}

#[debug_handler]
async fn index(
    ViewEngine(v): ViewEngine<TeraView>,
    page: Page,
    State(ctx): State<AppContext>,
    Query(q): Query<ListQuery>,
) -> Result<Response> {
    let query = q.q.as_deref().and_then(SearchQuery::parse);
    let text = query.as_ref().map(|q| q.text.clone()).unwrap_or_default();
    let filter = ReviewFilter {
        query,
        ..Default::default()
    };
    let (rows, n, pages, total) = reviews::list(
        &ctx.db,
        &filter,
        parse_page(q.page.as_deref()),
        reviews::PER_PAGE,
        Total::Count,
    )
    .await?;
    let pager = Pager::new(n, pages, |p| {
        let p = if p > 1 { p.to_string() } else { String::new() };
        url_with("/reviews", &[("q", &text), ("page", &p)])
    });
    let stats = counters::all(&ctx.db).await?;
    let all = stats.get(counters::REVIEWS).copied().unwrap_or(0);
    views::index(&v, &page, &text, &rows, total, &pager, all)
}

/// The form of a new review, or of `editing` (its URL) when changing one.
fn form(
    v: &TeraView,
    page: &Page,
    (action, editing): (&str, Option<&str>),
    form: &ReviewParams,
    errors: &FieldErrors,
    duplicate: Option<i64>,
) -> Result<Response> {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let f = views::ReviewForm {
        action,
        form,
        errors,
        duplicate: duplicate.map(|id| format!("/reviews/{id}")),
        editing,
    };
    views::form(v, page, &f, status)
}

/// The messages of a review the author already wrote for that course.
fn duplicate_errors() -> FieldErrors {
    let mut errors = FieldErrors::new();
    errors.add("course", "error-review-duplicate");
    errors
}

#[debug_handler]
async fn new(
    ViewEngine(v): ViewEngine<TeraView>,
    Member(_me): Member,
    page: Page,
) -> Result<Response> {
    let empty = ReviewParams::default();
    form(
        &v,
        &page,
        ("/reviews", None),
        &empty,
        &FieldErrors::new(),
        None,
    )
}

#[debug_handler]
async fn create(
    ViewEngine(v): ViewEngine<TeraView>,
    Member(me): Member,
    page: Page,
    State(ctx): State<AppContext>,
    Form(params): Form<ReviewParams>,
) -> Result<Response> {
    if !params.preview.is_empty() {
        return form(
            &v,
            &page,
            ("/reviews", None),
            &params,
            &FieldErrors::new(),
            None,
        );
    }
    let valid = match params.validate() {
        Ok(valid) => valid,
        Err(errors) => return form(&v, &page, ("/reviews", None), &params, &errors, None),
    };
    let limits = &Settings::get(&ctx).limits;
    let poster = me.actor().poster();
    limits::post(&ctx.db, limits, PostKind::Review, poster)
        .await?
        .ok()?;
    match reviews::Model::create(&ctx.db, me.id, valid).await {
        Ok(review) => Ok(flash::redirect(
            &review.url(),
            Kind::Success,
            "flash-review-posted",
        )),
        Err(ReviewError::Duplicate(existing)) => {
            limits::post_refund(&ctx.db, limits, PostKind::Review, poster).await?;
            let errors = duplicate_errors();
            form(
                &v,
                &page,
                ("/reviews", None),
                &params,
                &errors,
                Some(existing),
            )
        }
        Err(err) => Err(err.into()),
    }
}

#[debug_handler]
async fn show(
    ViewEngine(v): ViewEngine<TeraView>,
    page: Page,
    State(ctx): State<AppContext>,
    Id(id): Id,
) -> Result<Response> {
    let staff = page.user().is_some_and(CurrentUser::is_staff);
    let Some(review) = reviews::page(&ctx.db, id)
        .await?
        .filter(|r| r.deleted_at.is_none() || staff)
    else {
        return Err(AppError::not_found());
    };
    let mine = votes::viewer_votes(
        &ctx.db,
        page.user().map(|u| u.id),
        &[(votes::REVIEW, review.id)],
    )
    .await?;
    let mine = mine.get(&(votes::REVIEW, review.id)).copied().unwrap_or("");
    let more = ReviewFilter {
        user_id: Some(review.user_id),
        exclude: Some(review.id),
        ..Default::default()
    };
    let (others, ..) = reviews::list(&ctx.db, &more, 1, 5, Total::Skip).await?;
    views::show(&v, &page, &review, mine, &others)
}

/// The live review `id`, if `me` may change it.
async fn editable(ctx: &AppContext, me: &CurrentUser, id: i64) -> Result<reviews::Model> {
    let review = reviews::Model::find_live(&ctx.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !review.can_edit(me.actor()) {
        return Err(AppError::forbidden());
    }
    Ok(review)
}

#[debug_handler]
async fn edit(
    ViewEngine(v): ViewEngine<TeraView>,
    me: CurrentUser,
    page: Page,
    State(ctx): State<AppContext>,
    Id(id): Id,
) -> Result<Response> {
    let review = editable(&ctx, &me, id).await?;
    let params = review.form(&ctx.db).await?;
    let (action, url) = (format!("{}/edit", review.url()), review.url());
    form(
        &v,
        &page,
        (&action, Some(&url)),
        &params,
        &FieldErrors::new(),
        None,
    )
}

#[debug_handler]
async fn update(
    ViewEngine(v): ViewEngine<TeraView>,
    me: CurrentUser,
    page: Page,
    State(ctx): State<AppContext>,
    Id(id): Id,
    Form(params): Form<ReviewParams>,
) -> Result<Response> {
    let review = editable(&ctx, &me, id).await?;
    let (action, url) = (format!("{}/edit", review.url()), review.url());
    if !params.preview.is_empty() {
        let errors = FieldErrors::new();
        return form(&v, &page, (&action, Some(&url)), &params, &errors, None);
    }
    let valid = match params.validate() {
        Ok(valid) => valid,
        Err(errors) => return form(&v, &page, (&action, Some(&url)), &params, &errors, None),
    };
    let limits = &Settings::get(&ctx).limits;
    limits::post(&ctx.db, limits, PostKind::Edit, me.actor().poster())
        .await?
        .ok()?;
    let summary = valid.summary.clone();
    let by = EditBy::edit(me.id, Some(&summary));
    match review.update_content(&ctx.db, by, valid).await {
        Ok(review) => Ok(flash::redirect(
            &review.url(),
            Kind::Success,
            "flash-review-saved",
        )),
        Err(ReviewError::Duplicate(existing)) => {
            let errors = duplicate_errors();
            form(
                &v,
                &page,
                (&action, Some(&url)),
                &params,
                &errors,
                Some(existing),
            )
        }
        Err(err) => Err(err.into()),
    }
}

#[debug_handler]
async fn destroy(me: CurrentUser, State(ctx): State<AppContext>, Id(id): Id) -> Result<Response> {
    let review = editable(&ctx, &me, id).await?;
    reviews::set_visibility(&ctx.db, &Votes::get(&ctx), review.id, me.id, true, "").await?;
    Ok(flash::redirect(
        "/reviews",
        Kind::Info,
        "flash-review-deleted",
    ))
}

#[debug_handler]
async fn history(
    ViewEngine(v): ViewEngine<TeraView>,
    page: Page,
    State(ctx): State<AppContext>,
    Id(id): Id,
) -> Result<Response> {
    let review = reviews::Model::find_live(&ctx.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let list = revisions::list(&ctx.db, Post::Review(id)).await?;
    let can_roll_back = page.user().is_some_and(|me| review.can_edit(me.actor()));
    revisions_page::history(
        &v,
        &page,
        &History {
            post: Post::Review(id),
            title: &review.title,
            back: &review.url(),
            steps: &revisions::history(&list),
            can_roll_back,
        },
    )
}

#[debug_handler]
async fn roll_back(
    me: CurrentUser,
    State(ctx): State<AppContext>,
    Id(id): Id,
    Number(n): Number,
) -> Result<Response> {
    let review = editable(&ctx, &me, id).await?;
    let url = review.url();
    match review.rollback(&ctx.db, me.id, n).await {
        Ok(Some(review)) => Ok(flash::redirect(
            &review.url(),
            Kind::Success,
            "flash-rolled-back",
        )),
        Ok(None) => Err(AppError::not_found()),
        Err(ReviewError::Duplicate(_)) => Ok(flash::redirect(
            &url,
            Kind::Warning,
            "review-duplicate-lead",
        )),
        Err(err) => Err(err.into()),
    }
}

#[debug_handler]
async fn by_user(
    ViewEngine(v): ViewEngine<TeraView>,
    page: Page,
    State(ctx): State<AppContext>,
    Path(username): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Response> {
    let Some(user) = users::Model::find_public(&ctx.db, &username).await? else {
        return Err(AppError::not_found());
    };
    let stats = reviews::user_stats(&ctx.db, user.id).await?;
    let filter = ReviewFilter {
        user_id: Some(user.id),
        ..Default::default()
    };
    let known = Total::Known(u64::try_from(stats.count).unwrap_or(0));
    let (rows, n, pages, _) = reviews::list(
        &ctx.db,
        &filter,
        parse_page(q.page.as_deref()),
        reviews::PER_PAGE,
        known,
    )
    .await?;
    let base = format!("{}/reviews", user.url());
    let pager = Pager::new(n, pages, |p| url_with(&base, &[("page", &p.to_string())]));
    views::by_user(&v, &page, &Author::of(&user), &stats, &rows, &pager)
}

pub fn routes() -> Routes {
    Routes::new()
        .add("/reviews", get(index).post(create))
        .add("/reviews/new", get(new))
        .add("/reviews/{id}", get(show))
        .add("/reviews/{id}/edit", get(edit).post(update))
        .add("/reviews/{id}/delete", post(destroy))
        .add("/reviews/{id}/revisions", get(history))
        .add("/reviews/{id}/revisions/{n}/rollback", post(roll_back))
        .add("/users/{username}/reviews", get(by_user))
}
