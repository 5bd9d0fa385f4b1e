//! `@username` in posts and comments: found in the text (never inside code
//! or an existing link), looked up once, and rendered as a link to the
//! profile. Only names that belong to an account become links.
use std::{collections::HashMap, sync::OnceLock};

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};
use regex::Regex;

/// At most this many different people are mentioned (and notified) by one
/// text; further names stay plain text.
pub const MAX_MENTIONS: usize = 10;

fn mention_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    // a mention starts the text or follows a character that cannot be part
    // of an e-mail address or a path (`a@b.c` and `/@x` are not mentions)
    RE.get_or_init(|| {
        Regex::new(r"(?:^|[^A-Za-z0-9_@./+-])@([A-Za-z0-9_-]{3,32})").expect("static regex")
    })
}

/// The accounts a text mentions: lower-cased name → (user id, name as
/// spelled in the account).
#[derive(Debug, Clone, Default)]
pub struct Mentions {
    known: HashMap<String, (i64, String)>,
}

impl Mentions {
    #[must_use]
    pub fn none() -> Self {
        Self::default()
    }

    /// Adds an account (from the lookup of [`candidates`]).
    pub fn add(&mut self, id: i64, username: &str) {
        self.known
            .insert(username.to_lowercase(), (id, username.to_string()));
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.known.is_empty()
    }

    /// The mentioned users' ids.
    #[must_use]
    pub fn ids(&self) -> Vec<i64> {
        let mut ids: Vec<i64> = self.known.values().map(|(id, _)| *id).collect();
        ids.sort_unstable();
        ids
    }

    /// The known accounts among `names` (a post's own candidates), so one
    /// lookup can serve many posts without linking more than each named.
    #[must_use]
    pub fn only(&self, names: &[String]) -> Self {
        let known = names
            .iter()
            .filter_map(|n| {
                let key = n.to_lowercase();
                self.known.get(&key).map(|v| (key, v.clone()))
            })
            .collect();
        Self { known }
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.known
            .get(&name.to_lowercase())
            .map(|(_, n)| n.as_str())
    }
}

/// Names that look like mentions in `text` (lower-cased, first
/// [`MAX_MENTIONS`] distinct ones).
fn names_in(text: &str, out: &mut Vec<String>) {
    for cap in mention_re().captures_iter(text) {
        let name = cap[1].to_lowercase();
        if out.len() < MAX_MENTIONS && !out.contains(&name) {
            out.push(name);
        }
    }
}

/// The names `events` mention outside code and links.
pub fn candidates<'a>(events: impl Iterator<Item = Event<'a>>) -> Vec<String> {
    let mut out = Vec::new();
    let mut skip = 0usize;
    for event in events {
        match event {
            Event::Start(Tag::CodeBlock(_) | Tag::Link { .. } | Tag::Image { .. }) => skip += 1,
            Event::End(TagEnd::CodeBlock | TagEnd::Link | TagEnd::Image) => {
                skip = skip.saturating_sub(1);
            }
            Event::Text(text) if skip == 0 => names_in(&text, &mut out),
            _ => {}
        }
    }
    out
}

/// `events` with each known mention turned into a link to the profile.
pub fn link<'a>(events: impl Iterator<Item = Event<'a>>, mentions: &Mentions) -> Vec<Event<'a>> {
    let mut out = Vec::new();
    let mut skip = 0usize;
    for event in events {
        match &event {
            Event::Start(Tag::CodeBlock(_) | Tag::Link { .. } | Tag::Image { .. }) => skip += 1,
            Event::End(TagEnd::CodeBlock | TagEnd::Link | TagEnd::Image) => {
                skip = skip.saturating_sub(1);
            }
            Event::Text(text) if skip == 0 && !mentions.is_empty() => {
                split(text, mentions, &mut out);
                continue;
            }
            _ => {}
        }
        out.push(event);
    }
    out
}

fn split<'a>(text: &str, mentions: &Mentions, out: &mut Vec<Event<'a>>) {
    let mut last = 0;
    for cap in mention_re().captures_iter(text) {
        let whole = cap.get(1).expect("group 1 always matches");
        let Some(name) = mentions.get(whole.as_str()) else {
            continue;
        };
        let at = whole.start() - 1;
        if at > last {
            out.push(Event::Text(CowStr::from(text[last..at].to_string())));
        }
        out.push(Event::Start(Tag::Link {
            link_type: LinkType::Inline,
            dest_url: CowStr::from(format!("/users/{name}")),
            title: CowStr::from(""),
            id: CowStr::from(""),
        }));
        out.push(Event::Text(CowStr::from(format!("@{name}"))));
        out.push(Event::End(TagEnd::Link));
        last = whole.end();
    }
    if last < text.len() {
        out.push(Event::Text(CowStr::from(text[last..].to_string())));
    }
}

#[cfg(test)]
mod tests {
    use pulldown_cmark::Parser;

    use super::*;

    #[test]
    fn only_keeps_the_names_a_post_itself_mentions() {
        let mut batch = Mentions::none();
        batch.add(1, "Alice");
        batch.add(2, "bob");
        let own = batch.only(&["alice".to_string(), "nobody".to_string()]);
        assert_eq!(own.ids(), vec![1]);
        assert_eq!(own.get("ALICE"), Some("Alice"));
        assert!(own.get("bob").is_none());
    }

    #[test]
    fn mentions_are_found_outside_code_links_and_addresses() {
        let text = "@Alice and @bob, see `@carol`, [@dave](https://x.test), mail eve@erin.test, \
                    /@frank, @al (too short)\n\n```\n@gina\n```\n@alice again";
        assert_eq!(candidates(Parser::new(text)), ["alice", "bob"]);
    }

    #[test]
    fn at_most_ten_people_are_mentioned() {
        let text: String = (0..15).map(|i| format!("@user{i} ")).collect();
        assert_eq!(candidates(Parser::new(&text)).len(), MAX_MENTIONS);
    }
}
