//! The question page: the question, its answers and their comments, the
//! close state and votes, the edit history links, and the linked and
//! related questions.
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use loco_rs::prelude::*;
use serde::Serialize;

use super::comments::{Comments, CommentsView};
use crate::{
    forms::FieldErrors,
    forum::{
        answers::AnswerRow,
        comments::{may_comment, Parent},
        editing::{edit_right, EditRight},
        questions::{self, PageData},
        tags::TagLink,
    },
    i18n::{self, Lang},
    settings::ReputationSettings,
    users::Author,
    votes,
    web::{error::Result, present::VoteView, CurrentUser, Page},
};

/// Who last changed a post, linking to its history (`ts` is 0 while its
/// text never changed).
#[derive(Debug, Default, Serialize, Hash)]
pub struct Edited {
    pub ts: i64,
    pub by: Option<String>,
    pub history_url: String,
}

/// What the viewer may do to a post's text: `edit`, `suggest` or nothing.
fn edit_link(right: EditRight) -> &'static str {
    match right {
        EditRight::Direct => "edit",
        EditRight::Suggest => "suggest",
        EditRight::None => "",
    }
}

/// A question on its page.
#[derive(Debug, Serialize, Hash)]
pub struct QuestionView {
    pub id: i64,
    pub url: String,
    pub title: String,
    /// The stored plain-text excerpt (search engines' and cards' summary).
    pub excerpt: String,
    pub body_html: String,
    pub tags: Vec<TagLink>,
    pub author: Author,
    pub created_ts: i64,
    pub edited: Edited,
    pub answer_count: i32,
    pub solved: bool,
    pub locked: bool,
    pub deleted: bool,
    pub closed: bool,
    pub close_reason: Option<String>,
    pub closed_ts: Option<i64>,
    /// The original of a duplicate.
    pub original: Option<Original>,
    pub is_owner: bool,
    /// `edit`, `suggest` or empty.
    pub edit: &'static str,
    pub can_delete: bool,
    pub can_flag: bool,
    pub following: bool,
    pub vote: VoteView,
    pub comments: CommentsView,
    pub close: CloseView,
}

/// The question a duplicate points to.
#[derive(Debug, Serialize, Hash)]
pub struct Original {
    pub url: String,
    pub title: String,
}

/// The close (or reopen) control.
#[derive(Debug, Serialize, Hash)]
pub struct CloseView {
    /// `close` or `reopen`.
    pub action: &'static str,
    pub can_vote: bool,
    pub voted: bool,
    pub votes: i64,
    pub needed: i64,
    /// A moderator acts alone.
    pub staff: bool,
}

/// An answer on its question's page.
#[derive(Debug, Serialize, Hash)]
pub struct AnswerView {
    pub id: i64,
    pub body_html: String,
    pub accepted: bool,
    pub deleted: bool,
    pub author: Author,
    pub created_ts: i64,
    pub edited: Edited,
    pub edit: &'static str,
    pub can_delete: bool,
    pub can_accept: bool,
    pub can_flag: bool,
    pub vote: VoteView,
    pub comments: CommentsView,
}

