//! The read side of the ledger: a user's history, leaderboards, and the
//! integrity checks behind `reputation:verify` and `reputation:rebuild`.
use chrono::{Datelike, Duration, NaiveDate, Utc};
use sea_orm::{
    prelude::DateTimeWithTimeZone, ConnectionTrait, DatabaseBackend, DbErr, FromQueryResult, Value,
};

use super::Kind;
use crate::db::Sql;

/// Rows per page of history and leaderboards.
pub const PER_PAGE: u64 = 30;
/// Deepest page served (OFFSET stays under 15 000 rows).
pub const MAX_PAGES: u64 = 500;

#[derive(Debug, Clone, FromQueryResult)]
struct HistoryRow {
    pub delta: i32,
    pub reason: String,
    pub created_at: DateTimeWithTimeZone,
    pub target_kind: Option<i16>,
    pub vote_kind: Option<i16>,
    pub question_id: Option<i64>,
    pub question_title: Option<String>,
    pub question_slug: Option<String>,
    pub answer_id: Option<i64>,
    pub review_id: Option<i64>,
    pub review_title: Option<String>,
    pub note: Option<String>,
}

/// One row of a reputation history.
#[derive(Debug, Clone, serde::Serialize)]
pub struct HistoryEntry {
    pub delta: i32,
    pub reason: String,
    pub kind: String,
    pub capped: bool,
    pub url: Option<String>,
    pub title: Option<String>,
    pub note: Option<String>,
    pub ts: i64,
}

impl HistoryEntry {
    fn new(row: &HistoryRow) -> Self {
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

/// One page of `user_id`'s ledger, newest first, with the post each row
/// is about (one query: the user's kept `ledger_rows` is the count).
///
/// # Errors
/// On database errors.
pub async fn history(
    db: &impl ConnectionTrait,
    (user_id, ledger_rows): (i64, i64),
    page: u64,
) -> Result<(Vec<HistoryEntry>, u64, u64), DbErr> {
    let backend = db.get_database_backend();
    let pages = u64::try_from(ledger_rows)
        .unwrap_or(0)
        .div_ceil(PER_PAGE)
        .clamp(1, MAX_PAGES);
    let page = page.clamp(1, pages);
    // the post: directly (acceptance rows), or through the vote
    let mut q = Sql::new(
        "SELECT e.id, e.delta, e.reason, e.created_at, e.target_kind, v.target_kind AS vote_kind, \
         COALESCE(q.id, aq.id) AS question_id, COALESCE(q.title, aq.title) AS question_title, \
         COALESCE(q.slug, aq.slug) AS question_slug, a.id AS answer_id, \
         r.id AS review_id, r.title AS review_title, e.note \
         FROM reputation_events e \
         LEFT JOIN votes v ON v.id = e.vote_id \
         LEFT JOIN questions q ON q.id = COALESCE(v.target_id, e.target_id) AND COALESCE(v.target_kind, e.target_kind) = 1 \
         LEFT JOIN answers a ON a.id = COALESCE(v.target_id, e.target_id) AND COALESCE(v.target_kind, e.target_kind) = 2 \
         LEFT JOIN questions aq ON aq.id = a.question_id \
         LEFT JOIN reviews r ON r.id = COALESCE(v.target_id, e.target_id) AND COALESCE(v.target_kind, e.target_kind) = 3 \
         WHERE e.user_id = ? ORDER BY e.id DESC LIMIT ? OFFSET ?",
    );
    q.push_bind(
        "",
        [
            Value::from(user_id),
            Value::from(PER_PAGE as i64),
            Value::from(((page - 1) * PER_PAGE) as i64),
        ],
    );
    let rows = HistoryRow::find_by_statement(q.build(backend))
        .all(db)
        .await?
        .iter()
        .map(HistoryEntry::new)
        .collect();
    Ok((rows, page, pages))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Period {
    #[default]
    All,
    Month,
    Week,
}

impl Period {
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "all" | "" => Some(Self::All),
            "month" => Some(Self::Month),
            "week" => Some(Self::Week),
            _ => None,
        }
    }

    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Month => "month",
            Self::Week => "week",
        }
    }

    /// The first UTC day of the period: the last 7 days for a week, the
    /// calendar month for a month.
    #[must_use]
    pub fn start(self, today: NaiveDate) -> Option<NaiveDate> {
        match self {
            Self::All => None,
            Self::Week => Some(today - Duration::days(6)),
            Self::Month => today.with_day(1),
        }
    }
}

#[derive(Debug, Clone, FromQueryResult)]
pub struct BoardRow {
    pub rank: i64,
    pub id: i64,
    pub username: String,
    pub avatar: Option<String>,
    pub reputation: i64,
    pub points: i64,
    pub total: i64,
}

/// A leaderboard page and the viewer's own row (rank and points), if they
/// are on the board at all.
#[derive(Debug, Clone)]
pub struct Board {
    pub rows: Vec<BoardRow>,
    pub page: u64,
    pub pages: u64,
    pub viewer: Option<BoardRow>,
}

