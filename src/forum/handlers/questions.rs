//! Questions: list and search, ask, read, edit, delete.
use axum::{debug_handler, extract::Query, http::StatusCode, response::Redirect};
use loco_rs::prelude::*;

use serde::Deserialize;

use crate::{
    forms::FieldErrors,
    forum::{
        questions::{self, ListFilter, QuestionParams, Sort},
        tags,
        views::{self, FormMode, ListState, QuestionForm},
    },
    limits::{self, PostKind},
    notifications,
    search::SearchQuery,
    settings::Settings,
    votes,
    web::{
        error::{AppError, Result},
        flash::{self, Kind},
        present::parse_page,
        CurrentUser, Id, Member, Page,
    },
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
    let list = questions::list(&ctx.db, &crate::forum::kept_rankings(&ctx), &filter).await?;
    views::index(&v, &page, "/questions", &state, &list, None)
}

#[debug_handler]
async fn new(
    ViewEngine(v): ViewEngine<TeraView>,
    Member(_me): Member,
    page: Page,
) -> Result<Response> {
    views::form(
        &v,
        &page,
        &QuestionForm {
            action: "/questions",
            form: &QuestionParams::default(),
            errors: &FieldErrors::new(),
            back: None,
            mode: FormMode::Ask,
            similar: None,
        },
        StatusCode::OK,
    )
}

/// Similar questions for a title: the ask form's list.
#[derive(Debug, Deserialize)]
struct SimilarQuery {
    #[serde(default)]
    title: String,
}

/// GET `/questions/similar?title=…`: JSON for the ask form's script.
#[debug_handler]
async fn similar(State(ctx): State<AppContext>, Query(q): Query<SimilarQuery>) -> Result<Response> {
    let title: String = q.title.chars().take(150).collect();
    let found = questions::similar(&ctx.db, &title, 5).await?;
    let items: Vec<serde_json::Value> = found
        .iter()
        .map(|n| {
            serde_json::json!({
                "title": n.title,
                "url": n.url(),
                "answers": n.answer_count,
                "solved": n.solved,
            })
        })
        .collect();
    crate::web::json(serde_json::json!({ "questions": items }))
}

