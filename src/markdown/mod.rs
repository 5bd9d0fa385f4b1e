//! Markdown to safe HTML: pulldown-cmark renders, ammonia sanitizes.
//!
//! Rendering happens once, when a post is saved; pages print the stored
//! HTML. Nesting is capped before sanitizing because html5ever's tree
//! builder is quadratic in nesting depth: 20 000 nested blockquotes would
//! otherwise pin a core for seconds.
use std::{collections::HashSet, sync::OnceLock};

mod highlight;
mod inline;
mod mentions;
mod raw_html;

pub use inline::{candidates as inline_mention_candidates, render_inline, INLINE_HELP};
pub use mentions::{Mentions, MAX_MENTIONS};

use ammonia::Builder;
use pulldown_cmark::{html, Event, Options, Parser, Tag};
use regex::Regex;

/// Deepest nesting accepted (markdown containers plus raw HTML elements).
pub const MAX_DEPTH: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkdownError {
    TooDeep,
}

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

fn sanitizer() -> &'static Builder<'static> {
    static BUILDER: OnceLock<Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = Builder::default();
        b.url_schemes(HashSet::from(["http", "https", "mailto"]))
            .link_rel(Some("nofollow ugc noopener noreferrer"))
            .add_tag_attributes("code", &["class"])
            .add_tag_attributes("span", &["class"])
            // fenced code keeps `language-xyz` for highlighting; any other
            // class (UI spoofing with `btn btn-danger`…) is dropped
            .attribute_filter(|element, attribute, value| {
                if attribute == "class" {
                    let kept = match element {
                        "code" => language_class().is_match(value),
                        "span" => highlight::is_token_class(value),
                        _ => false,
                    };
                    return kept.then(|| value.into());
                }
                Some(value.into())
            });
        b
    })
}

fn language_class() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^language-[A-Za-z0-9_+#.-]{1,24}$").expect("static regex"))
}

fn html_tag() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^<>]*?(/?)>").expect("static regex")
    })
}

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// Deepest nesting of `source`: markdown containers plus raw HTML elements
/// (an over-estimate for raw HTML, which is what a cap needs).
fn depth(source: &str) -> usize {
    let mut md = 0usize;
    let mut html = 0usize;
    let mut max = 0usize;
    for event in Parser::new_ext(source, options()) {
        match event {
            Event::Start(
                Tag::BlockQuote(_) | Tag::List(_) | Tag::Item | Tag::FootnoteDefinition(_),
            ) => {
                md += 1;
            }
            Event::End(
                pulldown_cmark::TagEnd::BlockQuote(_)
                | pulldown_cmark::TagEnd::List(_)
                | pulldown_cmark::TagEnd::Item
                | pulldown_cmark::TagEnd::FootnoteDefinition,
            ) => md = md.saturating_sub(1),
            Event::Html(raw) | Event::InlineHtml(raw) => {
                for cap in html_tag().captures_iter(&raw) {
                    let name = cap[2].to_ascii_lowercase();
                    // only the allowed tags become elements; the rest is
                    // shown as text and nests nothing (`Vec<Vec<T>>`)
                    if !raw_html::ALLOWED.contains(&name.as_str()) {
                        continue;
                    }
                    if &cap[1] == "/" {
                        html = html.saturating_sub(1);
                    } else if &cap[3] != "/" && !VOID.contains(&name.as_str()) {
                        html += 1;
                    }
                    max = max.max(md + html);
                }
            }
            _ => {}
        }
        max = max.max(md + html);
        if max > MAX_DEPTH {
            break;
        }
    }
    max
}

/// Renders `source` to sanitized HTML.
///
/// # Errors
/// `TooDeep` when nesting exceeds [`MAX_DEPTH`].
pub fn render(source: &str) -> Result<String, MarkdownError> {
    render_with(source, &Mentions::none())
}

/// Renders `source` with the known `mentions` linked to their profiles.
///
/// # Errors
/// `TooDeep` when nesting exceeds [`MAX_DEPTH`].
pub fn render_with(source: &str, mentions: &Mentions) -> Result<String, MarkdownError> {
    if depth(source) > MAX_DEPTH {
        return Err(MarkdownError::TooDeep);
    }
    let mut raw = String::with_capacity(source.len() * 2);
    let events = Parser::new_ext(source, options());
    let events = if mentions.is_empty() {
        raw_html::as_text(events)
    } else {
        raw_html::as_text(mentions::link(events, mentions).into_iter())
    };
    html::push_html(&mut raw, highlight::code_blocks(events).into_iter());
    Ok(sanitizer().clean(&raw).to_string())
}

/// The user names `source` mentions with `@name` (lower-cased, outside
/// code and links, at most [`MAX_MENTIONS`]), for one lookup.
#[must_use]
pub fn mention_candidates(source: &str) -> Vec<String> {
    mentions::candidates(Parser::new_ext(source, options()))
}

