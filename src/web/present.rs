//! Presentation pieces pages of several modules share: pagination, links
//! that keep a list's filters, the vote widget.
use chrono::Utc;
use loco_rs::prelude::TeraView;
use serde::Serialize;

use crate::{
    forum::QuestionSummary,
    i18n::{self, Lang},
    web::{error::Result, Page},
};

/// The vote widget's state for one post.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct VoteView {
    pub action: String,
    pub score: i32,
    pub up: i32,
    pub down: i32,
    /// "up", "down" or "" for the viewer's own vote.
    pub mine: String,
    /// False for the author's own post, deleted or locked posts, anonymous.
    pub can_vote: bool,
}

/// Percent-encodes a query or path value.
#[must_use]
pub fn encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// Builds list URLs that keep the current filters: `base` plus the
/// non-empty `(name, value)` pairs, values encoded.
#[must_use]
pub fn url_with(base: &str, params: &[(&str, &str)]) -> String {
    let query: Vec<String> = params
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    if query.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", query.join("&"))
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PageLink {
    pub number: u64,
    pub url: String,
    pub current: bool,
}

/// Pagination: neighbours of the current page plus first and last, with
/// gaps shown as `None`.
#[derive(Debug, Clone, Serialize)]
pub struct Pager {
    pub page: u64,
    pub pages: u64,
    pub prev_url: Option<String>,
    pub next_url: Option<String>,
    pub links: Vec<Option<PageLink>>,
}

impl Pager {
    /// `make_url(n)` gives the URL of page `n`.
    #[must_use]
    pub fn new(page: u64, pages: u64, make_url: impl Fn(u64) -> String) -> Self {
        let mut numbers: Vec<u64> = vec![1, pages];
        for n in page.saturating_sub(2)..=page + 2 {
            if n >= 1 && n <= pages {
                numbers.push(n);
            }
        }
        numbers.sort_unstable();
        numbers.dedup();
        let mut links = Vec::new();
        let mut last = 0;
        for n in numbers {
            if n > last + 1 {
                links.push(None);
            }
            links.push(Some(PageLink {
                number: n,
                url: make_url(n),
                current: n == page,
            }));
            last = n;
        }
        Self {
            page,
            pages,
            prev_url: (page > 1).then(|| make_url(page - 1)),
            next_url: (page < pages).then(|| make_url(page + 1)),
            links,
        }
    }
}

/// Parses a `page` query value: anything that is not a positive number is
/// page 1, and huge numbers are clamped later to the last page.
#[must_use]
pub fn parse_page(raw: Option<&str>) -> u64 {
    raw.and_then(|p| p.trim().parse::<u64>().ok())
        .filter(|p| *p > 0)
        .unwrap_or(1)
        .min(1_000_000)
}

/// What `questions/row.html` reads.
#[derive(Serialize, Hash)]
struct RowFragment<'a> {
    q: &'a QuestionSummary,
    lang: Lang,
    /// The heading level of its title.
    level: u8,
}

/// Each question of a list as kept HTML (`questions/row.html`, see
/// `web::fragments`): a row holds nothing personal, so all viewers of the
/// lists that show it share it.
///
/// # Errors
/// When the template fails to render.
pub fn question_rows(
    v: &TeraView,
    page: &Page,
    rows: &[QuestionSummary],
    level: u8,
) -> Result<Vec<String>> {
    let now = Utc::now();
    rows.iter()
        .map(|q| {
            let row = RowFragment {
                q,
                lang: page.lang(),
                level,
            };
            page.fragment(
                v,
                "questions/row.html",
                &row,
                &i18n::ago_span(q.created_ts, now),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pager_shows_neighbours_and_gaps() {
        let p = Pager::new(10, 20, |n| format!("/q?page={n}"));
        let numbers: Vec<Option<u64>> = p
            .links
            .iter()
            .map(|l| l.as_ref().map(|l| l.number))
            .collect();
        assert_eq!(
            numbers,
            [
                Some(1),
                None,
                Some(8),
                Some(9),
                Some(10),
                Some(11),
                Some(12),
                None,
                Some(20)
            ]
        );
        assert_eq!(p.prev_url.as_deref(), Some("/q?page=9"));
        let single = Pager::new(1, 1, |n| n.to_string());
        assert!(single.prev_url.is_none() && single.next_url.is_none());
    }

    #[test]
    fn pages_parse_leniently() {
        assert_eq!(parse_page(Some("3")), 3);
        for bad in ["-1", "0", "abc", "99999999999999999999999", ""] {
            assert!(parse_page(Some(bad)) <= 1_000_000, "{bad}");
        }
        assert_eq!(parse_page(Some("-1")), 1);
        assert_eq!(
            url_with("/questions", &[("q", "a b&c"), ("tag", "")]),
            "/questions?q=a+b%26c"
        );
    }
}
