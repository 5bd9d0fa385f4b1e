//! The question list: sort orders, tag filter, full-text search, pages.
//!
//! One page costs three queries whatever the data size: a capped count (none
//! when the caller knows the total, as a tag page does; the whole list reads
//! the site's kept question count), the rows (joined
//! with their authors) and the tags of those rows. Deep pages are clamped:
//! at most `MAX_PAGES` pages of `PER_PAGE`, so no OFFSET ever exceeds
//! 10 000 rows; a search in relevance order ranks only the newest
//! `SEARCH_CANDIDATES` matches, and keeps the ranking until a question's
//! text changes (`rankings.rs`).
use sea_orm::{
    prelude::DateTimeWithTimeZone, ConnectionTrait, DatabaseBackend, DatabaseConnection,
    DatabaseTransaction, DbErr, FromQueryResult, Statement, TransactionTrait, Value,
};
use serde::Serialize;

use super::rankings::{KeptRankings, RankedId, Ranking};
use crate::{
    counters,
    db::Sql,
    forum::tags::{self, TagLink},
    search::SearchQuery,
    users::Author,
};

pub const PER_PAGE: u64 = 20;
pub const MAX_PAGES: u64 = 500;
/// Counting stops here; pages show "more than 10000 questions".
const COUNT_CAP: u64 = PER_PAGE * MAX_PAGES;
/// A search ranked by relevance ranks the newest this many matches, and
/// counts up to here ("more than 1000 questions"). Ranking every match grew with the data: a
/// common word matches tens of thousands of questions on the large set,
/// and the signed-in search page fell to 8 req/s. A reader refines the
/// words long before page 50.
pub const SEARCH_CANDIDATES: u64 = 1_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Newest,
    Votes,
    Active,
    Unanswered,
}

impl Sort {
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "newest" | "" => Some(Self::Newest),
            "votes" => Some(Self::Votes),
            "active" => Some(Self::Active),
            "unanswered" => Some(Self::Unanswered),
            _ => None,
        }
    }

    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Newest => "newest",
            Self::Votes => "votes",
            Self::Active => "active",
            Self::Unanswered => "unanswered",
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub sort: Sort,
    pub tag: Option<String>,
    pub query: Option<SearchQuery>,
    pub user_id: Option<i64>,
    /// 1-based; clamped to the last page.
    pub page: u64,
    pub per_page: Option<u64>,
    /// First page only, no count (profiles and the home page show the latest
    /// few and link to the full list).
    pub latest_only: bool,
    /// How many questions match, when the caller knows it already (a tag's
    /// count, kept in the same transactions as its questions): no counting.
    pub known_total: Option<u64>,
}

#[derive(Debug, Clone, FromQueryResult)]
struct QuestionRow {
    pub id: i64,
    pub title: String,
    pub slug: String,
    pub excerpt: String,
    pub score: i32,
    pub answer_count: i32,
    pub accepted_answer_id: Option<i64>,
    pub created_at: DateTimeWithTimeZone,
    pub author_name: String,
    pub author_reputation: i64,
    pub author_avatar: Option<String>,
}

/// A question as every list shows it (the forum's lists, the home page,
/// profiles, the admin pages).
#[derive(Debug, Clone, Serialize, Hash)]
pub struct QuestionSummary {
    pub id: i64,
    pub url: String,
    pub title: String,
    pub excerpt: String,
    pub score: i32,
    pub answer_count: i32,
    pub solved: bool,
    pub tags: Vec<TagLink>,
    pub author: Author,
    pub created_ts: i64,
}

