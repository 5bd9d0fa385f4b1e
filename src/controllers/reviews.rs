//! Course reviews: list and search, write, read, edit, delete, vote.
use axum::{debug_handler, extract::Query, http::StatusCode};
use loco_rs::prelude::*;

use crate::web::error::Result;
use serde::Deserialize;

use crate::{
    controllers::questions::parse_id,
    forms::FieldErrors,
    i18n::Lang,
    models::{
        counters, courses,
        reviews::{self, ReviewError, ReviewFilter, ReviewParams, Total},
        users,
    },
    search::SearchQuery,
    views::{
        self,
        reviews::{ReviewForm, ReviewItem, ReviewView},
        shared::{parse_page, url_with, AuthorView, Pager},
    },
    votes::{self, Target, Votes},
    web::{
        auth::wants_json_headers,
        auth::Member,
        flash::{self, Kind},
        CurrentUser, Page,
    },
};
use crate::{
    limits::{self, PostKind},
    settings::Settings,
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
    let stats = data!({ "reviews": stats.get(counters::REVIEWS).copied().unwrap_or(0) });
    views::reviews::index(&v, &page, &text, &rows, total, &pager, stats)
}

#[debug_handler]
async fn new(
    ViewEngine(v): ViewEngine<TeraView>,
    Member(_me): Member,
    page: Page,
) -> Result<Response> {
    views::reviews::form(
        &v,
        &page,
        &ReviewForm {
            action: "/reviews",
            form: &ReviewParams::default(),
            errors: &FieldErrors::new(),
            duplicate: None,
            editing: None,
        },
        StatusCode::OK,
    )
}

fn duplicate_errors(lang: Lang, existing: i64) -> (FieldErrors, Option<String>) {
    let mut errors = FieldErrors::new();
    errors.add(lang, "course", "error-review-duplicate");
    (errors, Some(format!("/reviews/{existing}")))
}