fn answer_view(
    row: &AnswerRow,
    question: &questions::Model,
    viewer: Option<&CurrentUser>,
    mine: &str,
    rules: &ReputationSettings,
) -> AnswerView {
    let is_author = viewer.is_some_and(|v| v.id == row.user_id);
    let open = !question.is_locked() && !question.is_deleted() && row.deleted_at.is_none();
    let right = viewer.map_or(EditRight::None, |v| {
        edit_right(v.actor(), row.user_id, open, rules.edit_min)
    });
    AnswerView {
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
        edited: row
            .edited_at
            .map(|t| Edited {
                ts: t.timestamp(),
                by: row.editor_name.clone(),
                history_url: format!("/answers/{}/revisions", row.id),
            })
            .unwrap_or_default(),
        edit: if row.deleted_at.is_some() && !viewer.is_some_and(CurrentUser::is_staff) {
            ""
        } else {
            edit_link(right)
        },
        can_delete: row.deleted_at.is_none()
            && viewer.is_some_and(|v| v.is_staff() || (is_author && open)),
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

fn question_view(
    q: &questions::Model,
    data: &PageData,
    viewer: Option<&CurrentUser>,
    mine: &str,
    rules: &ReputationSettings,
) -> QuestionView {
    let is_owner = viewer.is_some_and(|v| v.id == q.user_id);
    let open = !q.is_locked() && !q.is_deleted();
    let right = viewer.map_or(EditRight::None, |v| {
        edit_right(v.actor(), q.user_id, open, rules.edit_min)
    });
    let closed = q.closed_at.is_some();
    let staff = viewer.is_some_and(CurrentUser::is_staff);
    QuestionView {
        id: q.id,
        url: q.url(),
        title: q.title.clone(),
        excerpt: q.excerpt.clone(),
        body_html: q.body_html.clone(),
        tags: TagLink::list(&data.tags),
        author: data.author.clone(),
        created_ts: q.created_at.timestamp(),
        edited: q
            .edited_at
            .map(|t| Edited {
                ts: t.timestamp(),
                by: data.editor.clone(),
                history_url: format!("/questions/{}/revisions", q.id),
            })
            .unwrap_or_default(),
        answer_count: q.answer_count,
        solved: q.accepted_answer_id.is_some(),
        locked: q.is_locked(),
        deleted: q.is_deleted(),
        closed,
        close_reason: q.close_reason.clone(),
        closed_ts: q.closed_at.map(|t| t.timestamp()),
        original: data
            .original
            .clone()
            .map(|(url, title)| Original { url, title }),
        is_owner,
        edit: edit_link(right),
        can_delete: !q.is_deleted() && viewer.is_some_and(|v| v.is_staff() || (is_owner && open)),
        can_flag: viewer.is_some_and(|v| v.may_flag) && !is_owner && !q.is_deleted(),
        following: data.following,
        vote: VoteView {
            action: format!("/questions/{}/vote", q.id),
            score: q.score,
            up: q.up_count,
            down: q.down_count,
            mine: mine.to_string(),
            can_vote: viewer.is_some() && !is_owner && open,
        },
        comments: CommentsView::default(),
        close: CloseView {
            action: if closed { "reopen" } else { "close" },
            can_vote: viewer.is_some_and(|v| {
                v.is_staff() || (v.reputation >= rules.close_min && v.confirmed() && open)
            }),
            voted: data.my_close_vote,
            votes: data.close_votes,
            needed: rules.close_votes,
            staff,
        },
    }
}

/// The relative times a kept fragment prints ("5 minutes ago"), as spans
/// (see `web::fragments`): a post's, its last edit's, its comments' and
/// any `more`.
fn clock(
    created_ts: i64,
    edited: &Edited,
    comments: &CommentsView,
    more: Option<i64>,
    now: DateTime<Utc>,
) -> Vec<(&'static str, i64)> {
    let edited = (edited.ts > 0).then_some(edited.ts);
    std::iter::once(created_ts)
        .chain(edited)
        .chain(comments.items.iter().map(|c| c.created_ts))
        .chain(more)
        .map(|ts| i18n::ago_span(ts, now))
        .collect()
}

impl AnswerView {
    fn clock(&self, now: DateTime<Utc>) -> Vec<(&'static str, i64)> {
        clock(self.created_ts, &self.edited, &self.comments, None, now)
    }
}

impl QuestionView {
    fn clock(&self, now: DateTime<Utc>) -> Vec<(&'static str, i64)> {
        clock(
            self.created_ts,
            &self.edited,
            &self.comments,
            self.closed_ts,
            now,
        )
    }
}

/// What `questions/question.html` reads: the question, rendered apart and
/// kept.
#[derive(Serialize, Hash)]
struct QuestionFragment<'a> {
    question: &'a QuestionView,
    lang: Lang,
    signed_in: bool,
    staff: bool,
    /// Where the vote widget's sign-in link returns a visitor to.
    login_next: &'a str,
    close_reasons: [&'static str; 4],
}

/// What `questions/answer.html` reads: one answer, rendered apart and kept.
#[derive(Serialize, Hash)]
struct AnswerFragment<'a> {
    answer: &'a AnswerView,
    lang: Lang,
    staff: bool,
    /// Where the vote widget's sign-in link returns a visitor to.
    login_next: &'a str,
    more_url: &'a str,
}

/// What `questions/show.html` reads besides the layout.
#[derive(Serialize)]
struct ShowData<'a> {
    question: QuestionHead<'a>,
    /// The question's HTML (`questions/question.html`).
    question_html: String,
    /// Each answer's HTML (`questions/answer.html`).
    answers: Vec<String>,
    qa_page_jsonld: String,
    answer_form: AnswerForm<'a>,
    errors: std::collections::BTreeMap<String, String>,
    linked: Vec<NearView<'a>>,
    related: Vec<NearView<'a>>,
}