#[debug_handler]
async fn create(
    ViewEngine(v): ViewEngine<TeraView>,
    Member(me): Member,
    page: Page,
    State(ctx): State<AppContext>,
    Form(form): Form<QuestionParams>,
) -> Result<Response> {
    // "check for similar questions" without JavaScript: the form comes back
    // with the list and everything typed
    if !form.check.is_empty() || !form.preview.is_empty() {
        let found = if form.check.is_empty() {
            None
        } else {
            Some(questions::similar(&ctx.db, &form.title, 5).await?)
        };
        return views::form(
            &v,
            &page,
            &QuestionForm {
                action: "/questions",
                form: &form,
                errors: &FieldErrors::new(),
                back: None,
                mode: FormMode::Ask,
                similar: found.as_deref(),
            },
            StatusCode::OK,
        );
    }
    let valid = match form.validate() {
        Ok(valid) => valid,
        Err(errors) => {
            return views::form(
                &v,
                &page,
                &QuestionForm {
                    action: "/questions",
                    form: &form,
                    errors: &errors,
                    back: None,
                    mode: FormMode::Ask,
                    similar: None,
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let limits = &Settings::get(&ctx).limits;
    limits::post(&ctx.db, limits, PostKind::Question, me.actor().poster())
        .await?
        .ok()?;
    let question = questions::Model::create(&ctx.db, me.id, valid).await?;
    Ok(flash::redirect(
        &question.url(),
        Kind::Success,
        "flash-question-posted",
    ))
}

/// The question page: the question and its answers, as the viewer sees
/// them, with `answer_form` / `errors` in the answer form (after a refused
/// answer) and `status`; `around` when [`questions::Model::find_shown`]
/// read it with the question.
pub async fn render_page(
    v: &TeraView,
    page: &Page,
    ctx: &AppContext,
    (question, around): (&questions::Model, Option<questions::Around>),
    draft: (&str, &FieldErrors, String),
    status: StatusCode,
    all_comments: bool,
) -> Result<Response> {
    let data = question
        .page(
            &ctx.db,
            &crate::forum::related_cache(ctx),
            page.user().map(CurrentUser::actor),
            all_comments,
            around,
        )
        .await?;
    let votes = votes::Votes::get(ctx);
    views::show(
        v,
        page,
        question,
        &data,
        draft,
        status,
        votes.rules().settings(),
    )
}

/// The question page's query: `comments=all` shows every comment.
#[derive(Debug, Default, Deserialize)]
struct ShowQuery {
    #[serde(default)]
    comments: Option<String>,
}

impl ShowQuery {
    fn all_comments(&self) -> bool {
        self.comments.as_deref() == Some("all")
    }
}

async fn show_page(
    v: &TeraView,
    page: &Page,
    ctx: &AppContext,
    id: i64,
    slug: Option<&str>,
    all_comments: bool,
) -> Result<Response> {
    let viewer = page.user().map(CurrentUser::actor);
    let Some((question, around)) = questions::Model::find_shown(&ctx.db, id, viewer).await? else {
        return Err(AppError::not_found());
    };
    if slug != Some(question.slug.as_str()) {
        let url = if all_comments {
            format!("{}?comments=all", question.url())
        } else {
            question.url()
        };
        return Ok(Redirect::permanent(&url).into_response());
    }
    render_page(
        v,
        page,
        ctx,
        (&question, Some(around)),
        ("", &FieldErrors::new(), String::new()),
        StatusCode::OK,
        all_comments,
    )
    .await
}

#[debug_handler]
async fn show(
    ViewEngine(v): ViewEngine<TeraView>,
    page: Page,
    State(ctx): State<AppContext>,
    Id(id): Id,
    Query(q): Query<ShowQuery>,
) -> Result<Response> {
    show_page(&v, &page, &ctx, id, None, q.all_comments()).await
}

#[debug_handler]
async fn show_slug(
    ViewEngine(v): ViewEngine<TeraView>,
    page: Page,
    State(ctx): State<AppContext>,
    Id(id): Id,
    Path((_, slug)): Path<(String, String)>,
    Query(q): Query<ShowQuery>,
) -> Result<Response> {
    show_page(&v, &page, &ctx, id, Some(&slug), q.all_comments()).await
}

/// POST `/questions/{id}/follow`: follows the question, or stops following.
#[debug_handler]
async fn follow(
    me: CurrentUser,
    State(ctx): State<AppContext>,
    headers: axum::http::HeaderMap,
    Id(id): Id,
) -> Result<Response> {
    let question = questions::Model::find_live(&ctx.db, id)
        .await?
        .ok_or(AppError::not_found())?;
    let following = notifications::follows::toggle(&ctx.db, me.id, question.id).await?;
    if crate::web::auth::wants_json_headers(&headers) {
        return crate::web::json(serde_json::json!({ "following": following }));
    }
    let key = if following {
        "flash-following"
    } else {
        "flash-unfollowed"
    };
    Ok(flash::redirect(&question.url(), Kind::Success, key))
}

#[debug_handler]
async fn destroy(me: CurrentUser, State(ctx): State<AppContext>, Id(id): Id) -> Result<Response> {
    let question = questions::Model::find_live(&ctx.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    // deleting is the author's (while the question is open) or staff's
    let own = me.id == question.user_id && !question.is_locked();
    if !(own || me.is_staff()) {
        return Err(AppError::forbidden());
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
        .add("/questions/similar", get(similar))
        .add("/questions/{id}/delete", post(destroy))
        .add("/questions/{id}/follow", post(follow))
        .add("/questions/{id}/{slug}", get(show_slug))
}
