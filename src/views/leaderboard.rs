//! The leaderboard and a user's reputation history.
use loco_rs::prelude::*;

use crate::web::error::Result;
use serde::Serialize;

use super::shared::{AuthorView, Pager};
use crate::{
    votes::{
        ledger::{Board, BoardRow, HistoryRow, Period},
        Direction, Kind, ReputationRules,
    },
    web::Page,
};

#[derive(Debug, Serialize)]
pub struct BoardItem {
    pub rank: i64,
    pub user: AuthorView,
    pub points: i64,
    pub is_me: bool,
}

impl BoardItem {
    fn new(row: &BoardRow, viewer: Option<i64>) -> Self {
        Self {
            rank: row.rank,
            user: AuthorView::new(&row.username, row.reputation, row.avatar.as_deref()),
            points: row.points,
            is_me: viewer == Some(row.id),
        }
    }
}

/// # Errors
/// When the template fails to render.
pub fn index(
    v: &TeraView,
    page: &Page,
    period: Period,
    board: &Board,
    rules: &ReputationRules,
    url: impl Fn(Period, u64) -> String,
) -> Result<Response> {
    let viewer = page.user().map(|u| u.id);
    let rows: Vec<BoardItem> = board
        .rows
        .iter()
        .map(|r| BoardItem::new(r, viewer))
        .collect();
    let me = board.viewer.as_ref().map(|r| BoardItem::new(r, viewer));
    let tabs: Vec<serde_json::Value> = [Period::Week, Period::Month, Period::All]
        .into_iter()
        .map(|p| data!({ "key": p.as_str(), "url": url(p, 1), "active": p == period }))
        .collect();
    let pager = Pager::new(board.page, board.pages, |n| url(period, n));
    let points = data!({
        "question_up": rules.points(Kind::Question, Direction::Up),
        "answer_up": rules.points(Kind::Answer, Direction::Up),
        "review_up": rules.points(Kind::Review, Direction::Up),
        "down": rules.points(Kind::Answer, Direction::Down),
        "accept": rules.accept(),
        "cap": rules.daily_cap(),
    });
    page.render(
        v,
        "leaderboard/index.html",
        data!({ "rows": rows, "me_row": me, "tabs": tabs, "pager": pager, "period": period.as_str(), "points": points }),
    )
}

/// One row of a reputation history.
#[derive(Debug, Serialize)]
pub struct HistoryItem {
    pub delta: i32,
    pub reason: String,
    pub kind: String,
    pub capped: bool,
    pub url: Option<String>,
    pub title: Option<String>,
    pub note: Option<String>,
    pub ts: i64,
}

impl HistoryItem {
    #[must_use]
    pub fn new(row: &HistoryRow) -> Self {
        let kind = row.vote_kind.or(row.target_kind).and_then(Kind::from_code);
        let url = match (kind, row.question_id, &row.question_slug) {
            (Some(Kind::Answer), Some(q), Some(slug)) => row
                .answer_id
                .map(|a| format!("/questions/{q}/{slug}#answer-{a}")),
            (Some(Kind::Question), Some(q), Some(slug)) => Some(format!("/questions/{q}/{slug}")),
            (Some(Kind::Review), _, _) => row.review_id.map(|r| format!("/reviews/{r}")),
            _ => None,
        };
        let title = row
            .question_title
            .clone()
            .or_else(|| row.review_title.clone());
        Self {
            delta: row.delta,
            capped: row.delta == 0 && matches!(row.reason.as_str(), "upvote"),
            reason: row.reason.clone(),
            kind: match kind {
                Some(Kind::Question) => "question",
                Some(Kind::Answer) => "answer",
                Some(Kind::Review) => "review",
                None => "",
            }
            .to_string(),
            url,
            title,
            note: row.note.clone(),
            ts: row.created_at.timestamp(),
        }
    }
}

/// # Errors
/// When the template fails to render.
pub fn history(
    v: &TeraView,
    page: &Page,
    user: &AuthorView,
    rows: &[HistoryRow],
    pager: &Pager,
) -> Result<Response> {
    let items: Vec<HistoryItem> = rows.iter().map(HistoryItem::new).collect();
    page.render(
        v,
        "users/reputation.html",
        data!({ "user": user, "items": items, "pager": pager }),
    )
}
