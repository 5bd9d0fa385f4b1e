//! Small, pure helpers for user input: control characters, redirect targets,
//! slugs and excerpts.

/// True when `s` has a character no form field may carry: C0 controls other
/// than tab and newlines, DEL, C1 controls, and the Unicode line/paragraph
/// separators and bidi overrides that can disguise text, and the
/// non-characters U+FFFE and U+FFFF (no XML document, such as a feed, may
/// carry them).
#[must_use]
pub fn has_forbidden_chars(s: &str, allow_newlines: bool) -> bool {
    s.chars().any(|c| match c {
        '\t' => false,
        '\n' | '\r' => !allow_newlines,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
        '\u{fffe}' | '\u{ffff}' => true,
        _ => false,
    })
}

/// Normalises line endings to `\n`.
#[must_use]
pub fn normalize_newlines(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\r', "\n")
}

/// Returns `next` when it is a safe local path to redirect to, else `None`.
/// Refuses absolute URLs, protocol-relative `//host`, backslashes (which some
/// browsers treat as slashes) and control characters.
#[must_use]
pub fn safe_local_path(next: &str) -> Option<&str> {
    let ok = next.len() <= 512
        && next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !has_forbidden_chars(next, false)
        && !next.chars().any(char::is_whitespace);
    ok.then_some(next)
}

/// A URL slug: lower-case ASCII letters and digits separated by dashes,
/// at most 80 characters; Cyrillic is transliterated so Russian titles
/// keep readable URLs.
#[must_use]
pub fn slugify(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let mut dash = false;
    for c in title.chars().flat_map(char::to_lowercase) {
        let piece: &str = match c {
            'a'..='z' | '0'..='9' => {
                out.push(c);
                dash = false;
                continue;
            }
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' => "g",
            'д' => "d",
            'е' | 'ё' => "e",
            'ж' => "zh",
            'з' => "z",
            'и' | 'й' => "i",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' => "u",
            'ф' => "f",
            'х' => "h",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "sch",
            'ы' => "y",
            'э' => "e",
            'ю' => "yu",
            'я' => "ya",
            'ъ' | 'ь' => continue,
            '+' => "plus",
            '#' => "sharp",
            _ => {
                if !dash && !out.is_empty() {
                    out.push('-');
                    dash = true;
                }
                continue;
            }
        };
        out.push_str(piece);
        dash = false;
    }
    let mut slug: String = out.trim_matches('-').chars().take(80).collect();
    while slug.ends_with('-') {
        slug.pop();
    }
    if slug.is_empty() {
        slug.push_str("question");
    }
    slug
}

/// The first `max_chars` characters of `text` on a word boundary, with "…"
/// when shortened.
#[must_use]
pub fn excerpt(text: &str, max_chars: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max_chars {
        return flat;
    }
    let cut: String = flat.chars().take(max_chars).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', '.', ';', ':']))
}

/// Escapes `& < > " '` for HTML text and quoted attributes.
#[must_use]
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_refused() {
        assert!(has_forbidden_chars("a\u{0}b", true));
        assert!(has_forbidden_chars("a\u{1b}[31m", true));
        assert!(has_forbidden_chars("line\nbreak", false));
        assert!(!has_forbidden_chars("line\r\nbreak\ttab", true));
        assert!(has_forbidden_chars("evil\u{202e}txt", true));
        assert!(!has_forbidden_chars("Привет, мир! 👋", false));
    }

    #[test]
    fn only_local_paths_are_redirect_targets() {
        assert_eq!(
            safe_local_path("/questions?page=2"),
            Some("/questions?page=2")
        );
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "evil",
            "/a b",
            "",
        ] {
            assert_eq!(safe_local_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn slugs_are_ascii_and_readable() {
        assert_eq!(
            slugify("How do I use C++ & C# together?"),
            "how-do-i-use-cplusplus-csharp-together"
        );
        assert_eq!(
            slugify("Как работает async в Rust?"),
            "kak-rabotaet-async-v-rust"
        );
        assert_eq!(slugify("!!!"), "question");
        assert!(slugify(&"word ".repeat(100)).len() <= 80);
    }

    #[test]
    fn excerpts_cut_on_words() {
        assert_eq!(excerpt("one two three", 50), "one two three");
        assert_eq!(excerpt("alpha beta gamma delta", 12), "alpha beta…");
    }
}
