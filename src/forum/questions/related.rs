//! Questions near one question: the ones closed as its duplicates
//! ("linked") and the ones whose titles share its words ("related"), in
//! one query; and the same title search for the ask form.
use sea_orm::{ConnectionTrait, DatabaseBackend, FromQueryResult, Value};
use serde::Serialize;

use crate::{
    db::{DbResult, Sql},
    search,
};

/// Related questions shown on a question page.
pub const RELATED: u64 = 5;
/// Linked (duplicate) questions shown on a question page.
pub const LINKED: u64 = 10;

/// A question in a short list.
#[derive(Debug, Clone, FromQueryResult, Serialize)]
pub struct Near {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub answer_count: i32,
    pub solved: bool,
    /// A duplicate of the question (not just a similar title).
    pub linked: bool,
}

impl Near {
    #[must_use]
    pub fn url(&self) -> String {
        format!("/questions/{}/{}", self.id, self.slug)
    }
}

const COLUMNS: &str =
    "q.id, q.slug, q.title, q.answer_count, (q.accepted_answer_id IS NOT NULL) AS solved";

/// Appends the title search: live questions whose titles share a word with
/// `words`, best first, at most `limit`, never `except`.
fn push_title_search(
    q: &mut Sql,
    backend: DatabaseBackend,
    words: &[String],
    except: i64,
    limit: u64,
) {
    let query = search::any_title_word(backend, words);
    if backend == DatabaseBackend::Postgres {
        q.push_bind(
            "SELECT q.id, q.slug, q.title, q.answer_count, (q.accepted_answer_id IS NOT NULL) AS solved, \
             FALSE AS linked FROM questions q CROSS JOIN to_tsquery('simple', ?) AS tsq \
             WHERE q.search_vector @@ tsq AND q.deleted_at IS NULL AND q.id <> ? \
             ORDER BY ts_rank(q.search_vector, tsq) DESC, q.id DESC LIMIT ?",
            [Value::from(query), Value::from(except), Value::from(limit as i64)],
        );
    } else {
        q.push_bind(
            "SELECT q.id, q.slug, q.title, q.answer_count, (q.accepted_answer_id IS NOT NULL) AS solved, \
             0 AS linked FROM questions_fts JOIN questions q ON q.id = questions_fts.rowid \
             WHERE questions_fts MATCH ? AND q.deleted_at IS NULL AND q.id <> ? \
             ORDER BY bm25(questions_fts, 10.0, 4.0, 1.0), q.id DESC LIMIT ?",
            [Value::from(query), Value::from(except), Value::from(limit as i64)],
        );
    }
}

/// The questions closed as duplicates of `id`, then those with titles
/// like `title` (one query).
///
/// # Errors
/// On database errors.
pub async fn near(db: &impl ConnectionTrait, id: i64, title: &str) -> DbResult<Vec<Near>> {
    let backend = db.get_database_backend();
    let words = search::title_words(title);
    let mut q = Sql::new("SELECT * FROM (SELECT ");
    q.push(COLUMNS);
    q.push_bind(
        ", (1 = 1) AS linked FROM questions q WHERE q.duplicate_of = ? AND q.deleted_at IS NULL \
         ORDER BY q.id DESC LIMIT ?) linked_questions",
        [Value::from(id), Value::from(LINKED as i64)],
    );
    if !words.is_empty() {
        q.push(" UNION ALL SELECT * FROM (");
        push_title_search(&mut q, backend, &words, id, RELATED + LINKED);
        q.push(") related_questions");
    }
    let rows = Near::find_by_statement(q.build(backend)).all(db).await?;
    // a duplicate is listed as linked, not again as related
    let (linked, others): (Vec<Near>, Vec<Near>) = rows.into_iter().partition(|r| r.linked);
    let ids: Vec<i64> = linked.iter().map(|r| r.id).collect();
    let related = others
        .into_iter()
        .filter(|r| !ids.contains(&r.id))
        .take(RELATED as usize);
    Ok(linked.into_iter().chain(related).collect())
}

/// Live questions whose titles share words with `title` (the ask form's
/// "similar questions").
///
/// # Errors
/// On database errors.
pub async fn similar(db: &impl ConnectionTrait, title: &str, limit: u64) -> DbResult<Vec<Near>> {
    let words = search::title_words(title);
    if words.is_empty() {
        return Ok(Vec::new());
    }
    let backend = db.get_database_backend();
    let mut q = Sql::default();
    push_title_search(&mut q, backend, &words, 0, limit);
    Near::find_by_statement(q.build(backend)).all(db).await
}
