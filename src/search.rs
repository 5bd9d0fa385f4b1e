//! Full-text search over questions (and, later, reviews): PostgreSQL
//! `tsvector` with a GIN index, SQLite FTS5. The app keeps both in sync on
//! every write that changes the indexed text, in the same transaction.
//!
//! User queries never reach the search syntax raw. PostgreSQL parses them
//! with `websearch_to_tsquery`, which accepts any input; for FTS5 the query
//! is rebuilt from its words and quoted phrases, each one double-quoted, so
//! operators and stray quotes are plain text.
use std::sync::OnceLock;

use regex::Regex;
use sea_orm::{ConnectionTrait, DatabaseBackend, DbErr, Value};

use crate::{counters, db::Sql};

/// Longest query accepted, in characters.
pub const MAX_QUERY: usize = 200;

/// A cleaned user query: at most 200 characters and 12 terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    /// Words and phrases, in order.
    pub terms: Vec<String>,
    /// The text as typed (trimmed), for PostgreSQL and for display.
    pub text: String,
}

fn term_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r#""([^"]*)"|([\p{L}\p{N}_+#]+)"#).expect("static regex"))
}

fn word_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"[\p{L}\p{N}_]+").expect("static regex"))
}

impl SearchQuery {
    /// Parses user input; `None` when nothing searchable remains.
    #[must_use]
    pub fn parse(input: &str) -> Option<Self> {
        let text: String = input.trim().chars().take(MAX_QUERY).collect();
        let mut terms = Vec::new();
        for cap in term_re().captures_iter(&text) {
            let raw = cap.get(1).or_else(|| cap.get(2)).map_or("", |m| m.as_str());
            let words: Vec<&str> = word_re().find_iter(raw).map(|m| m.as_str()).collect();
            if !words.is_empty() {
                terms.push(words.join(" ").to_lowercase());
            }
            if terms.len() == 12 {
                break;
            }
        }
        (!terms.is_empty()).then_some(Self { terms, text })
    }

    /// The FTS5 MATCH expression: every term quoted, all required.
    #[must_use]
    pub fn fts5(&self) -> String {
        self.terms
            .iter()
            .map(|t| format!("\"{}\"", t.replace('"', "")))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Words too common to say two titles are about the same thing.
const STOP_WORDS: &[&str] = &[
    "a",
    "an",
    "and",
    "are",
    "can",
    "does",
    "for",
    "from",
    "get",
    "how",
    "i",
    "in",
    "is",
    "it",
    "my",
    "not",
    "of",
    "on",
    "or",
    "the",
    "to",
    "use",
    "what",
    "when",
    "why",
    "with",
    "you",
    "как",
    "что",
    "для",
    "это",
    "при",
    "или",
    "не",
    "на",
    "в",
    "с",
    "и",
    "почему",
    "где",
];

/// The words of a title that say what it is about: lower-cased, without
/// the commonest words, the longest few.
#[must_use]
pub fn title_words(title: &str) -> Vec<String> {
    let mut words: Vec<String> = word_re()
        .find_iter(title)
        .map(|m| m.as_str().to_lowercase())
        .filter(|w| w.chars().count() > 1 && !STOP_WORDS.contains(&w.as_str()))
        .collect();
    words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    words.dedup();
    words.truncate(6);
    words
}

/// A query matching titles with any of `words` (from [`title_words`]):
/// a `tsquery` restricted to the title's weight on PostgreSQL, an FTS5
/// column filter on SQLite.
#[must_use]
pub fn any_title_word(backend: DatabaseBackend, words: &[String]) -> String {
    match backend {
        DatabaseBackend::Postgres => words
            .iter()
            .map(|w| format!("{w}:A"))
            .collect::<Vec<_>>()
            .join(" | "),
        _ => {
            let any = words
                .iter()
                .map(|w| format!("\"{w}\""))
                .collect::<Vec<_>>()
                .join(" OR ");
            format!("title : ({any})")
        }
    }
}

/// Rebuilds the search document of question `id` (title, body, the bodies
/// of its live answers), or drops it when the question is deleted, and
/// moves [`counters::SEARCH_EDITS`] in the same transaction, so no kept
/// ranking outlives it.
///
/// # Errors
/// On database errors.
pub async fn reindex_question(db: &impl ConnectionTrait, id: i64) -> Result<(), DbErr> {
    match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            Sql::new(
                "UPDATE questions SET search_vector = CASE WHEN deleted_at IS NULL THEN \
                 setweight(to_tsvector('simple', title), 'A') || \
                 setweight(to_tsvector('simple', body), 'B') || \
                 setweight(to_tsvector('simple', coalesce((SELECT string_agg(a.body, ' ') FROM answers a \
                 WHERE a.question_id = questions.id AND a.deleted_at IS NULL), '')), 'C') \
                 ELSE NULL END",
            )
            .push_bind(" WHERE id = ?", [Value::from(id)])
            .execute(db)
            .await?;
        }
        _ => {
            Sql::new("DELETE FROM questions_fts WHERE rowid = ?")
                .push_bind("", [Value::from(id)])
                .execute(db)
                .await?;
            Sql::new(
                "INSERT INTO questions_fts (rowid, title, body, answers) \
                 SELECT q.id, q.title, q.body, coalesce((SELECT group_concat(a.body, ' ') FROM answers a \
                 WHERE a.question_id = q.id AND a.deleted_at IS NULL), '') FROM questions q \
                 WHERE q.id = ? AND q.deleted_at IS NULL",
            )
            .push_bind("", [Value::from(id)])
            .execute(db)
            .await?;
        }
    }
    // after the document: a reader that sees the new count sees it too
    counters::add(db, counters::SEARCH_EDITS, 1).await?;
    Ok(())
}