/// The leaderboard: reputation earned in the period (all = total), ties by
/// earlier account. A period board is one query (window functions give the
/// ranks and the size); the all-time board walks the reputation index.
///
/// # Errors
/// On database errors.
pub async fn leaderboard(
    db: &impl ConnectionTrait,
    period: Period,
    page: u64,
    viewer: Option<i64>,
) -> Result<Board, DbErr> {
    let backend = db.get_database_backend();
    let viewer_id = viewer.unwrap_or(-1);
    let page = page.clamp(1, MAX_PAGES);
    let (lo, hi) = ((page - 1) * PER_PAGE, page * PER_PAGE);
    let q = match period.start(Utc::now().date_naive()) {
        Some(from) => {
            let mut q = Sql::new(
                "WITH earned AS (SELECT user_id, CAST(SUM(total) AS BIGINT) AS points FROM reputation_daily \
                 WHERE day >= ? GROUP BY user_id), \
                 ranked AS (SELECT u.id, u.username, u.avatar, u.reputation, e.points, \
                 ROW_NUMBER() OVER (ORDER BY e.points DESC, u.created_at, u.id) AS rank, \
                 COUNT(*) OVER () AS total FROM earned e JOIN users u ON u.id = e.user_id \
                 WHERE e.points > 0 AND u.deleted_at IS NULL) \
                 SELECT rank, id, username, avatar, reputation, points, total FROM ranked \
                 WHERE (rank > ? AND rank <= ?) OR id = ? ORDER BY rank",
            );
            q.push_bind(
                "",
                [
                    Value::from(from),
                    Value::from(lo as i64),
                    Value::from(hi as i64),
                    Value::from(viewer_id),
                ],
            );
            q
        }
        None => {
            let mut q = Sql::new(
                "SELECT CAST(? + ROW_NUMBER() OVER (ORDER BY reputation DESC, created_at, id) AS BIGINT) AS rank, \
                 id, username, avatar, reputation, reputation AS points, \
                 (SELECT value FROM site_counters WHERE name = 'users') AS total \
                 FROM users WHERE deleted_at IS NULL AND email_confirmed_at IS NOT NULL \
                 ORDER BY reputation DESC, created_at, id LIMIT ? OFFSET ?",
            );
            q.push_bind(
                "",
                [
                    Value::from(lo as i64),
                    Value::from(PER_PAGE as i64),
                    Value::from(lo as i64),
                ],
            );
            q
        }
    };
    let mut rows = BoardRow::find_by_statement(q.build(backend))
        .all(db)
        .await?;
    let total = rows.first().map_or(0, |r| r.total);
    let mut viewer_row = rows.iter().find(|r| r.id == viewer_id).cloned();
    rows.retain(|r| (r.rank as u64) > lo && (r.rank as u64) <= hi);
    // always one query for a logged-in viewer, on the page or not: the
    // page's cost must not depend on where the viewer ranks
    if period == Period::All && viewer.is_some() {
        // the viewer's rank: everyone ordered before them, plus one. Two
        // counts, so that each is a range of `users_ranked` (a single count
        // of the OR'd conditions read the whole index)
        let mut v = Sql::new(
            "SELECT CAST(1 + (SELECT COUNT(*) FROM users o WHERE o.deleted_at IS NULL \
             AND o.email_confirmed_at IS NOT NULL AND o.reputation > u.reputation) \
             + (SELECT COUNT(*) FROM users o WHERE o.deleted_at IS NULL \
             AND o.email_confirmed_at IS NOT NULL AND o.reputation = u.reputation \
             AND (o.created_at < u.created_at OR (o.created_at = u.created_at AND o.id < u.id))) AS BIGINT) AS rank, \
             u.id, u.username, u.avatar, u.reputation, u.reputation AS points, CAST(0 AS BIGINT) AS total \
             FROM users u WHERE u.id = ? AND u.deleted_at IS NULL",
        );
        v.push_bind("", [Value::from(viewer_id)]);
        viewer_row = BoardRow::find_by_statement(v.build(backend))
            .one(db)
            .await?;
    }
    let pages = u64::try_from(total)
        .unwrap_or(0)
        .div_ceil(PER_PAGE)
        .clamp(1, MAX_PAGES);
    Ok(Board {
        rows,
        page: page.min(pages),
        pages,
        viewer: viewer_row,
    })
}

/// A user's cached totals that disagree with the ledger.
#[derive(Debug, Clone, FromQueryResult, PartialEq, Eq)]
pub struct Mismatch {
    pub id: i64,
    pub cached: i64,
    pub ledger: i64,
    pub cached_rows: i64,
    pub ledger_rows: i64,
}

