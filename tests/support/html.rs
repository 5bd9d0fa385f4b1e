//! Reading pages: CSS selection and snapshot-friendly extracts.
use scraper::{Html, Selector};

/// Text of every element matching `css`, whitespace-collapsed.
pub fn texts(html: &str, css: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    let sel = Selector::parse(css).expect("valid selector");
    doc.select(&sel)
        .map(|e| {
            e.text()
                .collect::<Vec<_>>()
                .join(" ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// Text of the first match, or "".
pub fn text(html: &str, css: &str) -> String {
    texts(html, css).into_iter().next().unwrap_or_default()
}

/// Number of elements matching `css`.
pub fn count(html: &str, css: &str) -> usize {
    let doc = Html::parse_document(html);
    let sel = Selector::parse(css).expect("valid selector");
    doc.select(&sel).count()
}

/// Value of `attr` on the first match.
pub fn attr(html: &str, css: &str, attr: &str) -> Option<String> {
    let doc = Html::parse_document(html);
    let sel = Selector::parse(css).expect("valid selector");
    doc.select(&sel)
        .next()
        .and_then(|e| e.value().attr(attr).map(str::to_string))
}

/// The `<main>` of a page with volatile parts (tokens, asset versions,
/// relative times) replaced, for snapshots.
pub fn main_for_snapshot(html: &str) -> String {
    let doc = Html::parse_document(html);
    let sel = Selector::parse("main").unwrap();
    let main = doc
        .select(&sel)
        .next()
        .map(|e| e.html())
        .unwrap_or_default();
    redact(&main)
}

/// Replaces values that change from run to run.
pub fn redact(html: &str) -> String {
    let rules: &[(&str, &str)] = &[
        (
            r#"name="csrf_token" value="[^"]+""#,
            r#"name="csrf_token" value="[csrf]""#,
        ),
        (r"\?v=[0-9a-f]{10}", "?v=[asset]"),
        (r"/avatars/[0-9a-f]{32}\.png", "/avatars/[avatar].png"),
        (r"\d{4}-\d{2}-\d{2}", "[date]"),
        (r#"datetime="[^"]+""#, r#"datetime="[time]""#),
        (
            r"(?i)\d+ (minutes?|hours?|days?|months?|years?) ago|just now",
            "[ago]",
        ),
        (
            r"(только что|\d+ (минут[уы]?|час(а|ов)?|д(ень|ня|ней)|месяц(а|ев)?|год(а)?|лет) назад)",
            "[назад]",
        ),
    ];
    let mut out = html.to_string();
    for (pattern, replacement) in rules {
        out = regex::Regex::new(pattern)
            .unwrap()
            .replace_all(&out, *replacement)
            .into_owned();
    }
    out
}