#[debug_handler]
async fn create(
    ViewEngine(v): ViewEngine<TeraView>,
    Member(me): Member,
    page: Page,
    State(ctx): State<AppContext>,
    Form(form): Form<ReviewParams>,
) -> Result<Response> {
    let valid = match form.validate(page.lang()) {
        Ok(valid) => valid,
        Err(errors) => {
            return views::reviews::form(
                &v,
                &page,
                &ReviewForm {
                    action: "/reviews",
                    form: &form,
                    errors: &errors,
                    duplicate: None,
                    editing: None,
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let limits = &Settings::get(&ctx).limits;
    limits::post(&ctx.db, limits, PostKind::Review, me.poster())
        .await?
        .ok()?;
    match reviews::Model::create(&ctx.db, me.id, valid).await {
        Ok(review) => Ok(flash::redirect(
            &review.url(),
            Kind::Success,
            "flash-review-posted",
        )),
        Err(ReviewError::Duplicate(existing)) => {
            limits::post_refund(&ctx.db, limits, PostKind::Review, me.poster()).await?;
            let (errors, link) = duplicate_errors(page.lang(), existing);
            views::reviews::form(
                &v,
                &page,
                &ReviewForm {
                    action: "/reviews",
                    form: &form,
                    errors: &errors,
                    duplicate: link,
                    editing: None,
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(ReviewError::Db(e)) => Err(e.into()),
    }
}

#[debug_handler]
async fn show(
    ViewEngine(v): ViewEngine<TeraView>,
    page: Page,
    State(ctx): State<AppContext>,
    Path(id): Path<String>,
) -> Result<Response> {
    let staff = page.user().is_some_and(CurrentUser::is_staff);
    let Some(review) = parse_id(&id).map(|id| reviews::page(&ctx.db, id)) else {
        return page.not_found(&v);
    };
    let Some(review) = review.await?.filter(|r| r.deleted_at.is_none() || staff) else {
        return page.not_found(&v);
    };
    let mine = votes::viewer_votes(
        &ctx.db,
        page.user().map(|u| u.id),
        &[(votes::REVIEW, review.id)],
    )
    .await?;
    let view = ReviewView::new(
        &review,
        page.user(),
        mine.get(&(votes::REVIEW, review.id)).copied().unwrap_or(""),
    );
    let more = ReviewFilter {
        user_id: Some(review.user_id),
        exclude: Some(review.id),
        ..Default::default()
    };
    let (others, ..) = reviews::list(&ctx.db, &more, 1, 5, Total::Skip).await?;
    page.render(
        &v,
        "reviews/show.html",
        data!({ "review": view, "others": ReviewItem::list(&others) }),
    )
}

/// The live review `raw_id` that `me` may change, with its course name.
async fn editable(
    ctx: &AppContext,
    me: &CurrentUser,
    raw_id: &str,
) -> Result<std::result::Result<(reviews::Model, String), StatusCode>> {
    let Some(id) = parse_id(raw_id) else {
        return Ok(Err(StatusCode::NOT_FOUND));
    };
    let Some(review) = reviews::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?
        .filter(|r| !r.is_deleted())
    else {
        return Ok(Err(StatusCode::NOT_FOUND));
    };
    if !review.can_edit(me) {
        return Ok(Err(StatusCode::FORBIDDEN));
    }
    let course = courses::Entity::find_by_id(review.course_id)
        .one(&ctx.db)
        .await?
        .map(|c| c.name)
        .unwrap_or_default();
    Ok(Ok((review, course)))
}

#[debug_handler]
async fn edit(
    ViewEngine(v): ViewEngine<TeraView>,
    me: CurrentUser,
    page: Page,
    State(ctx): State<AppContext>,
    Path(id): Path<String>,
) -> Result<Response> {
    let (review, course) = match editable(&ctx, &me, &id).await? {
        Ok(found) => found,
        Err(status) => return page.error(&v, status),
    };
    let form = ReviewParams {
        course,
        title: review.title.clone(),
        body: review.body.clone(),
        rating: review.rating.to_string(),
    };
    let action = format!("{}/edit", review.url());
    let url = review.url();
    let f = ReviewForm {
        action: &action,
        form: &form,
        errors: &FieldErrors::new(),
        duplicate: None,
        editing: Some(&url),
    };
    views::reviews::form(&v, &page, &f, StatusCode::OK)
}

#[debug_handler]
async fn update(
    ViewEngine(v): ViewEngine<TeraView>,
    me: CurrentUser,
    page: Page,
    State(ctx): State<AppContext>,
    Path(id): Path<String>,
    Form(form): Form<ReviewParams>,
) -> Result<Response> {
    let (review, _) = match editable(&ctx, &me, &id).await? {
        Ok(found) => found,
        Err(status) => return page.error(&v, status),
    };
    let action = format!("{}/edit", review.url());
    let url = review.url();
    let valid = match form.validate(page.lang()) {
        Ok(valid) => valid,
        Err(errors) => {
            return views::reviews::form(
                &v,
                &page,
                &ReviewForm {
                    action: &action,
                    form: &form,
                    errors: &errors,
                    duplicate: None,
                    editing: Some(&url),
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let limits = &Settings::get(&ctx).limits;
    limits::post(&ctx.db, limits, PostKind::Edit, me.poster())
        .await?
        .ok()?;
    match review.update_content(&ctx.db, me.id, valid).await {
        Ok(review) => Ok(flash::redirect(
            &review.url(),
            Kind::Success,
            "flash-review-saved",
        )),
        Err(ReviewError::Duplicate(existing)) => {
            let (errors, link) = duplicate_errors(page.lang(), existing);
            views::reviews::form(
                &v,
                &page,
                &ReviewForm {
                    action: &action,
                    form: &form,
                    errors: &errors,
                    duplicate: link,
                    editing: Some(&url),
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(ReviewError::Db(e)) => Err(e.into()),
    }
}

#[debug_handler]
async fn destroy(
    ViewEngine(v): ViewEngine<TeraView>,
    me: CurrentUser,
    page: Page,
    State(ctx): State<AppContext>,
    Path(id): Path<String>,
) -> Result<Response> {
    let (review, _) = match editable(&ctx, &me, &id).await? {
        Ok(found) => found,
        Err(status) => return page.error(&v, status),
    };
    reviews::set_visibility(&ctx.db, &Votes::get(&ctx), review.id, me.id, true, "").await?;
    Ok(flash::redirect(
        "/reviews",
        Kind::Info,
        "flash-review-deleted",
    ))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VoteForm {
    #[serde(default)]
    direction: String,
}

#[debug_handler]
async fn vote(
    Member(me): Member,
    lang: Lang,
    State(ctx): State<AppContext>,
    headers: axum::http::HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<VoteForm>,
) -> Result<Response> {
    let target = parse_id(&id).map(Target::review);
    crate::controllers::votes::vote(
        &ctx,
        &me,
        lang,
        wants_json_headers(&headers),
        target,
        &form.direction,
    )
    .await
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
        return page.not_found(&v);
    };
    let stats = reviews::user_stats(&ctx.db, user.id).await?;
    let filter = ReviewFilter {
        user_id: Some(user.id),
        ..Default::default()
    };
    let known = Total::Known(u64::try_from(stats.count).unwrap_or(0));
    let (rows, n, pages_total, _) = reviews::list(
        &ctx.db,
        &filter,
        parse_page(q.page.as_deref()),
        reviews::PER_PAGE,
        known,
    )
    .await?;
    let base = format!("{}/reviews", user.url());
    let pager = Pager::new(n, pages_total, |p| {
        url_with(&base, &[("page", &p.to_string())])
    });
    page.render(
        &v,
        "reviews/by_user.html",
        data!({
            "user": AuthorView::new(&user.username, user.reputation, user.avatar.as_deref()),
            "count": stats.count,
            "average": stats.average.map(|a| format!("{a:.1}")),
            "reviews": ReviewItem::list(&rows),
            "pager": pager,
        }),
    )
}

pub fn routes() -> Routes {
    Routes::new()
        .add("/reviews", get(index).post(create))
        .add("/reviews/new", get(new))
        .add("/reviews/{id}", get(show))
        .add("/reviews/{id}/edit", get(edit).post(update))
        .add("/reviews/{id}/delete", post(destroy))
        .add("/reviews/{id}/vote", post(vote))
        .add("/users/{username}/reviews", get(by_user))
}
