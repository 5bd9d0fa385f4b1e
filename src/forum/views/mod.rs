//! The forum's pages: the home page, question lists, the question page,
//! the ask/edit forms, the answer form and the tag list.
use axum::http::StatusCode;
use loco_rs::prelude::*;
use serde::Serialize;

mod comments;
mod review;
mod show;
mod structured;

pub use comments::comment_form;
pub use review::review_queue;
pub use show::show;

use super::{
    questions::{self, ListPage, Near, QuestionParams, Sort},
    QuestionSummary,
};
use crate::{
    counters,
    forms::FieldErrors,
    reviews::ReviewSummary,
    users::Author,
    web::{
        error::Result,
        present::{self, url_with, Pager},
        Page,
    },
};

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
            "question_rows": present::question_rows(v, page, &list.rows, 2)?,
            "total": list.total,
            "capped": list.capped,
            "pager": pager,
            "state": state,
            "sorts": sorts,
            "tag_info": tag_info,
        }),
    )
}

/// How the question (or answer) form is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FormMode {
    Ask,
    Edit,
    /// A suggested edit, for the review queue.
    Suggest,
}

/// The ask/edit form page.
pub struct QuestionForm<'a> {
    pub action: &'a str,
    pub form: &'a QuestionParams,
    pub errors: &'a FieldErrors,
    /// Where "cancel" goes (edits).
    pub back: Option<&'a str>,
    pub mode: FormMode,
    /// Questions like the typed title, after "check for similar".
    pub similar: Option<&'a [Near]>,
}

fn near_items(list: &[Near]) -> Vec<serde_json::Value> {
    list.iter()
        .map(|n| {
            data!({
                "title": n.title,
                "url": n.url(),
                "answer_count": n.answer_count,
                "solved": n.solved,
                "linked": n.linked,
            })
        })
        .collect()
}

/// # Errors
/// When the template fails to render.
pub fn form(v: &TeraView, page: &Page, f: &QuestionForm, status: StatusCode) -> Result<Response> {
    page.render_status(
        v,
        status,
        "questions/form.html",
        data!({
            "action": f.action,
            "form": f.form,
            "errors": f.errors.translate(page.lang()),
            "editing_url": f.back,
            "mode": f.mode,
            "similar": f.similar.map(near_items).unwrap_or_default(),
            "similar_checked": f.similar.is_some(),
            "preview_html": crate::forms::preview_html(&f.form.preview, &f.form.body),
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
            "question_rows": present::question_rows(v, page, questions, 3)?,
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
/// The answer edit page.
pub struct AnswerForm<'a> {
    pub answer_id: i64,
    pub question: &'a questions::Model,
    pub body: &'a str,
    pub summary: &'a str,
    pub errors: &'a FieldErrors,
    pub mode: FormMode,
    /// The draft rendered, after the Preview button.
    pub preview_html: String,
}

/// # Errors
/// When the template fails to render.
pub fn answer_form(
    v: &TeraView,
    page: &Page,
    f: &AnswerForm,
    status: StatusCode,
) -> Result<Response> {
    page.render_status(
        v,
        status,
        "answers/edit.html",
        data!({
            "action": format!("/answers/{}/edit", f.answer_id),
            "question": { "title": f.question.title, "url": f.question.url() },
            "form": { "body": f.body, "summary": f.summary },
            "errors": f.errors.translate(page.lang()),
            "mode": f.mode,
            "preview_html": f.preview_html,
        }),
    )
}
