//! Comments: one line of inline markdown — code, bold, italic, strike and
//! links. Block syntax (headings, lists, quotes, code blocks) keeps its
//! text but not its shape, and raw HTML shows as the text that was typed.
use std::{collections::HashSet, sync::OnceLock};

use ammonia::Builder;
use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};

use super::mentions::{self, Mentions};

/// The Fluent key of the help line under comment fields.
pub const INLINE_HELP: &str = "help-comment-markdown";

fn sanitizer() -> &'static Builder<'static> {
    static BUILDER: OnceLock<Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = Builder::empty();
        b.tags(HashSet::from(["a", "code", "strong", "em", "del"]))
            .link_rel(Some("nofollow ugc noopener noreferrer"))
            .url_schemes(HashSet::from(["http", "https", "mailto"]))
            .url_relative(ammonia::UrlRelative::PassThrough)
            .add_tag_attributes("a", &["href"]);
        b
    })
}

/// The inline events of `source`: blocks flattened to spaces, code blocks
/// to inline code, raw HTML to text.
fn flatten(source: &str) -> Vec<Event<'_>> {
    let mut out = Vec::new();
    let mut block: Option<String> = None;
    let space = || Event::Text(CowStr::Borrowed(" "));
    for event in Parser::new_ext(source, Options::ENABLE_STRIKETHROUGH) {
        if let Some(code) = block.as_mut() {
            match event {
                Event::End(TagEnd::CodeBlock) => {
                    let code = block.take().unwrap_or_default();
                    out.push(Event::Code(CowStr::from(code.trim_end().to_string())));
                    out.push(space());
                }
                Event::Text(text) => code.push_str(&text),
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::CodeBlock(_)) => block = Some(String::new()),
            Event::Start(
                tag @ (Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. }),
            ) => out.push(Event::Start(tag)),
            Event::End(
                tag @ (TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link),
            ) => out.push(Event::End(tag)),
            Event::Text(_) | Event::Code(_) => out.push(event),
            Event::Html(raw) | Event::InlineHtml(raw) => out.push(Event::Text(raw)),
            Event::SoftBreak | Event::HardBreak | Event::End(_) => out.push(space()),
            _ => {}
        }
    }
    out
}

/// Renders a comment to sanitized inline HTML, with `mentions` linked.
#[must_use]
pub fn render_inline(source: &str, mentions: &Mentions) -> String {
    let events = mentions::link(flatten(source).into_iter(), mentions);
    let mut raw = String::with_capacity(source.len() * 2);
    html::push_html(&mut raw, events.into_iter());
    let clean = sanitizer().clean(&raw).to_string();
    collapse_spaces(&clean)
}

/// The names a comment mentions (see [`super::mention_candidates`]).
#[must_use]
pub fn candidates(source: &str) -> Vec<String> {
    mentions::candidates(flatten(source).into_iter())
}

fn collapse_spaces(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut last_space = true;
    for c in html.chars() {
        if c == ' ' {
            if !last_space {
                out.push(c);
            }
            last_space = true;
        } else {
            out.push(c);
            last_space = false;
        }
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_markdown_only() {
        let html = render_inline(
            "# Head\n\n**bold** _it_ ~~no~~ `x < y` [link](https://x.test)\n\n- item\n\n```\nfn a() {}\n```",
            &Mentions::none(),
        );
        assert_eq!(
            html,
            "Head <strong>bold</strong> <em>it</em> <del>no</del> <code>x &lt; y</code> \
             <a href=\"https://x.test\" rel=\"nofollow ugc noopener noreferrer\">link</a> item \
             <code>fn a() {}</code>"
        );
    }

    #[test]
    fn html_and_scripts_show_as_text() {
        let html = render_inline(
            "see <script>alert(1)</script> and [x](javascript:alert(1)) <img src=x onerror=y>",
            &Mentions::none(),
        );
        assert!(
            !html.contains("<script") && !html.contains("<img"),
            "{html}"
        );
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
    }

    #[test]
    fn known_mentions_link_to_profiles() {
        let mut known = Mentions::none();
        known.add(7, "Alice");
        let html = render_inline("thanks @alice and @nobody", &known);
        assert!(
            html.contains(
                "<a href=\"/users/Alice\" rel=\"nofollow ugc noopener noreferrer\">@Alice</a>"
            ),
            "{html}"
        );
        assert!(html.contains("@nobody"));
        assert_eq!(candidates("thanks @alice and `@bob`"), ["alice"]);
    }
}
