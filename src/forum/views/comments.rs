//! Comments as the question page shows them, and the comment form page.
use std::collections::HashMap;

use axum::http::StatusCode;
use chrono::Utc;
use loco_rs::prelude::*;
use serde::Serialize;

use crate::{
    forms::FieldErrors,
    forum::comments::{CommentRow, Parent, EDIT_WINDOW},
    markdown::INLINE_HELP,
    web::{error::Result, CurrentUser, Page},
};

/// One comment under a post.
#[derive(Debug, Serialize, Hash)]
pub struct CommentView {
    pub id: i64,
    pub body_html: String,
    pub score: i32,
    pub voted: bool,
    pub author: String,
    pub author_url: String,
    pub created_ts: i64,
    pub edited: bool,
    pub can_vote: bool,
    pub can_edit: bool,
    pub can_delete: bool,
    pub can_flag: bool,
}

/// The comments of one post, with the form to add one.
#[derive(Debug, Default, Serialize, Hash)]
pub struct CommentsView {
    /// `q1`, `a7`: the post's id in element ids.
    pub uid: String,
    pub items: Vec<CommentView>,
    pub total: i64,
    /// Comments not shown (the "show all" link says how many).
    pub hidden: i64,
    pub action: String,
    pub can_comment: bool,
}

/// The comments of every post of a question page, by post.
pub struct Comments<'a> {
    by_post: HashMap<(i16, i64), Vec<&'a CommentRow>>,
    viewer: Option<&'a CurrentUser>,
    open: bool,
}

impl<'a> Comments<'a> {
    /// `open`: the question takes new comments and votes (not locked or
    /// deleted).
    #[must_use]
    pub fn new(rows: &'a [CommentRow], viewer: Option<&'a CurrentUser>, open: bool) -> Self {
        let mut by_post: HashMap<(i16, i64), Vec<&CommentRow>> = HashMap::new();
        for row in rows {
            by_post
                .entry((row.post_kind, row.post_id))
                .or_default()
                .push(row);
        }
        Self {
            by_post,
            viewer,
            open,
        }
    }

    /// The view of `parent`'s comments; `may_comment` says whether the
    /// viewer has the right to add one there.
    #[must_use]
    pub fn of(&self, parent: Parent, may_comment: bool, live: bool) -> CommentsView {
        let rows = self
            .by_post
            .get(&(parent.code(), parent.id()))
            .map_or(&[][..], Vec::as_slice);
        let total = rows.first().map_or(0, |r| r.total);
        let now = Utc::now();
        let items = rows
            .iter()
            .map(|r| {
                let mine = self.viewer.is_some_and(|v| v.id == r.user_id);
                let staff = self.viewer.is_some_and(CurrentUser::is_staff);
                let fresh = now - r.created_at.to_utc() <= EDIT_WINDOW;
                CommentView {
                    id: r.id,
                    body_html: r.body_html.clone(),
                    score: r.score,
                    voted: r.voted,
                    author: r.author_name.clone(),
                    author_url: format!("/users/{}", r.author_name),
                    created_ts: r.created_at.timestamp(),
                    edited: r.edited_at.is_some(),
                    can_vote: self.viewer.is_some() && !mine && self.open,
                    can_edit: staff || (mine && fresh && self.open),
                    can_delete: staff || (mine && self.open),
                    can_flag: self.viewer.is_some_and(|v| v.may_flag) && !mine,
                }
            })
            .collect::<Vec<_>>();
        let shown = i64::try_from(items.len()).unwrap_or(i64::MAX);
        CommentsView {
            uid: match parent {
                Parent::Question(id) => format!("q{id}"),
                Parent::Answer(id) => format!("a{id}"),
            },
            items,
            total,
            hidden: (total - shown).max(0),
            action: match parent {
                Parent::Question(id) => format!("/questions/{id}/comments"),
                Parent::Answer(id) => format!("/answers/{id}/comments"),
            },
            can_comment: self.viewer.is_some() && may_comment && self.open && live,
        }
    }
}

/// The comment form on a page of its own: a new comment whose text did not
/// pass (422, text kept), or an edit.
///
/// # Errors
/// When the template fails to render.
pub fn comment_form(
    v: &TeraView,
    page: &Page,
    action: &str,
    body: &str,
    errors: &FieldErrors,
    back: Option<&str>,
    preview_html: &str,
) -> Result<Response> {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    page.render_status(
        v,
        status,
        "comments/form.html",
        data!({
            "action": action,
            "body": body,
            "errors": errors.translate(page.lang()),
            "back": back,
            "editing": back.is_some(),
            "help_key": INLINE_HELP,
            "preview_html": preview_html,
        }),
    )
}
