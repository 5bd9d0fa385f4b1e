//! The suggested-edits queue page.
use loco_rs::prelude::*;
use serde::Serialize;

use crate::{
    diff,
    forum::suggestions::Pending,
    web::{error::Result, present::Pager, Page},
};

/// One suggestion with what it changes.
#[derive(Debug, Serialize)]
struct Item<'a> {
    id: i64,
    kind: &'static str,
    url: String,
    question_title: &'a str,
    suggester: &'a str,
    ts: i64,
    summary: Option<&'a str>,
    title_html: Option<String>,
    tags_html: Option<String>,
    body_html: String,
}

fn item(p: &Pending) -> Item<'_> {
    let question = p.post_kind == 1;
    let url = if question {
        format!("/questions/{}/{}", p.question_id, p.question_slug)
    } else {
        format!(
            "/questions/{}/{}#answer-{}",
            p.question_id, p.question_slug, p.post_id
        )
    };
    let html = |old: &str, new: &str| diff::to_html(&diff::diff(old, new));
    Item {
        id: p.id,
        kind: if question { "question" } else { "answer" },
        url,
        question_title: &p.question_title,
        suggester: &p.suggester,
        ts: p.created_at.timestamp(),
        summary: p.summary.as_deref(),
        title_html: question
            .then(|| html(&p.question_title, p.title.as_deref().unwrap_or_default())),
        tags_html: question.then(|| {
            html(
                p.current_tags.as_deref().unwrap_or_default(),
                p.tags.as_deref().unwrap_or_default(),
            )
        }),
        body_html: html(&p.current_body, &p.body),
    }
}

/// # Errors
/// When the template fails to render.
pub fn review_queue(
    v: &TeraView,
    page: &Page,
    rows: &[Pending],
    (number, pages, total): (u64, u64, i64),
    url: impl Fn(u64) -> String,
) -> Result<Response> {
    let items: Vec<Item> = rows.iter().map(item).collect();
    page.render(
        v,
        "review/edits.html",
        data!({
            "items": items,
            "total": total,
            "pager": Pager::new(number, pages, url),
        }),
    )
}