/// A post table aliased `p` joined with its counted votes `v` (bind: the
/// kind), keeping the posts whose cached tally is off.
const MISCOUNTED: &str =
    " p LEFT JOIN (SELECT target_id, SUM(CASE WHEN value > 0 THEN 1 ELSE 0 END) AS up, \
    SUM(CASE WHEN value < 0 THEN 1 ELSE 0 END) AS down FROM votes WHERE target_kind = ? GROUP BY target_id) v \
    ON v.target_id = p.id WHERE p.up_count <> COALESCE(v.up, 0) OR p.down_count <> COALESCE(v.down, 0) \
    OR p.score <> p.up_count - p.down_count";

/// Users whose cached reputation is not 1 + the sum of their ledger (or
/// whose kept number of ledger rows is not the number of their rows), and
/// posts whose up/down counts disagree with their votes.
///
/// # Errors
/// On database errors.
pub async fn verify(db: &impl ConnectionTrait) -> Result<(Vec<Mismatch>, Vec<String>), DbErr> {
    let backend = db.get_database_backend();
    let users = Mismatch::find_by_statement(Sql::new(
        "SELECT u.id, u.reputation AS cached, CAST(1 + COALESCE(s.sum, 0) AS BIGINT) AS ledger, \
         u.ledger_rows AS cached_rows, CAST(COALESCE(s.n, 0) AS BIGINT) AS ledger_rows FROM users u \
         LEFT JOIN (SELECT user_id, SUM(delta) AS sum, COUNT(*) AS n FROM reputation_events GROUP BY user_id) s \
         ON s.user_id = u.id \
         WHERE u.reputation <> 1 + COALESCE(s.sum, 0) OR u.ledger_rows <> COALESCE(s.n, 0) ORDER BY u.id",
    ).build(backend))
    .all(db)
    .await?;
    let mut posts = Vec::new();
    for (kind, table) in [(1, "questions"), (2, "answers"), (3, "reviews")] {
        #[derive(FromQueryResult)]
        struct Bad {
            id: i64,
        }
        let mut q = Sql::new("SELECT p.id FROM ");
        q.push(table).push_bind(MISCOUNTED, [Value::from(kind)]);
        for bad in Bad::find_by_statement(q.build(backend)).all(db).await? {
            posts.push(format!("{table} {}", bad.id));
        }
    }
    Ok((users, posts))
}

/// Recomputes every cached total from the ledger and the votes: user
/// reputations, the per-day rollup, post tallies. Returns the users fixed.
///
/// # Errors
/// On database errors.
pub async fn rebuild(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    let backend = db.get_database_backend();
    if backend == DatabaseBackend::Postgres {
        // The recounts below read the votes and the ledger as each
        // statement began, and a row an UPDATE waited for is rewritten from
        // that count: a vote committing meanwhile would be left out of its
        // post's tally. Every writer of a tally, a cached total or a rollup
        // locks or writes the author before them (a vote in its first
        // statement), so holding users exclusively (plain reads go on) waits
        // for those in flight and holds new ones back until the commit.
        // SQLite allows one writer at a time already.
        db.execute_unprepared("LOCK TABLE users IN EXCLUSIVE MODE")
            .await?;
    }
    let fixed = Sql::new(
        "UPDATE users SET reputation = 1 + COALESCE((SELECT SUM(e.delta) FROM reputation_events e \
         WHERE e.user_id = users.id), 0), ledger_rows = (SELECT COUNT(*) FROM reputation_events e \
         WHERE e.user_id = users.id) WHERE reputation <> 1 + COALESCE((SELECT SUM(e.delta) \
         FROM reputation_events e WHERE e.user_id = users.id), 0) OR ledger_rows <> (SELECT COUNT(*) \
         FROM reputation_events e WHERE e.user_id = users.id)",
    )
    .execute(db)
    .await?;
    db.execute_unprepared("DELETE FROM reputation_daily")
        .await?;
    let day = if backend == DatabaseBackend::Postgres {
        "CAST(created_at AT TIME ZONE 'UTC' AS DATE)"
    } else {
        "date(created_at)"
    };
    let mut q =
        Sql::new("INSERT INTO reputation_daily (user_id, day, total, vote_total) SELECT user_id, ");
    q.push(day)
        .push(", SUM(delta), SUM(CASE WHEN source = 'vote' THEN delta ELSE 0 END) FROM reputation_events GROUP BY user_id, ")
        .push(day);
    q.execute(db).await?;
    for (kind, table) in [(1, "questions"), (2, "answers"), (3, "reviews")] {
        // only the posts that are off are written: one pass over the votes
        // instead of two counts per post (47 s → 3 s on a million votes)
        let mut q = Sql::new("UPDATE ");
        q.push(table).push(
            " AS t SET up_count = c.up, down_count = c.down, score = c.up - c.down \
             FROM (SELECT p.id, COALESCE(v.up, 0) AS up, COALESCE(v.down, 0) AS down FROM ",
        );
        q.push(table)
            .push_bind(MISCOUNTED, [Value::from(kind)])
            .push(") AS c WHERE c.id = t.id");
        q.execute(db).await?;
    }
    Ok(fixed)
}
