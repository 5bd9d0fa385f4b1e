//! The leaderboard and a user's reputation history.
use loco_rs::prelude::*;

use serde::Serialize;

use super::{
    ledger::{Board, BoardRow, HistoryEntry, Period},
    Direction, Kind, ReputationRules,
};
use crate::{
    users::Author,
    web::{error::Result, present::Pager, Page},
};

#[derive(Debug, Serialize)]
pub struct BoardItem {
    pub rank: i64,
    pub user: Author,
    pub points: i64,
    pub is_me: bool,
}

impl BoardItem {
    fn new(row: &BoardRow, viewer: Option<i64>) -> Self {
        Self {
            rank: row.rank,
            user: Author::new(&row.username, row.reputation, row.avatar.as_deref()),
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

/// # Errors
/// When the template fails to render.
pub fn history(
    v: &TeraView,
    page: &Page,
    user: &Author,
    items: &[HistoryEntry],
    pager: &Pager,
) -> Result<Response> {
    page.render(
        v,
        "users/reputation.html",
        data!({ "user": user, "items": items, "pager": pager }),
    )
}
