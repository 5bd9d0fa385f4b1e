//! The forum's pages: the home page, question lists, the question page,
//! the ask/edit forms, the answer form and the tag list.
use axum::http::StatusCode;
use loco_rs::prelude::*;
use serde::Serialize;

mod comments;

pub use comments::comment_form;
use comments::{Comments, CommentsView};

use super::{
    answers::AnswerRow,
    comments::{may_comment, Parent},
    questions::{self, ListPage, PageData, QuestionParams, Sort},
    tags::TagLink,
    QuestionSummary,
};
use crate::{
    counters,
    forms::FieldErrors,
    reviews::ReviewSummary,
    users::Author,
    votes,
    web::{
        error::Result,
        present::{url_with, Pager, VoteView},
        CurrentUser, Page,
    },
};

/// A question on its page.
#[derive(Debug, Serialize)]
pub struct QuestionView {
    pub id: i64,
    pub url: String,
    pub title: String,
    pub body_html: String,
    pub tags: Vec<TagLink>,
    pub author: Author,
    pub created_ts: i64,
    pub edited_ts: Option<i64>,
    pub answer_count: i32,
    pub solved: bool,
    pub locked: bool,
    pub deleted: bool,
    pub is_owner: bool,
    pub can_edit: bool,
    pub can_flag: bool,
    pub following: bool,
    pub vote: VoteView,
    pub comments: CommentsView,
}

/// An answer on its question's page.
#[derive(Debug, Serialize)]
pub struct AnswerView {
    pub id: i64,
    pub body_html: String,
    pub accepted: bool,
    pub deleted: bool,
    pub author: Author,
    pub created_ts: i64,
    pub edited_ts: Option<i64>,
    pub can_edit: bool,
    pub can_accept: bool,
    pub can_flag: bool,
    pub vote: VoteView,
    pub comments: CommentsView,
}

impl AnswerView {
    #[must_use]
    pub fn new(
        row: &AnswerRow,
        question: &questions::Model,
        viewer: Option<&CurrentUser>,
        mine: &str,
    ) -> Self {
        let is_author = viewer.is_some_and(|v| v.id == row.user_id);
        let open = !question.is_locked() && !question.is_deleted() && row.deleted_at.is_none();
        Self {
            id: row.id,
            body_html: row.body_html.clone(),
            accepted: row.is_accepted,
            deleted: row.deleted_at.is_some(),
            author: Author::new(
                &row.author_name,
                row.author_reputation,
                row.author_avatar.as_deref(),
            ),
            created_ts: row.created_at.timestamp(),
            edited_ts: row.edited_at.map(|t| t.timestamp()),
            can_edit: viewer.is_some_and(|v| v.is_staff() || (is_author && open)),
            can_accept: viewer.is_some_and(|v| v.id == question.user_id) && open,
            can_flag: viewer.is_some_and(|v| v.may_flag)
                && !is_author
                && row.deleted_at.is_none()
                && !question.is_deleted(),
            vote: VoteView {
                action: format!("/answers/{}/vote", row.id),
                score: row.score,
                up: row.up_count,
                down: row.down_count,
                mine: mine.to_string(),
                can_vote: viewer.is_some() && !is_author && open,
            },
            comments: CommentsView::default(),
        }
    }
}

impl QuestionView {
    #[must_use]
    pub fn new(
        q: &questions::Model,
        author: &Author,
        tags: &[String],
        viewer: Option<&CurrentUser>,
        mine: &str,
    ) -> Self {
        let is_owner = viewer.is_some_and(|v| v.id == q.user_id);
        Self {
            id: q.id,
            url: q.url(),
            title: q.title.clone(),
            body_html: q.body_html.clone(),
            tags: TagLink::list(tags),
            author: author.clone(),
            created_ts: q.created_at.timestamp(),
            edited_ts: q.edited_at.map(|t| t.timestamp()),
            answer_count: q.answer_count,
            solved: q.accepted_answer_id.is_some(),
            locked: q.is_locked(),
            deleted: q.is_deleted(),
            is_owner,
            can_edit: viewer.is_some_and(|v| q.can_edit(v.actor())),
            can_flag: viewer.is_some_and(|v| v.may_flag) && !is_owner && !q.is_deleted(),
            vote: VoteView {
                action: format!("/questions/{}/vote", q.id),
                score: q.score,
                up: q.up_count,
                down: q.down_count,
                mine: mine.to_string(),
                can_vote: viewer.is_some() && !is_owner && !q.is_locked() && !q.is_deleted(),
            },
            following: false,
            comments: CommentsView::default(),
        }
    }
}

/// The list page's current filters, for links that keep them.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ListState {
    pub q: String,
    pub tag: String,
    pub sort: String,
}