/// Rebuilds every question's search document (after bulk loads).
///
/// # Errors
/// On database errors.
pub async fn reindex_all_questions(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            db.execute_unprepared(
                "UPDATE questions SET search_vector = \
                 setweight(to_tsvector('simple', title), 'A') || \
                 setweight(to_tsvector('simple', body), 'B') || \
                 setweight(to_tsvector('simple', coalesce(a.bodies, '')), 'C') \
                 FROM (SELECT q.id, (SELECT string_agg(x.body, ' ') FROM answers x \
                 WHERE x.question_id = q.id AND x.deleted_at IS NULL) AS bodies FROM questions q) a \
                 WHERE a.id = questions.id AND questions.deleted_at IS NULL",
            )
            .await?;
        }
        _ => {
            db.execute_unprepared("DELETE FROM questions_fts").await?;
            db.execute_unprepared(
                "INSERT INTO questions_fts (rowid, title, body, answers) \
                 SELECT q.id, q.title, q.body, coalesce((SELECT group_concat(a.body, ' ') FROM answers a \
                 WHERE a.question_id = q.id AND a.deleted_at IS NULL), '') FROM questions q \
                 WHERE q.deleted_at IS NULL",
            )
            .await?;
        }
    }
    // after the document: a reader that sees the new count sees it too
    counters::add(db, counters::SEARCH_EDITS, 1).await?;
    Ok(())
}

/// Rebuilds the search document of review `id` (course name, title, body),
/// or drops it when the review is deleted.
///
/// # Errors
/// On database errors.
pub async fn reindex_review(db: &impl ConnectionTrait, id: i64) -> Result<(), DbErr> {
    match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            Sql::new(
                "UPDATE reviews SET search_vector = CASE WHEN deleted_at IS NULL THEN \
                 setweight(to_tsvector('simple', (SELECT c.name FROM courses c WHERE c.id = reviews.course_id)), 'A') || \
                 setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', body), 'B') \
                 ELSE NULL END",
            )
            .push_bind(" WHERE id = ?", [Value::from(id)])
            .execute(db)
            .await?;
        }
        _ => {
            Sql::new("DELETE FROM reviews_fts WHERE rowid = ?")
                .push_bind("", [Value::from(id)])
                .execute(db)
                .await?;
            Sql::new(
                "INSERT INTO reviews_fts (rowid, course, title, body) SELECT r.id, c.name, r.title, r.body \
                 FROM reviews r JOIN courses c ON c.id = r.course_id WHERE r.id = ? AND r.deleted_at IS NULL",
            )
            .push_bind("", [Value::from(id)])
            .execute(db)
            .await?;
        }
    }
    Ok(())
}

/// Rebuilds every review's search document (after bulk loads).
///
/// # Errors
/// On database errors.
pub async fn reindex_all_reviews(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            db.execute_unprepared(
                "UPDATE reviews SET search_vector = setweight(to_tsvector('simple', c.name), 'A') || \
                 setweight(to_tsvector('simple', reviews.title), 'A') || \
                 setweight(to_tsvector('simple', reviews.body), 'B') FROM courses c \
                 WHERE c.id = reviews.course_id AND reviews.deleted_at IS NULL",
            )
            .await?;
        }
        _ => {
            db.execute_unprepared("DELETE FROM reviews_fts").await?;
            db.execute_unprepared(
                "INSERT INTO reviews_fts (rowid, course, title, body) SELECT r.id, c.name, r.title, r.body \
                 FROM reviews r JOIN courses c ON c.id = r.course_id WHERE r.deleted_at IS NULL",
            )
            .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_become_quoted_terms() {
        let q = SearchQuery::parse(r#"rust "async await" OR -tokio NEAR(a b)"#).unwrap();
        assert_eq!(
            q.terms,
            ["rust", "async await", "or", "tokio", "near", "a", "b"]
        );
        assert_eq!(
            q.fts5(),
            r#""rust" "async await" "or" "tokio" "near" "a" "b""#
        );
    }

    #[test]
    fn hostile_input_is_harmless_or_empty() {
        assert_eq!(
            SearchQuery::parse(r#"' OR 1=1 --"#).unwrap().fts5(),
            r#""or" "1" "1""#
        );
        assert!(SearchQuery::parse(r#"""*^:()"#).is_none());
        assert!(SearchQuery::parse("   ").is_none());
        assert_eq!(
            SearchQuery::parse("C++ и C#").unwrap().terms,
            ["c", "и", "c"]
        );
        let long = "word ".repeat(500);
        let q = SearchQuery::parse(&long).unwrap();
        assert!(q.text.chars().count() <= MAX_QUERY && q.terms.len() <= 12);
    }
}