/// Plain text of rendered HTML (for excerpts): tags dropped, entities kept
/// readable. Inline elements vanish without a trace ("`useEffect`." reads
/// "useEffect."); block elements and line breaks separate words.
#[must_use]
pub fn plain_text(html: &str) -> String {
    const INLINE: [&str; 14] = [
        "a", "b", "code", "del", "em", "i", "kbd", "s", "span", "strong", "sub", "sup", "u", "mark",
    ];
    const ENTITIES: [(&str, char); 5] = [
        ("&lt;", '<'),
        ("&gt;", '>'),
        ("&quot;", '"'),
        ("&#39;", '\''),
        ("&amp;", '&'),
    ];
    // one pass, no regex: excerpts and structured data call this per post
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(['<', '&']) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        if rest.starts_with('&') {
            match ENTITIES.iter().find(|(e, _)| rest.starts_with(e)) {
                Some((e, c)) => {
                    out.push(*c);
                    rest = &rest[e.len()..];
                }
                None => {
                    out.push('&');
                    rest = &rest[1..];
                }
            }
            continue;
        }
        let Some(close) = rest.find('>') else {
            break;
        };
        let name: String = rest[1..close]
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if !INLINE.contains(&name.as_str()) {
            out.push(' ');
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;

    #[test]
    fn plain_text_reads_as_the_text_reads() {
        let html = render("Call `useEffect`. If **bold**, then *this*.\n\n- one\n- two").unwrap();
        let text = crate::text::excerpt(&plain_text(&html), 300);
        assert_eq!(text, "Call useEffect. If bold, then this. one two");
    }

    #[test]
    fn markdown_renders_with_code_language() {
        let html = render("# Title\n\n```rust\nfn main() {}\n```\n\n*em* and `code`").unwrap();
        assert!(html.contains("<h1>Title</h1>"));
        assert!(html.contains(r#"<code class="language-rust">"#), "{html}");
        assert!(html.contains("<em>em</em>"));
    }

    #[test]
    fn fenced_code_is_highlighted_and_unknown_languages_stay_plain() {
        let html = render("```py\nif x:  # why\n    pass\n```").unwrap();
        assert!(
            html.contains(r#"<pre><code class="language-python"><span class="hl-k">if</span> x:"#),
            "{html}"
        );
        assert!(
            html.contains(r#"<span class="hl-c"># why</span>"#),
            "{html}"
        );
        let html = render("```klingon\nif x\n```").unwrap();
        assert!(
            html.contains(r#"<code class="language-klingon">if x"#),
            "{html}"
        );
        // spans are the highlighter's alone: a typed one is text
        let html = render(r#"<span class="hl-k">x</span>"#).unwrap();
        assert!(!html.contains("<span"), "{html}");
    }

    #[test]
    fn other_classes_and_ids_are_dropped() {
        let html =
            render(r#"<a class="btn btn-danger" id="login-form" href="https://x.example">x</a>"#)
                .unwrap();
        // raw HTML is shown as text: no element carries the class or id
        assert!(
            !html.contains("<a ") && html.contains("&lt;a class="),
            "{html}"
        );
        let html = render("```evil\" onclick=\"x\nx\n```").unwrap();
        assert!(!html.contains("onclick"), "{html}");
    }

    /// Catches super-linear blow-ups (seconds), not noise: a debug build on
    /// a busy two-core CI machine (tests run in parallel) is slow on its own.
    const LIMIT: Duration = Duration::from_millis(if cfg!(debug_assertions) { 500 } else { 50 });

    #[test]
    fn tags_shown_as_text_nest_nothing() {
        let generics = "Vec<Vec<Option<T>>> ".repeat(40);
        assert!(render(&generics).is_ok());
        let html = render(&"<div>".repeat(20_000)).unwrap();
        assert!(html.starts_with("<p>&lt;div&gt;&lt;div&gt;"));
    }

    #[test]
    fn deep_nesting_is_refused_quickly() {
        let nested_list: String = (0..200)
            .map(|i| format!("{}- x\n", "  ".repeat(i)))
            .collect();
        for input in [
            "> ".repeat(5_000),
            "<kbd>".repeat(20_000),
            nested_list,
            "<sup><sub>".repeat(10_000),
        ] {
            let start = Instant::now();
            assert_eq!(render(&input), Err(MarkdownError::TooDeep));
            assert!(start.elapsed() < LIMIT, "{:?}", start.elapsed());
        }
        assert!(render(&"> ".repeat(20)).is_ok());
    }

    #[test]
    fn the_largest_accepted_bodies_render_fast() {
        // 30 000 characters of the worst shapes that pass the depth cap
        let cases = [
            format!("{}x", "> ".repeat(30)).repeat(480),
            "<div>"
                .repeat(30)
                .repeat(200)
                .chars()
                .take(30_000)
                .collect::<String>(),
            "<span>".repeat(5_000),
            "*a _b **c [d](http://e) ".repeat(1_200),
            "| a | b |\n|---|---|\n| 1 | 2 |\n".repeat(1_000),
            "[x]: http://example.com\n[x]".repeat(1_500),
            format!("```rust\n{}", "a(1,\"b\");//c\n".repeat(2_000)),
            format!("```html\n{}", "<a b='c'>".repeat(3_000)),
            format!("```bash\n{}", "${".repeat(15_000)),
            format!("```css\n{}", "{a:1}".repeat(6_000)),
        ];
        for input in cases {
            let input: String = input.chars().take(30_000).collect();
            let start = Instant::now();
            let _ = render(&input);
            assert!(
                start.elapsed() < LIMIT,
                "{} chars took {:?}",
                input.len(),
                start.elapsed()
            );
        }
    }
}