/// What the page around the question's fragment reads of it (the head's
/// title and description, the answer form's state): the body, comments and
/// controls are in the fragment, and copying them into the page's context
/// again was wasted work.
#[derive(Serialize)]
struct QuestionHead<'a> {
    id: i64,
    title: &'a str,
    excerpt: &'a str,
    deleted: bool,
    locked: bool,
    closed: bool,
}

impl<'a> QuestionHead<'a> {
    fn of(q: &'a QuestionView) -> Self {
        Self {
            id: q.id,
            title: &q.title,
            excerpt: &q.excerpt,
            deleted: q.deleted,
            locked: q.locked,
            closed: q.closed,
        }
    }
}

/// The answer form's draft (after a refused answer or a preview).
#[derive(Serialize)]
struct AnswerForm<'a> {
    body: &'a str,
    preview_html: String,
}

/// A linked or related question in the sidebar.
#[derive(Serialize)]
struct NearView<'a> {
    title: &'a str,
    url: String,
    answer_count: i32,
    solved: bool,
}

impl<'a> NearView<'a> {
    fn of(n: &'a questions::Near) -> Self {
        Self {
            title: &n.title,
            url: n.url(),
            answer_count: n.answer_count,
            solved: n.solved,
        }
    }
}

/// # Errors
/// When the template fails to render.
pub fn show(
    v: &TeraView,
    page: &Page,
    q: &questions::Model,
    data: &PageData,
    (answer_form, errors, preview_html): (&str, &FieldErrors, String),
    status: StatusCode,
    rules: &ReputationSettings,
) -> Result<Response> {
    let viewer = page.user();
    let mine = |kind: i16, id: i64| data.mine.get(&(kind, id)).copied().unwrap_or("");
    let open = !q.is_locked() && !q.is_deleted();
    let comments = Comments::new(&data.comments, viewer, open);
    let may = |author_id: i64| {
        viewer.is_some_and(|v| {
            may_comment(v.actor(), author_id, q.user_id, rules.comment_min).is_ok()
        })
    };
    let mut question = question_view(q, data, viewer, mine(votes::QUESTION, q.id), rules);
    question.comments = comments.of(Parent::Question(q.id), may(q.user_id), true);
    let answers: Vec<AnswerView> = data
        .answers
        .iter()
        .map(|a| {
            let mut view = answer_view(a, q, viewer, mine(votes::ANSWER, a.id), rules);
            view.comments =
                comments.of(Parent::Answer(a.id), may(a.user_id), a.deleted_at.is_none());
            view
        })
        .collect();
    // for search engines, which come anonymous: members' pages skip the
    // work; a deleted question is not for them either (it is noindex)
    let structured = if q.is_deleted() || viewer.is_some() {
        String::new()
    } else {
        super::structured::qa_page_jsonld(&question, &answers)
    };
    let more_url = format!("{}?comments=all", question.url);
    let now = Utc::now();
    let staff = viewer.is_some_and(CurrentUser::is_staff);
    let login_next = if viewer.is_some() {
        ""
    } else {
        page.base.path.as_str()
    };
    let question_html = page.fragment(
        v,
        "questions/question.html",
        &QuestionFragment {
            question: &question,
            lang: page.lang(),
            signed_in: viewer.is_some(),
            staff,
            login_next,
            close_reasons: ["duplicate", "off-topic", "needs-details", "opinion-based"],
        },
        &question.clock(now),
    )?;
    let answers = answers
        .iter()
        .map(|answer| {
            let fragment = AnswerFragment {
                answer,
                lang: page.lang(),
                staff,
                login_next,
                more_url: &more_url,
            };
            page.fragment(v, "questions/answer.html", &fragment, &answer.clock(now))
        })
        .collect::<Result<Vec<_>>>()?;
    let (linked, related): (Vec<_>, Vec<_>) = data.near.iter().partition(|n| n.linked);
    page.render_status(
        v,
        status,
        "questions/show.html",
        ShowData {
            question: QuestionHead::of(&question),
            question_html,
            answers,
            qa_page_jsonld: structured,
            answer_form: AnswerForm {
                body: answer_form,
                preview_html,
            },
            errors: errors.translate(page.lang()),
            linked: linked.into_iter().map(NearView::of).collect(),
            related: related.into_iter().map(NearView::of).collect(),
        },
    )
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::forum::views::comments::CommentView;

    fn answer(created_ts: i64, edited_ts: i64, comment_ts: &[i64]) -> AnswerView {
        AnswerView {
            id: 1,
            body_html: "<p>x</p>".into(),
            accepted: false,
            deleted: false,
            author: Author::new("someone", 1, None),
            created_ts,
            edited: Edited {
                ts: edited_ts,
                ..Edited::default()
            },
            edit: "",
            can_delete: false,
            can_accept: false,
            can_flag: false,
            vote: VoteView {
                action: String::new(),
                score: 0,
                up: 0,
                down: 0,
                mine: String::new(),
                can_vote: false,
            },
            comments: CommentsView {
                items: comment_ts
                    .iter()
                    .map(|&ts| CommentView {
                        id: ts,
                        body_html: String::new(),
                        score: 0,
                        voted: false,
                        author: String::new(),
                        author_url: String::new(),
                        created_ts: ts,
                        edited: false,
                        can_vote: false,
                        can_edit: false,
                        can_delete: false,
                        can_flag: false,
                    })
                    .collect(),
                ..CommentsView::default()
            },
        }
    }

    #[test]
    fn a_kept_answer_is_another_key_when_any_time_it_prints_would_read_differently() {
        let t0 = 1_700_000_000;
        let at = |secs: i64| Utc.timestamp_opt(t0 + secs, 0).unwrap();
        let plain = answer(t0, 0, &[]);
        // "just now" up to 44 s, "1 minute ago" from 45 s
        assert_eq!(plain.clock(at(10)), plain.clock(at(44)));
        assert_ne!(plain.clock(at(44)), plain.clock(at(45)));
        // an edit and each comment count too
        let edited = answer(t0 - 86_400 * 3, t0, &[]);
        assert_ne!(edited.clock(at(44)), edited.clock(at(45)));
        let commented = answer(t0 - 86_400 * 3, 0, &[t0 - 86_400, t0]);
        assert_ne!(commented.clock(at(44)), commented.clock(at(45)));
        assert_eq!(commented.clock(at(45)), commented.clock(at(100)));
        // a question's closing time too
        let closed = |now| {
            clock(
                t0 - 86_400 * 3,
                &Edited::default(),
                &CommentsView::default(),
                Some(t0),
                now,
            )
        };
        assert_ne!(closed(at(44)), closed(at(45)));
    }
}
