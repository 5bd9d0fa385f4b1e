//! Raw HTML in a post is shown as the author typed it, not silently
//! dropped: "See `<script>` and" stays readable even without backticks.
//! A few bare inline tags (`<kbd>`, `<sup>`, `<sub>`, `<br>`) still render,
//! since writers use them on purpose; anything else, and any tag with
//! attributes, becomes escaped text. ammonia still cleans the result.
use std::sync::OnceLock;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use regex::Regex;

/// Tags that render when written bare (no attributes).
pub const ALLOWED: [&str; 4] = ["kbd", "sup", "sub", "br"];

fn bare_tag() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(?i)<(/?)([a-z]+)\s*/?>").expect("static regex"))
}

/// Splits one raw HTML fragment into allowed tags (kept as HTML) and the
/// rest (text, escaped when written out).
fn split(raw: &str, out: &mut Vec<Event<'_>>) {
    let mut rest = 0;
    for m in bare_tag().captures_iter(raw) {
        let whole = m.get(0).expect("match");
        let name = m[2].to_ascii_lowercase();
        if !ALLOWED.contains(&name.as_str()) || (name == "br" && &m[1] == "/") {
            continue;
        }
        if whole.start() > rest {
            out.push(Event::Text(CowStr::from(
                raw[rest..whole.start()].to_string(),
            )));
        }
        let tag = if name == "br" {
            "<br>".to_string()
        } else {
            format!("<{}{name}>", &m[1])
        };
        out.push(Event::InlineHtml(CowStr::from(tag)));
        rest = whole.end();
    }
    if rest < raw.len() {
        out.push(Event::Text(CowStr::from(raw[rest..].to_string())));
    }
}

/// The events with raw HTML turned into text. An HTML block becomes a
/// paragraph whose lines stay lines.
pub fn as_text<'a>(events: impl Iterator<Item = Event<'a>>) -> Vec<Event<'a>> {
    let mut out: Vec<Event<'a>> = Vec::new();
    let mut in_block = false;
    for event in events {
        match event {
            Event::Start(Tag::HtmlBlock) => {
                in_block = true;
                out.push(Event::Start(Tag::Paragraph));
            }
            Event::End(TagEnd::HtmlBlock) => {
                in_block = false;
                if matches!(out.last(), Some(Event::HardBreak)) {
                    out.pop();
                }
                out.push(Event::End(TagEnd::Paragraph));
            }
            Event::Html(raw) if in_block => {
                let line = raw.strip_suffix('\n').unwrap_or(&raw);
                split(line, &mut out);
                out.push(Event::HardBreak);
            }
            Event::Html(raw) | Event::InlineHtml(raw) => split(&raw, &mut out),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::render;

    #[test]
    fn disallowed_html_is_shown_as_text() {
        let html = render("See <script>alert(1)</script> and <b onclick=x>bold</b>.").unwrap();
        assert!(
            html.contains("See &lt;script&gt;alert(1)&lt;/script&gt; and"),
            "{html}"
        );
        assert!(html.contains("&lt;b onclick=x&gt;bold&lt;/b&gt;"), "{html}");
        assert!(!html.contains("<script") && !html.contains("<b "), "{html}");
    }

    #[test]
    fn a_short_allow_list_renders() {
        let html =
            render("Press <kbd>Ctrl</kbd>+<kbd>C</kbd>, x<sup>2</sup>, H<sub>2</sub>O<br>next")
                .unwrap();
        assert!(html.contains("<kbd>Ctrl</kbd>+<kbd>C</kbd>"), "{html}");
        assert!(
            html.contains("x<sup>2</sup>") && html.contains("H<sub>2</sub>O"),
            "{html}"
        );
        assert!(html.contains("<br>"), "{html}");
        let html = render(r#"<kbd class="btn">x</kbd>"#).unwrap();
        assert!(
            html.contains("&lt;kbd class=") && !html.contains("<kbd"),
            "{html}"
        );
    }

    #[test]
    fn html_blocks_become_paragraphs_of_text() {
        let html = render("<div>\n<p>hello</p>\n</div>\n\nafter").unwrap();
        assert!(html.starts_with("<p>&lt;div&gt;<br>"), "{html}");
        assert!(
            html.contains("&lt;/p&gt;<br>\n&lt;/div&gt;</p>")
                || html.contains("&lt;/p&gt;<br>&lt;/div&gt;</p>"),
            "{html}"
        );
        assert!(html.contains("<p>after</p>"), "{html}");
    }
}
