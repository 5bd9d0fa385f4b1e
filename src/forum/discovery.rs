//! What search engines and feed readers read: Atom feeds of questions (all,
//! per tag) and of one question's answers, and the sitemap's rows. Each is
//! one query; deleted posts never appear.
use std::fmt::Write as _;

use sea_orm::{prelude::DateTimeWithTimeZone, ConnectionTrait, FromQueryResult, Value};

use crate::db::{DbResult, Sql};

/// Entries in a feed.
pub const FEED_ENTRIES: u64 = 30;
/// Questions in one sitemap file: the protocol allows 50,000 URLs, and the
/// first file also lists the [`LIST_PAGES`].
pub const SITEMAP_URLS: u64 = 49_990;
/// The lists a sitemap names besides the questions.
pub const LIST_PAGES: [&str; 5] = ["/", "/questions", "/tags", "/reviews", "/courses"];

#[derive(Debug, Clone, FromQueryResult)]
pub struct FeedRow {
    pub id: i64,
    pub title: String,
    pub slug: String,
    pub html: String,
    pub author: String,
    pub created_at: DateTimeWithTimeZone,
    pub updated_at: DateTimeWithTimeZone,
}

/// The newest questions, of `tag` when given.
///
/// # Errors
/// On database errors.
pub async fn newest_questions(
    db: &impl ConnectionTrait,
    tag: Option<&str>,
) -> DbResult<Vec<FeedRow>> {
    let mut q = Sql::new(
        "SELECT q.id, q.title, q.slug, q.body_html AS html, u.username AS author, q.created_at, \
         COALESCE(q.edited_at, q.created_at) AS updated_at FROM questions q \
         JOIN users u ON u.id = q.user_id WHERE q.deleted_at IS NULL",
    );
    if let Some(tag) = tag {
        q.push_bind(
            " AND q.id IN (SELECT qt.question_id FROM question_tags qt JOIN tags t \
             ON t.id = qt.tag_id WHERE t.name = ?)",
            [Value::from(tag.to_string())],
        );
    }
    q.push_bind(
        " ORDER BY q.id DESC LIMIT ?",
        [Value::from(FEED_ENTRIES as i64)],
    );
    FeedRow::find_by_statement(q.build(db.get_database_backend()))
        .all(db)
        .await
}

/// The newest answers of question `id` (the title and slug are the
/// question's).
///
/// # Errors
/// On database errors.
pub async fn answers(db: &impl ConnectionTrait, question_id: i64) -> DbResult<Vec<FeedRow>> {
    let mut q = Sql::new(
        "SELECT a.id, q.title, q.slug, a.body_html AS html, u.username AS author, a.created_at, \
         COALESCE(a.edited_at, a.created_at) AS updated_at FROM answers a \
         JOIN questions q ON q.id = a.question_id JOIN users u ON u.id = a.user_id \
         WHERE a.deleted_at IS NULL AND a.question_id = ?",
    );
    q.push_bind("", [Value::from(question_id)]);
    q.push_bind(
        " ORDER BY a.id DESC LIMIT ?",
        [Value::from(FEED_ENTRIES as i64)],
    );
    FeedRow::find_by_statement(q.build(db.get_database_backend()))
        .all(db)
        .await
}

#[derive(Debug, Clone, FromQueryResult)]
pub struct SitemapRow {
    pub id: i64,
    pub slug: String,
    pub last_activity_at: DateTimeWithTimeZone,
}

/// One file of the sitemap index: its number and newest activity.
#[derive(Debug, Clone, FromQueryResult)]
pub struct SitemapFile {
    pub n: i64,
    pub lastmod: DateTimeWithTimeZone,
}