impl ListState {
    #[must_use]
    pub fn url(&self, base: &str, sort: Option<Sort>, page: u64) -> String {
        let sort: &str = match sort {
            Some(s) => s.as_str(),
            None => &self.sort,
        };
        let sort = if sort == "newest" { "" } else { sort };
        let page = if page > 1 {
            page.to_string()
        } else {
            String::new()
        };
        url_with(
            base,
            &[
                ("q", &self.q),
                ("tag", &self.tag),
                ("sort", sort),
                ("page", &page),
            ],
        )
    }
}

/// # Errors
/// When the template fails to render.
pub fn index(
    v: &TeraView,
    page: &Page,
    base: &str,
    state: &ListState,
    list: &ListPage,
    tag_info: Option<serde_json::Value>,
) -> Result<Response> {
    let pager = Pager::new(list.page, list.pages, |n| state.url(base, None, n));
    let sorts: Vec<serde_json::Value> = [Sort::Newest, Sort::Votes, Sort::Active, Sort::Unanswered]
        .into_iter()
        .map(|s| {
            data!({
                "key": s.as_str(),
                "url": state.url(base, Some(s), 1),
                "active": s.as_str() == state.sort,
            })
        })
        .collect();
    page.render(
        v,
        "questions/index.html",
        data!({
            "questions": &list.rows,
            "total": list.total,
            "capped": list.capped,
            "pager": pager,
            "state": state,
            "sorts": sorts,
            "tag_info": tag_info,
        }),
    )
}

/// # Errors
/// When the template fails to render.
pub fn form(
    v: &TeraView,
    page: &Page,
    action: &str,
    form: &QuestionParams,
    errors: &FieldErrors,
    editing: Option<&str>,
    status: StatusCode,
) -> Result<Response> {
    page.render_status(
        v,
        status,
        "questions/form.html",
        data!({
            "action": action,
            "form": form,
            "errors": errors.translate(page.lang()),
            "editing_url": editing,
        }),
    )
}

/// # Errors
/// When the template fails to render.
pub fn show(
    v: &TeraView,
    page: &Page,
    q: &questions::Model,
    data: &PageData,
    (answer_form, errors): (&str, &FieldErrors),
    status: StatusCode,
    comment_min: i64,
) -> Result<Response> {
    let viewer = page.user();
    let mine = |kind: i16, id: i64| data.mine.get(&(kind, id)).copied().unwrap_or("");
    let open = !q.is_locked() && !q.is_deleted();
    let comments = Comments::new(&data.comments, viewer, open);
    let may = |author_id: i64| {
        viewer.is_some_and(|v| may_comment(v.actor(), author_id, q.user_id, comment_min).is_ok())
    };
    let mut question = QuestionView::new(
        q,
        &data.author,
        &data.tags,
        viewer,
        mine(votes::QUESTION, q.id),
    );
    question.following = data.following;
    question.comments = comments.of(Parent::Question(q.id), may(q.user_id), true);
    let answers: Vec<AnswerView> = data
        .answers
        .iter()
        .map(|a| {
            let mut view = AnswerView::new(a, q, viewer, mine(votes::ANSWER, a.id));
            view.comments =
                comments.of(Parent::Answer(a.id), may(a.user_id), a.deleted_at.is_none());
            view
        })
        .collect();
    page.render_status(
        v,
        status,
        "questions/show.html",
        data!({
            "question": question,
            "answers": answers,
            "answer_form": { "body": answer_form },
            "errors": errors.translate(page.lang()),
        }),
    )
}

/// The home page.
///
/// # Errors
/// When the template fails to render.
pub fn home(
    v: &TeraView,
    page: &Page,
    questions: &[QuestionSummary],
    reviews: &[ReviewSummary],
    top: &[Author],
    stats: &std::collections::HashMap<String, i64>,
) -> Result<Response> {
    let stat = |name: &str| stats.get(name).copied().unwrap_or(0);
    page.render(
        v,
        "home/index.html",
        data!({
            "questions": questions,
            "reviews": reviews,
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

/// The tag list.
///
/// # Errors
/// When the template fails to render.
pub fn tags(v: &TeraView, page: &Page, tags: &[TagCount], pager: &Pager) -> Result<Response> {
    page.render(
        v,
        "tags/index.html",
        data!({ "tags": tags, "pager": pager }),
    )
}

/// A tag with its question count, for the tag list.
#[derive(Debug, Serialize)]
pub struct TagCount {
    pub name: String,
    pub url: String,
    pub count: i32,
}

/// The edit form of an answer.
///
/// # Errors
/// When the template fails to render.
pub fn answer_form(
    v: &TeraView,
    page: &Page,
    (answer_id, question): (i64, &questions::Model),
    body: &str,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<Response> {
    page.render_status(
        v,
        status,
        "answers/edit.html",
        data!({
            "action": format!("/answers/{answer_id}/edit"),
            "question": { "title": question.title, "url": question.url() },
            "form": { "body": body },
            "errors": errors.translate(page.lang()),
        }),
    )
}
