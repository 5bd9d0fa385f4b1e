//! The history page of a post: questions, answers (the forum) and reviews
//! share it, so it lives with the other shared page pieces.
use loco_rs::prelude::*;

use crate::{
    revisions::{Post, Step},
    web::{error::Result, Page},
};

/// What the history page shows.
pub struct History<'a> {
    pub post: Post,
    pub title: &'a str,
    /// The post's own page.
    pub back: &'a str,
    pub steps: &'a [Step],
    pub can_roll_back: bool,
}

/// # Errors
/// When the template fails to render.
pub fn history(v: &TeraView, page: &Page, h: &History) -> Result<Response> {
    let kind = match h.post {
        Post::Question(_) => "question",
        Post::Answer(_) => "answer",
        Post::Review(_) => "review",
    };
    page.render(
        v,
        "revisions/index.html",
        data!({
            "kind": kind,
            "title": h.title,
            "back": h.back,
            "steps": h.steps,
            "can_roll_back": h.can_roll_back,
            "base": h.post.history_url(),
        }),
    )
}
