//! Differences between two revisions of a text, for the history pages:
//! word by word in prose, line by line inside fenced code blocks (where a
//! changed line is the unit a reader compares). Rendered as escaped HTML
//! with `<del>` and `<ins>`, which read as struck and underlined without
//! any colour.
use std::time::{Duration, Instant};

use similar::{capture_diff_slices_deadline, Algorithm, ChangeTag};

use crate::text::escape_html;

/// A diff of the largest bodies takes well under this; past it the
/// algorithm settles for a coarser (still correct) answer.
const DEADLINE: Duration = Duration::from_millis(100);

/// What happened to a piece of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Same,
    Added,
    Removed,
}

/// Consecutive text with one change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub change: Change,
    pub text: String,
}

fn is_fence(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("```") || t.starts_with("~~~")
}

/// Splits markdown into diff tokens: whole lines in and around fenced code,
/// words and the spaces between them elsewhere.
#[must_use]
pub fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut in_code = false;
    for line in text.split_inclusive('\n') {
        if is_fence(line) {
            in_code = !in_code;
            out.push(line);
            continue;
        }
        if in_code {
            out.push(line);
            continue;
        }
        let mut start = 0;
        let mut space = None;
        for (i, c) in line.char_indices() {
            let is_space = c.is_whitespace();
            if space.is_some_and(|s| s != is_space) {
                out.push(&line[start..i]);
                start = i;
            }
            space = Some(is_space);
        }
        if start < line.len() {
            out.push(&line[start..]);
        }
    }
    out
}

/// The changes that turn `old` into `new`.
#[must_use]
pub fn diff(old: &str, new: &str) -> Vec<Piece> {
    let (a, b) = (tokens(old), tokens(new));
    let ops =
        capture_diff_slices_deadline(Algorithm::Patience, &a, &b, Some(Instant::now() + DEADLINE));
    let mut pieces: Vec<Piece> = Vec::new();
    for op in &ops {
        for change in op.iter_changes(&a, &b) {
            let kind = match change.tag() {
                ChangeTag::Equal => Change::Same,
                ChangeTag::Insert => Change::Added,
                ChangeTag::Delete => Change::Removed,
            };
            match pieces.last_mut() {
                Some(last) if last.change == kind => last.text.push_str(change.value()),
                _ => pieces.push(Piece {
                    change: kind,
                    text: change.value().to_string(),
                }),
            }
        }
    }
    pieces
}

/// The diff as escaped HTML: removed text in `<del>`, added in `<ins>`.
#[must_use]
pub fn to_html(pieces: &[Piece]) -> String {
    let mut out = String::new();
    for piece in pieces {
        let text = escape_html(&piece.text);
        match piece.change {
            Change::Same => out.push_str(&text),
            Change::Added => {
                out.push_str("<ins>");
                out.push_str(&text);
                out.push_str("</ins>");
            }
            Change::Removed => {
                out.push_str("<del>");
                out.push_str(&text);
                out.push_str("</del>");
            }
        }
    }
    out
}

/// Whether two texts differ at all.
#[must_use]
pub fn changed(pieces: &[Piece]) -> bool {
    pieces.iter().any(|p| p.change != Change::Same)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_differs_by_word() {
        let html = to_html(&diff("the quick brown fox", "the slow brown fox jumps"));
        assert_eq!(
            html,
            "the <del>quick</del><ins>slow</ins> brown fox<ins> jumps</ins>"
        );
    }

    #[test]
    fn code_differs_by_line_and_is_escaped() {
        let old = "Use this:\n\n```rust\nlet a = 1;\nlet b = a < 2;\n```\n";
        let new = "Use this:\n\n```rust\nlet a = 1;\nlet b = a <= 2;\n```\n";
        let html = to_html(&diff(old, new));
        assert!(
            html.contains("<del>let b = a &lt; 2;\n</del><ins>let b = a &lt;= 2;\n</ins>"),
            "{html}"
        );
        assert!(html.starts_with("Use this:\n\n```rust\nlet a = 1;\n"));
    }

    #[test]
    fn no_change_is_no_change() {
        let pieces = diff("same text\n", "same text\n");
        assert!(!changed(&pieces));
        assert!(changed(&diff("", "new")));
    }

    #[test]
    fn the_largest_bodies_diff_quickly() {
        let old: String = (0..3_000).map(|i| format!("word{i} ")).collect();
        let new: String = (0..3_000)
            .map(|i| format!("word{} ", (i * 7) % 3_000))
            .collect();
        let start = Instant::now();
        let _ = diff(&old, &new);
        let limit = if cfg!(debug_assertions) { 2_000 } else { 300 };
        assert!(
            start.elapsed() < Duration::from_millis(limit),
            "{:?}",
            start.elapsed()
        );
    }
}