impl QuestionSummary {
    fn new(row: QuestionRow, tags: &[String]) -> Self {
        Self {
            url: format!("/questions/{}/{}", row.id, row.slug),
            id: row.id,
            title: row.title,
            excerpt: row.excerpt,
            score: row.score,
            answer_count: row.answer_count,
            solved: row.accepted_answer_id.is_some(),
            tags: TagLink::list(tags),
            author: Author::new(
                &row.author_name,
                row.author_reputation,
                row.author_avatar.as_deref(),
            ),
            created_ts: row.created_at.timestamp(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct ListPage {
    pub rows: Vec<QuestionSummary>,
    /// Matching questions, up to the counting cap.
    pub total: u64,
    /// True when there are more than `total`.
    pub capped: bool,
    pub page: u64,
    pub pages: u64,
}

#[derive(Debug, FromQueryResult)]
struct Count {
    n: i64,
}

/// What every list reads of a question and its author (`q`, `u`).
const ROW_COLUMNS: &str =
    "SELECT q.id, q.title, q.slug, q.excerpt, q.score, q.answer_count, q.accepted_answer_id, \
     q.created_at, u.username AS author_name, \
     u.reputation AS author_reputation, u.avatar AS author_avatar";

/// FROM … WHERE … shared by the count and the rows. Only the rows read
/// their authors: every question has one, and joining them to count up to
/// 10,000 rows was most of a list page's time on the large data set.
fn from_where(sql: &mut Sql, backend: DatabaseBackend, f: &ListFilter, authors: bool) {
    sql.push(" FROM questions q");
    if authors {
        sql.push(" JOIN users u ON u.id = q.user_id");
    }
    if let Some(tag) = &f.tag {
        sql.push_bind(
            " JOIN question_tags qt ON qt.question_id = q.id AND qt.tag_id = (SELECT id FROM tags WHERE name = ?)",
            [Value::from(tag.clone())],
        );
    }
    if let Some(query) = &f.query {
        match backend {
            DatabaseBackend::Postgres => {
                sql.push_bind(
                    " CROSS JOIN websearch_to_tsquery('simple', ?) AS tsq",
                    [Value::from(query.text.clone())],
                );
            }
            _ => {
                sql.push(" JOIN questions_fts ON questions_fts.rowid = q.id");
            }
        }
    }
    sql.push(" WHERE q.deleted_at IS NULL");
    if let Some(query) = &f.query {
        match backend {
            DatabaseBackend::Postgres => sql.push(" AND q.search_vector @@ tsq"),
            _ => sql.push_bind(" AND questions_fts MATCH ?", [Value::from(query.fts5())]),
        };
    }
    if f.sort == Sort::Unanswered {
        sql.push(" AND q.answer_count = 0");
    }
    if let Some(user_id) = f.user_id {
        sql.push_bind(" AND q.user_id = ?", [Value::from(user_id)]);
    }
}

/// The list holds every live question (only its order varies), so the
/// site-wide question counter is its count.
fn every_live_question(f: &ListFilter) -> bool {
    f.tag.is_none() && f.query.is_none() && f.user_id.is_none() && f.sort != Sort::Unanswered
}

/// Whether the rows are ranked by relevance (a search in the default order).
fn ranked(f: &ListFilter) -> bool {
    f.query.is_some() && f.sort == Sort::Newest
}

/// Appends the bound of a ranked search: only the newest
/// [`SEARCH_CANDIDATES`] matches are ranked (read off the index in id order,
/// so the bound costs a thousand index entries, not every match).
fn push_candidates(sql: &mut Sql, backend: DatabaseBackend, query: &SearchQuery) {
    let limit = Value::from(SEARCH_CANDIDATES as i64);
    match backend {
        DatabaseBackend::Postgres => sql.push_bind(
            " AND q.id >= (SELECT COALESCE(MIN(c.id), 0) FROM (SELECT id FROM questions \
             WHERE search_vector @@ websearch_to_tsquery('simple', ?) AND deleted_at IS NULL \
             ORDER BY id DESC LIMIT ?) c)",
            [Value::from(query.text.clone()), limit],
        ),
        _ => sql.push_bind(
            " AND questions_fts.rowid >= (SELECT COALESCE(MIN(c.rowid), 0) FROM (SELECT rowid \
             FROM questions_fts WHERE questions_fts MATCH ? ORDER BY rowid DESC LIMIT ?) c)",
            [Value::from(query.fts5()), limit],
        ),
    };
}

fn order_by(sql: &mut Sql, backend: DatabaseBackend, f: &ListFilter) {
    if ranked(f) {
        // searching ranks by relevance unless another order was asked for
        match backend {
            DatabaseBackend::Postgres => {
                sql.push(" ORDER BY ts_rank(q.search_vector, tsq) DESC, q.id DESC")
            }
            _ => sql.push(" ORDER BY bm25(questions_fts, 10.0, 4.0, 1.0), q.id DESC"),
        };
        return;
    }
    if f.tag.is_some() && matches!(f.sort, Sort::Newest | Sort::Unanswered) {
        // the same order, read off the tag's index (tag_id, question_id)
        // instead of sorting all of the tag's questions
        sql.push(" ORDER BY qt.question_id DESC");
        return;
    }
    sql.push(match f.sort {
        Sort::Newest | Sort::Unanswered => " ORDER BY q.id DESC",
        Sort::Votes => " ORDER BY q.score DESC, q.id DESC",
        Sort::Active => " ORDER BY q.last_activity_at DESC, q.id DESC",
    });
}

/// One page of questions matching `filter`.
///
/// A search in relevance order takes its ranking from `kept` while no
/// question's text has changed since it was ranked (`rankings.rs`).
///
/// A search on PostgreSQL runs in a transaction that plans its statements
/// for the words at hand. The driver prepares each statement once per
/// connection, and after five runs PostgreSQL may keep a generic plan,
/// costed without the words: it guesses a few hundred matches, so it reads
/// every match through the text index and sorts them. For a word in most
/// questions of the large set that took 1.3 s, where the plan for the word
/// itself reads the newest rows until it has enough (12 ms).
///
/// # Errors
/// On database errors.
pub async fn list(
    db: &DatabaseConnection,
    kept: &KeptRankings,
    filter: &ListFilter,
) -> Result<ListPage, DbErr> {
    if let (true, false, Some(query)) = (ranked(filter), filter.latest_only, &filter.query) {
        return ranked_page(db, kept, filter, query).await;
    }
    if filter.query.is_some() {
        if let Some(txn) = custom_plans(db).await? {
            let page = list_in(&txn, filter).await?;
            txn.commit().await?;
            return Ok(page);
        }
    }
    list_in(db, filter).await
}

/// On PostgreSQL, a transaction whose statements are planned for the words
/// at hand (see [`list`]); SQLite plans them so anyway.
async fn custom_plans(db: &DatabaseConnection) -> Result<Option<DatabaseTransaction>, DbErr> {
    if db.get_database_backend() != DatabaseBackend::Postgres {
        return Ok(None);
    }
    let txn = db.begin().await?;
    // as a counted statement, not `execute_unprepared`, which the
    // per-request statement count would not see
    txn.execute_raw(Statement::from_string(
        DatabaseBackend::Postgres,
        "SET LOCAL plan_cache_mode = force_custom_plan",
    ))
    .await?;
    Ok(Some(txn))
}

/// A page of a search in relevance order: the ranking (kept, or ranked
/// now), then the page's rows by id.
async fn ranked_page(
    db: &DatabaseConnection,
    kept: &KeptRankings,
    filter: &ListFilter,
    query: &SearchQuery,
) -> Result<ListPage, DbErr> {
    let rank_now = async || match custom_plans(db).await? {
        Some(txn) => {
            let ranking = rank(&txn, filter, query).await?;
            txn.commit().await?;
            Ok(ranking)
        }
        None => rank(db, filter, query).await,
    };
    let ranking = kept
        .get_or_rank(db, query, filter.tag.as_deref(), filter.user_id, rank_now)
        .await?;
    let per_page = filter.per_page.unwrap_or(PER_PAGE).clamp(1, 100);
    let total = ranking.ids.len() as u64;
    let pages = total.div_ceil(per_page).clamp(1, MAX_PAGES);
    let page = filter.page.clamp(1, pages);
    let ids: Vec<i64> = ranking
        .ids
        .iter()
        .skip(((page - 1) * per_page) as usize)
        .take(per_page as usize)
        .copied()
        .collect();
    let mut rows = Vec::new();
    if !ids.is_empty() {
        let mut q = Sql::new(ROW_COLUMNS);
        q.push(" FROM questions q JOIN users u ON u.id = q.user_id WHERE q.deleted_at IS NULL AND q.id IN ")
            .push_in(ids.iter().map(|id| Value::from(*id)));
        rows = QuestionRow::find_by_statement(q.build(db.get_database_backend()))
            .all(db)
            .await?;
        rows.sort_by_key(|r| ids.iter().position(|id| *id == r.id));
    }
    Ok(ListPage {
        rows: summaries(db, rows).await?,
        total,
        capped: ranking.capped,
        page,
        pages,
    })
}

/// Ranks the newest [`SEARCH_CANDIDATES`] matches of `query` (with the
/// count that tells whether more match).
async fn rank(
    db: &impl ConnectionTrait,
    filter: &ListFilter,
    query: &SearchQuery,
) -> Result<Ranking, DbErr> {
    let backend = db.get_database_backend();
    let counted = count(db, filter, SEARCH_CANDIDATES).await?;
    let mut ids = Sql::new("SELECT q.id");
    from_where(&mut ids, backend, filter, false);
    push_candidates(&mut ids, backend, query);
    order_by(&mut ids, backend, filter);
    ids.push_bind(" LIMIT ?", [Value::from(SEARCH_CANDIDATES as i64)]);
    let ids = RankedId::find_by_statement(ids.build(backend))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect();
    Ok(Ranking {
        ids,
        capped: counted > SEARCH_CANDIDATES,
    })
}

/// How many questions match `filter`, counted up to `cap + 1`.
async fn count(db: &impl ConnectionTrait, filter: &ListFilter, cap: u64) -> Result<u64, DbErr> {
    let backend = db.get_database_backend();
    let mut count = Sql::new("SELECT COUNT(*) AS n FROM (SELECT 1");
    from_where(&mut count, backend, filter, false);
    count.push_bind(" LIMIT ?) capped", [Value::from(cap as i64 + 1)]);
    let n = Count::find_by_statement(count.build(backend))
        .one(db)
        .await?
        .map_or(0, |c| c.n);
    Ok(u64::try_from(n).unwrap_or(0))
}

/// The rows as lists show them, with their tags (one query).
async fn summaries(
    db: &impl ConnectionTrait,
    rows: Vec<QuestionRow>,
) -> Result<Vec<QuestionSummary>, DbErr> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut tag_map = tags::for_questions(db, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let tags = tag_map.remove(&r.id).unwrap_or_default();
            QuestionSummary::new(r, &tags)
        })
        .collect())
}

/// [`list`] on `db` as it is: for lists that never search.
///
/// # Errors
/// On database errors.
pub async fn list_in(db: &impl ConnectionTrait, filter: &ListFilter) -> Result<ListPage, DbErr> {
    let backend = db.get_database_backend();
    let per_page = filter.per_page.unwrap_or(PER_PAGE).clamp(1, 100);

    let cap = if ranked(filter) {
        SEARCH_CANDIDATES
    } else {
        COUNT_CAP
    };
    let counted = if filter.latest_only {
        0
    } else if let Some(known) = filter.known_total {
        known
    } else if every_live_question(filter) {
        // kept by the writes that add, delete or restore a question:
        // counting up to the cap read 10,001 index entries per view
        u64::try_from(counters::value(db, counters::QUESTIONS).await?).unwrap_or(0)
    } else {
        count(db, filter, cap).await?
    };
    let capped = counted > cap;
    let total = counted.min(cap);
    let pages = total.div_ceil(per_page).clamp(1, MAX_PAGES);
    let page = filter.page.clamp(1, pages);

    let mut rows = Sql::new(ROW_COLUMNS);
    from_where(&mut rows, backend, filter, true);
    if let (true, Some(query)) = (ranked(filter), &filter.query) {
        push_candidates(&mut rows, backend, query);
    }
    order_by(&mut rows, backend, filter);
    let offset = (page - 1) * per_page;
    if filter.user_id.is_some() {
        // a user's questions keep their plan only with the page bound:
        // written in, PostgreSQL costs the plan for the user at hand below
        // the one for an average user and plans every view (see `push_page`)
        rows.push_bind(
            " LIMIT ? OFFSET ?",
            [Value::from(per_page as i64), Value::from(offset as i64)],
        );
    } else {
        rows.push_page(per_page, offset);
    }
    let rows = QuestionRow::find_by_statement(rows.build(backend))
        .all(db)
        .await?;
    Ok(ListPage {
        rows: summaries(db, rows).await?,
        total,
        capped,
        page,
        pages,
    })
}
