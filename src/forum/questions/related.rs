//! Questions near one question: the ones closed as its duplicates
//! ("linked") and the ones whose titles share its words ("related"), in
//! at most one query; and the same title search for the ask form.
use std::{
    sync::Arc,
    time::{Duration, Instant},
};

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

/// How many of the newest matching questions are ranked. Ranking every
/// match grew with the data: a common title word matches tens of thousands
/// of questions on the large set, and the signed-in question page fell to
/// 12 req/s. The newest matches are the ones a reader can still use.
const CANDIDATES: i64 = 1_000;

/// Appends the title search: live questions whose titles share a word with
/// `words`, best first among the newest [`CANDIDATES`] matches, at most
/// `limit`, never `except`.
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
             AND q.id >= (SELECT COALESCE(MIN(c.id), 0) FROM (SELECT id FROM questions \
             WHERE search_vector @@ to_tsquery('simple', ?) AND deleted_at IS NULL \
             ORDER BY id DESC LIMIT ?) c) \
             ORDER BY ts_rank(q.search_vector, tsq) DESC, q.id DESC LIMIT ?",
            [
                Value::from(query.clone()),
                Value::from(except),
                Value::from(query),
                Value::from(CANDIDATES),
                Value::from(limit as i64),
            ],
        );
    } else {
        q.push_bind(
            "SELECT q.id, q.slug, q.title, q.answer_count, (q.accepted_answer_id IS NOT NULL) AS solved, \
             0 AS linked FROM questions_fts JOIN questions q ON q.id = questions_fts.rowid \
             WHERE questions_fts MATCH ? AND q.deleted_at IS NULL AND q.id <> ? \
             AND questions_fts.rowid >= (SELECT COALESCE(MIN(c.rowid), 0) FROM (SELECT rowid \
             FROM questions_fts WHERE questions_fts MATCH ? ORDER BY rowid DESC LIMIT ?) c) \
             ORDER BY bm25(questions_fts, 10.0, 4.0, 1.0), q.id DESC LIMIT ?",
            [
                Value::from(query.clone()),
                Value::from(except),
                Value::from(query),
                Value::from(CANDIDATES),
                Value::from(limit as i64),
            ],
        );
    }
}

/// The title matches of recently shown questions, kept a minute: ranking
/// them is the question page's costliest query (the ranking's word
/// statistics read every match of every word, whatever the limit), and a
/// list of similar titles may lag a little. Duplicates ("linked") are
/// never kept: whoever closes a question sees it listed at once.
#[derive(Clone)]
pub struct RelatedCache(Arc<Kept>);

/// How long a kept list is used.
const RELATED_TTL: Duration = Duration::from_secs(60);

/// Per question and title: when the list was found, and the list.
type Kept = quick_cache::sync::Cache<(i64, String), (Instant, Arc<Vec<Near>>)>;

impl RelatedCache {
    /// Room for `questions` lists (a few hundred bytes each).
    #[must_use]
    pub fn new(questions: usize) -> Self {
        Self(Arc::new(Kept::new(questions.max(1))))
    }

    fn get(&self, id: i64, title: &str) -> Option<Arc<Vec<Near>>> {
        let key = (id, title.to_string());
        match self.0.get(&key) {
            Some((born, list)) if born.elapsed() < RELATED_TTL => Some(list),
            Some(_) => {
                self.0.remove(&key);
                None
            }
            None => None,
        }
    }

    fn put(&self, id: i64, title: &str, list: Arc<Vec<Near>>) {
        self.0
            .insert((id, title.to_string()), (Instant::now(), list));
    }
}

/// The questions closed as duplicates of `id`, then those with titles
/// like `title`: at most one query, which finds the duplicates only when
/// `duplicated` says there are some (read with the question) and the
/// title matches only while `cache` does not hold them. So a view of a
/// question without duplicates runs none once its matches are kept.
///
/// # Errors
/// On database errors.
pub async fn near(
    db: &impl ConnectionTrait,
    cache: &RelatedCache,
    id: i64,
    title: &str,
    duplicated: bool,
) -> DbResult<Vec<Near>> {
    let backend = db.get_database_backend();
    let kept = cache.get(id, title);
    let words = search::title_words(title);
    let search = kept.is_none() && !words.is_empty();
    let rows = if duplicated || search {
        let mut q = Sql::default();
        if duplicated {
            q.push("SELECT * FROM (SELECT ").push(COLUMNS).push_bind(
                ", (1 = 1) AS linked FROM questions q WHERE q.duplicate_of = ? \
                 AND q.deleted_at IS NULL ORDER BY q.id DESC LIMIT ?) linked_questions",
                [Value::from(id), Value::from(LINKED as i64)],
            );
        }
        if duplicated && search {
            q.push(" UNION ALL ");
        }
        if search {
            q.push("SELECT * FROM (");
            push_title_search(&mut q, backend, &words, id, RELATED + LINKED);
            q.push(") related_questions");
        }
        Near::find_by_statement(q.build(backend)).all(db).await?
    } else {
        Vec::new()
    };
    let (linked, found): (Vec<Near>, Vec<Near>) = rows.into_iter().partition(|r| r.linked);
    let matches = match kept {
        Some(list) => list,
        None => {
            let list = Arc::new(found);
            cache.put(id, title, Arc::clone(&list));
            list
        }
    };
    // a duplicate is listed as linked, not again as related
    let ids: Vec<i64> = linked.iter().map(|r| r.id).collect();
    let related = matches
        .iter()
        .filter(|r| !ids.contains(&r.id))
        .take(RELATED as usize)
        .cloned();
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
