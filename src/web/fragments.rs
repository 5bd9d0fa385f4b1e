//! Rendered pieces of a page, kept by everything they were rendered from.
//!
//! A question page renders each answer through the template interpreter,
//! and for a member each answer carries its vote, flag and comment forms:
//! that loop was most of a signed-in question page's CPU. An answer renders
//! to the same bytes for every viewer with the same rights and the same
//! votes, so a fragment is kept under a hash of its template, its whole
//! input and the relative-time texts it prints ("5 minutes ago"); a changed
//! post, score, right or minute is another key, so nothing is ever stale and
//! nothing needs clearing. The one personal value in a fragment, the CSRF
//! token, is rendered as a per-process secret placeholder and put in place
//! on the way out. Bounded in bytes, least recently used first out.
use std::{
    hash::{BuildHasher, Hash, Hasher, RandomState},
    sync::{Arc, OnceLock},
};

use loco_rs::prelude::{TeraView, ViewRenderer};
use memchr::memmem::Finder;
use quick_cache::{sync::Cache, Weighter};
use serde::Serialize;

use crate::web::error::Result;

/// What all fragments together may hold.
const MAX_BYTES: u64 = 4 * 1024 * 1024;

#[derive(Clone)]
struct Bytewise;

impl Weighter<u128, Arc<str>> for Bytewise {
    fn weight(&self, _: &u128, html: &Arc<str>) -> u64 {
        html.len() as u64 + 48
    }
}

struct Kept {
    html: Cache<u128, Arc<str>, Bytewise>,
    /// Two independently keyed hashers make a 128-bit key; the keys are
    /// secret, so nobody can write a post that collides with another.
    hashers: (RandomState, RandomState),
    /// Stands for the CSRF token in kept fragments; random per process,
    /// so no post can contain it.
    placeholder: String,
    /// Finds it (a page's fragments are most of its bytes, and searching
    /// them with `str::replace` was 2.4 % of a signed-in question page).
    finder: Finder<'static>,
}

fn kept() -> &'static Kept {
    static KEPT: OnceLock<Kept> = OnceLock::new();
    KEPT.get_or_init(|| {
        let hashers = (RandomState::new(), RandomState::new());
        let placeholder = format!("nc-token-{:016x}", hashers.0.hash_one(std::process::id()));
        Kept {
            html: Cache::with_weighter(2_048, MAX_BYTES, Bytewise),
            finder: Finder::new(placeholder.as_bytes()).into_owned(),
            placeholder,
            hashers,
        }
    })
}

/// What a fragment template reads: its input, the language, and the CSRF
/// token, which is the placeholder while rendering.
#[derive(Serialize)]
struct Context<'a, D: Serialize> {
    #[serde(flatten)]
    data: &'a D,
    csrf_token: &'a str,
}

/// `template` rendered from `data`, kept or rendered now, with `csrf` in
/// place of the placeholder. `data` must hold everything the template
/// reads, `lang` included, and `clock` the relative-time texts it prints
/// (as [`crate::i18n::ago_span`] gives them).
///
/// # Errors
/// When the template fails to render.
pub fn render<D: Serialize + Hash>(
    v: &TeraView,
    template: &'static str,
    data: &D,
    clock: &impl Hash,
    csrf: &str,
) -> Result<String> {
    let kept = kept();
    let key = {
        let mut one = kept.hashers.0.build_hasher();
        let mut two = kept.hashers.1.build_hasher();
        let edited = views_edited();
        for h in [&mut one, &mut two] {
            edited.hash(h);
            template.hash(h);
            data.hash(h);
            clock.hash(h);
        }
        (u128::from(one.finish()) << 64) | u128::from(two.finish())
    };
    let html = if let Some(html) = kept.html.get(&key) {
        html
    } else {
        let html: Arc<str> = v
            .render(
                template,
                Context {
                    data,
                    csrf_token: &kept.placeholder,
                },
            )?
            .into();
        kept.html.insert(key, html.clone());
        html
    };
    Ok(fill(&html, &kept.finder, csrf))
}

/// A debug build reloads edited templates (loco watches them), so there the
/// newest modification time under `assets/views` (looked at once a second
/// at most) is part of every key, and an edit shows within a second.
#[cfg(debug_assertions)]
fn views_edited() -> u128 {
    use std::{sync::Mutex, time::Instant};

    fn newest(dir: &std::path::Path) -> u128 {
        std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|entry| {
                let path = entry.path();
                if path.is_dir() {
                    newest(&path)
                } else {
                    entry
                        .metadata()
                        .and_then(|m| m.modified())
                        .ok()
                        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                        .map_or(0, |d| d.as_nanos())
                }
            })
            .max()
            .unwrap_or(0)
    }
    static SEEN: Mutex<Option<(Instant, u128)>> = Mutex::new(None);
    let Ok(mut seen) = SEEN.lock() else { return 0 };
    match *seen {
        Some((at, newest)) if at.elapsed() < std::time::Duration::from_secs(1) => newest,
        _ => {
            let found = newest(std::path::Path::new("assets/views"));
            *seen = Some((Instant::now(), found));
            found
        }
    }
}

#[cfg(not(debug_assertions))]
const fn views_edited() -> u128 {
    0
}

/// `html` with every `placeholder` (which `finder` finds) replaced by `token`.
fn fill(html: &str, finder: &Finder<'_>, token: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut from = 0;
    for at in finder.find_iter(html.as_bytes()) {
        out.push_str(&html[from..at]);
        out.push_str(token);
        from = at + finder.needle().len();
    }
    out.push_str(&html[from..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_placeholder_is_replaced_everywhere_and_nothing_else_changes() {
        let finder = Finder::new("nc-token-1");
        assert_eq!(
            fill("<a>nc-token-1</a>nc-token-1nc-token-", &finder, "T"),
            "<a>T</a>Tnc-token-"
        );
        assert_eq!(fill("", &finder, "T"), "");
        assert_eq!(fill("no token, ünïcode", &finder, ""), "no token, ünïcode");
        assert_eq!(fill("nc-token-1", &finder, ""), "");
    }
}
