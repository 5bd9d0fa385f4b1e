//! Questions: list and search, ask, read, edit, delete.
use axum::{debug_handler, extract::Query, http::StatusCode, response::Redirect};
use loco_rs::prelude::*;

use crate::web::error::Result;
use serde::Deserialize;

use crate::{
    forms::FieldErrors,
    models::{
        answers,
        questions::{self, ListFilter, QuestionParams, Sort},
        tags,
    },
    search::SearchQuery,
    views::{
        self,
        questions::{AnswerView, ListState, QuestionView},
        shared::{parse_page, AuthorView},
    },
    votes,
    web::{
        auth::Member,
        flash::{self, Kind},
        CurrentUser, Page,
    },
};
use crate::{
    limits::{self, PostKind},
    settings::Settings,
};

/// Query string of the list. Values are read leniently: an unknown sort
/// falls back to "newest", a bad page to the first, a huge one to the last.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub tag: Option<String>,
    #[serde(default)]
    pub sort: Option<String>,
    #[serde(default)]
    pub page: Option<String>,
}

impl ListQuery {
    pub fn filter(&self) -> (ListFilter, ListState) {
        let sort = self
            .sort
            .as_deref()
            .and_then(Sort::parse)
            .unwrap_or_default();
        let query = self.q.as_deref().and_then(SearchQuery::parse);
        let tag = self
            .tag
            .as_deref()
            .map(str::to_lowercase)
            .filter(|t| tags::valid_name(t));
        let state = ListState {
            q: query.as_ref().map(|q| q.text.clone()).unwrap_or_default(),
            tag: tag.clone().unwrap_or_default(),
            sort: sort.as_str().to_string(),
        };
        let filter = ListFilter {
            sort,
            tag,
            query,
            page: parse_page(self.page.as_deref()),
            ..Default::default()
        };
        (filter, state)
    }
}

#[debug_handler]
async fn index(
    ViewEngine(v): ViewEngine<TeraView>,
    page: Page,
    State(ctx): State<AppContext>,
    Query(q): Query<ListQuery>,
) -> Result<Response> {
    let (filter, state) = q.filter();
    let list = questions::list(&ctx.db, &filter).await?;
    views::questions::index(&v, &page, "/questions", &state, &list, None)
}

#[debug_handler]
async fn new(
    ViewEngine(v): ViewEngine<TeraView>,
    Member(_me): Member,
    page: Page,
) -> Result<Response> {
    views::questions::form(
        &v,
        &page,
        "/questions",
        &QuestionParams::default(),
        &FieldErrors::new(),
        None,
        StatusCode::OK,
    )
}