/// The sitemap files that hold public questions. File `n` holds the ids in
/// `((n-1)·K, n·K]` (K = [`SITEMAP_URLS`]): a question stays in its file as
/// others come and go, and a file is one range scan of the primary key.
///
/// # Errors
/// On database errors.
pub async fn sitemap_files(db: &impl ConnectionTrait) -> DbResult<Vec<SitemapFile>> {
    let mut q = Sql::new("");
    q.push_bind(
        "SELECT (id - 1) / ? + 1 AS n, MAX(last_activity_at) AS lastmod FROM questions \
         WHERE deleted_at IS NULL GROUP BY 1 ORDER BY 1",
        [Value::from(SITEMAP_URLS as i64)],
    );
    SitemapFile::find_by_statement(q.build(db.get_database_backend()))
        .all(db)
        .await
}

/// The public questions of sitemap file `n` (from 1), in id order.
///
/// # Errors
/// On database errors.
pub async fn sitemap_page(db: &impl ConnectionTrait, n: u64) -> DbResult<Vec<SitemapRow>> {
    let first = i64::try_from(n.saturating_sub(1).saturating_mul(SITEMAP_URLS)).unwrap_or(i64::MAX);
    let mut q = Sql::new("");
    q.push_bind(
        "SELECT id, slug, last_activity_at FROM questions WHERE deleted_at IS NULL \
         AND id > ? AND id <= ? ORDER BY id",
        [
            Value::from(first),
            Value::from(first.saturating_add(SITEMAP_URLS as i64)),
        ],
    );
    SitemapRow::find_by_statement(q.build(db.get_database_backend()))
        .all(db)
        .await
}

/// Escapes text for XML content and attribute values.
#[must_use]
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // characters XML 1.0 forbids (C0 controls but tab and newlines,
            // and the two non-characters U+FFFE and U+FFFF)
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// One Atom entry.
pub struct AtomEntry<'a> {
    pub id: String,
    pub title: &'a str,
    pub link: String,
    pub author: &'a str,
    pub published: DateTimeWithTimeZone,
    pub updated: DateTimeWithTimeZone,
    pub html: &'a str,
}

/// An Atom 1.0 document: `self_url` is the feed's own address, `page_url`
/// the page it follows.
#[must_use]
pub fn atom(title: &str, self_url: &str, page_url: &str, entries: &[AtomEntry<'_>]) -> String {
    let updated = entries
        .iter()
        .map(|e| e.updated)
        .max()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |t| t.to_rfc3339());
    let mut xml = String::with_capacity(4096 + entries.len() * 2048);
    let _ = write!(
        xml,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <feed xmlns=\"http://www.w3.org/2005/Atom\">\n\
         <id>{id}</id>\n<title>{title}</title>\n<updated>{updated}</updated>\n\
         <link rel=\"self\" type=\"application/atom+xml\" href=\"{id}\"/>\n\
         <link rel=\"alternate\" type=\"text/html\" href=\"{page}\"/>\n",
        id = xml_escape(self_url),
        title = xml_escape(title),
        page = xml_escape(page_url),
    );
    for e in entries {
        let _ = write!(
            xml,
            "<entry>\n<id>{id}</id>\n<title>{title}</title>\n\
             <link rel=\"alternate\" type=\"text/html\" href=\"{link}\"/>\n\
             <author><name>{author}</name></author>\n\
             <published>{published}</published>\n<updated>{updated}</updated>\n\
             <content type=\"html\">{html}</content>\n</entry>\n",
            id = xml_escape(&e.id),
            title = xml_escape(e.title),
            link = xml_escape(&e.link),
            author = xml_escape(e.author),
            published = e.published.to_rfc3339(),
            updated = e.updated.to_rfc3339(),
            html = xml_escape(e.html),
        );
    }
    xml.push_str("</feed>\n");
    xml
}

#[cfg(test)]
mod tests {
    use super::xml_escape;

    #[test]
    fn escapes_markup_and_drops_forbidden_controls() {
        assert_eq!(
            xml_escape("a<b>&\"c'\u{1}\n"),
            "a&lt;b&gt;&amp;&quot;c&apos;\n"
        );
    }
}