#[debug_handler]
async fn create(
    ViewEngine(v): ViewEngine<TeraView>,
    Member(me): Member,
    page: Page,
    State(ctx): State<AppContext>,
    Form(form): Form<QuestionParams>,
) -> Result<Response> {
    let valid = match form.validate(page.lang()) {
        Ok(valid) => valid,
        Err(errors) => {
            return views::questions::form(
                &v,
                &page,
                "/questions",
                &form,
                &errors,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let limits = &Settings::get(&ctx).limits;
    limits::post(&ctx.db, limits, PostKind::Question, me.poster())
        .await?
        .ok()?;
    let question = questions::Model::create(&ctx.db, me.id, valid).await?;
    Ok(flash::redirect(
        &question.url(),
        Kind::Success,
        "flash-question-posted",
    ))
}

/// Parses an id from the path; anything else is "not found".
pub fn parse_id(raw: &str) -> Option<i64> {
    raw.parse::<i64>().ok().filter(|id| *id > 0)
}

/// Everything the question page shows, in a constant number of queries:
/// the question with its author, its tags, the answers with their authors,
/// and the viewer's votes.
pub async fn load_page(
    ctx: &AppContext,
    viewer: Option<&CurrentUser>,
    question: &questions::Model,
) -> Result<(QuestionView, Vec<AnswerView>)> {
    let author = crate::models::users::Entity::find_by_id(question.user_id)
        .one(&ctx.db)
        .await?
        .map_or_else(
            || AuthorView::new("?", 0, None),
            |u| AuthorView::new(&u.username, u.reputation, u.avatar.as_deref()),
        );
    let tags: Vec<String> = tags::of_question(&ctx.db, question.id)
        .await?
        .into_iter()
        .map(|t| t.name)
        .collect();
    let staff = viewer.is_some_and(CurrentUser::is_staff);
    let rows = answers::Model::for_question(&ctx.db, question.id, staff).await?;
    let mut targets = vec![(votes::QUESTION, question.id)];
    targets.extend(rows.iter().map(|r| (votes::ANSWER, r.id)));
    let mine = votes::viewer_votes(&ctx.db, viewer.map(|v| v.id), &targets).await?;
    let qv = QuestionView::new(
        question,
        &author,
        &tags,
        viewer,
        mine.get(&(votes::QUESTION, question.id))
            .copied()
            .unwrap_or(""),
    );
    let avs = rows
        .iter()
        .map(|r| {
            AnswerView::new(
                r,
                question,
                viewer,
                mine.get(&(votes::ANSWER, r.id)).copied().unwrap_or(""),
            )
        })
        .collect();
    Ok((qv, avs))
}

/// The question for `raw_id` as the viewer may see it: deleted questions
/// only for staff.
pub async fn visible(
    ctx: &AppContext,
    viewer: Option<&CurrentUser>,
    raw_id: &str,
) -> Result<Option<questions::Model>> {
    let Some(id) = parse_id(raw_id) else {
        return Ok(None);
    };
    let question = questions::Entity::find_by_id(id).one(&ctx.db).await?;
    Ok(question.filter(|q| !q.is_deleted() || viewer.is_some_and(CurrentUser::is_staff)))
}

async fn show_page(
    v: &TeraView,
    page: &Page,
    ctx: &AppContext,
    raw_id: &str,
    slug: Option<&str>,
) -> Result<Response> {
    let Some(question) = visible(ctx, page.user(), raw_id).await? else {
        return page.not_found(v);
    };
    if slug != Some(question.slug.as_str()) {
        return Ok(Redirect::permanent(&question.url()).into_response());
    }
    let (qv, avs) = load_page(ctx, page.user(), &question).await?;
    views::questions::show(v, page, &qv, &avs, "", &FieldErrors::new(), StatusCode::OK)
}

#[debug_handler]
async fn show(
    ViewEngine(v): ViewEngine<TeraView>,
    page: Page,
    State(ctx): State<AppContext>,
    Path(id): Path<String>,
) -> Result<Response> {
    show_page(&v, &page, &ctx, &id, None).await
}

#[debug_handler]
async fn show_slug(
    ViewEngine(v): ViewEngine<TeraView>,
    page: Page,
    State(ctx): State<AppContext>,
    Path((id, slug)): Path<(String, String)>,
) -> Result<Response> {
    show_page(&v, &page, &ctx, &id, Some(&slug)).await
}

#[debug_handler]
async fn edit(
    ViewEngine(v): ViewEngine<TeraView>,
    me: CurrentUser,
    page: Page,
    State(ctx): State<AppContext>,
    Path(id): Path<String>,
) -> Result<Response> {
    let Some(question) = visible(&ctx, Some(&me), &id).await? else {
        return page.not_found(&v);
    };
    if !question.can_edit(&me) {
        return page.forbidden(&v);
    }
    let tags: Vec<String> = tags::of_question(&ctx.db, question.id)
        .await?
        .into_iter()
        .map(|t| t.name)
        .collect();
    let form = QuestionParams {
        title: question.title.clone(),
        body: question.body.clone(),
        tags: tags.join(" "),
    };
    let action = format!("/questions/{}/edit", question.id);
    views::questions::form(
        &v,
        &page,
        &action,
        &form,
        &FieldErrors::new(),
        Some(&question.url()),
        StatusCode::OK,
    )
}

#[debug_handler]
async fn update(
    ViewEngine(v): ViewEngine<TeraView>,
    me: CurrentUser,
    page: Page,
    State(ctx): State<AppContext>,
    Path(id): Path<String>,
    Form(form): Form<QuestionParams>,
) -> Result<Response> {
    let Some(question) = visible(&ctx, Some(&me), &id).await? else {
        return page.not_found(&v);
    };
    if !question.can_edit(&me) {
        return page.forbidden(&v);
    }
    let action = format!("/questions/{}/edit", question.id);
    let valid = match form.validate(page.lang()) {
        Ok(valid) => valid,
        Err(errors) => {
            return views::questions::form(
                &v,
                &page,
                &action,
                &form,
                &errors,
                Some(&question.url()),
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let limits = &Settings::get(&ctx).limits;
    limits::post(&ctx.db, limits, PostKind::Edit, me.poster())
        .await?
        .ok()?;
    let question = question.update_content(&ctx.db, me.id, valid).await?;
    Ok(flash::redirect(
        &question.url(),
        Kind::Success,
        "flash-question-saved",
    ))
}

#[debug_handler]
async fn destroy(
    ViewEngine(v): ViewEngine<TeraView>,
    me: CurrentUser,
    page: Page,
    State(ctx): State<AppContext>,
    Path(id): Path<String>,
) -> Result<Response> {
    let Some(question) = visible(&ctx, Some(&me), &id)
        .await?
        .filter(|q| !q.is_deleted())
    else {
        return page.not_found(&v);
    };
    if !question.can_edit(&me) {
        return page.forbidden(&v);
    }
    questions::set_visibility(
        &ctx.db,
        &votes::Votes::get(&ctx),
        question.id,
        me.id,
        true,
        "",
    )
    .await?;
    Ok(flash::redirect(
        "/questions",
        Kind::Info,
        "flash-question-deleted",
    ))
}

pub fn routes() -> Routes {
    Routes::new()
        .add("/questions", get(index).post(create))
        .add("/questions/new", get(new))
        .add("/questions/{id}", get(show))
        .add("/questions/{id}/edit", get(edit).post(update))
        .add("/questions/{id}/delete", post(destroy))
        .add("/questions/{id}/{slug}", get(show_slug))
}
