//! Syntax highlighting of fenced code, done once when a post is saved.
//!
//! A single linear scanner, configured per language, marks keywords,
//! strings, comments, numbers, literals, keys and meta tokens with classed
//! `<span>`s that the site stylesheet colours (no inline styles, so the CSP
//! stays as it is). It is deliberately lexical: it never backtracks, so a
//! 30 000-character block costs one pass. Unknown languages render plain.
use std::fmt::Write;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};

/// Token kinds, as the CSS classes the stylesheet knows.
#[derive(Clone, Copy)]
enum Kind {
    Keyword,
    Str,
    Comment,
    Number,
    Literal,
    Key,
    Meta,
}

impl Kind {
    const fn class(self) -> &'static str {
        match self {
            Self::Keyword => "hl-k",
            Self::Str => "hl-s",
            Self::Comment => "hl-c",
            Self::Number => "hl-n",
            Self::Literal => "hl-l",
            Self::Key => "hl-a",
            Self::Meta => "hl-m",
        }
    }
}

/// Whether `class` is one the highlighter writes (for the sanitizer).
#[must_use]
pub fn is_token_class(class: &str) -> bool {
    matches!(
        class,
        "hl-k" | "hl-s" | "hl-c" | "hl-n" | "hl-l" | "hl-a" | "hl-m"
    )
}

/// How one language looks to the scanner.
struct Spec {
    name: &'static str,
    /// Sorted, for binary search (lower-case when `fold_case`).
    keywords: &'static [&'static str],
    literals: &'static [&'static str],
    line_comments: &'static [&'static str],
    block_comment: Option<(&'static str, &'static str)>,
    quotes: &'static [u8],
    triple_quotes: bool,
    fold_case: bool,
    /// A word or string followed by this byte is a key (JSON, YAML, TOML).
    key_mark: Option<u8>,
    /// `#` starts a comment only at the start of a word (shell, YAML).
    hash_at_word_start: bool,
    /// Marks a meta token: `@decorator`, `#include`, `$VAR`.
    meta: Option<u8>,
    /// `-` belongs to words (CSS properties, YAML and TOML keys).
    dash_in_words: bool,
}

const C_COMMENTS: (&str, &str) = ("/*", "*/");

const BASE: Spec = Spec {
    name: "",
    keywords: &[],
    literals: &[],
    line_comments: &[],
    block_comment: None,
    quotes: &[],
    triple_quotes: false,
    fold_case: false,
    key_mark: None,
    hash_at_word_start: false,
    meta: None,
    dash_in_words: false,
};

const RUST: Spec = Spec {
    name: "rust",
    keywords: &[
        "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum",
        "extern", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
        "pub", "ref", "return", "self", "static", "struct", "super", "trait", "type", "unsafe",
        "use", "where", "while",
    ],
    literals: &["Err", "None", "Ok", "Self", "Some", "false", "true"],
    line_comments: &["//"],
    block_comment: Some(C_COMMENTS),
    quotes: b"\"",
    ..BASE
};

const PYTHON: Spec = Spec {
    name: "python",
    keywords: &[
        "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
        "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is",
        "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with",
        "yield",
    ],
    literals: &["False", "None", "True", "self"],
    line_comments: &["#"],
    quotes: b"\"'",
    triple_quotes: true,
    meta: Some(b'@'),
    ..BASE
};

const JS_KEYWORDS: &[&str] = &[
    "async",
    "await",
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "default",
    "delete",
    "do",
    "else",
    "export",
    "extends",
    "finally",
    "for",
    "from",
    "function",
    "if",
    "import",
    "in",
    "instanceof",
    "let",
    "new",
    "of",
    "return",
    "static",
    "super",
    "switch",
    "this",
    "throw",
    "try",
    "typeof",
    "var",
    "void",
    "while",
    "yield",
];

const JAVASCRIPT: Spec = Spec {
    name: "javascript",
    keywords: JS_KEYWORDS,
    literals: &["NaN", "false", "null", "true", "undefined"],
    line_comments: &["//"],
    block_comment: Some(C_COMMENTS),
    quotes: b"\"'`",
    ..BASE
};

const TYPESCRIPT: Spec = Spec {
    name: "typescript",
    keywords: &[
        "abstract",
        "any",
        "as",
        "async",
        "await",
        "boolean",
        "break",
        "case",
        "catch",
        "class",
        "const",
        "continue",
        "declare",
        "default",
        "delete",
        "do",
        "else",
        "enum",
        "export",
        "extends",
        "finally",
        "for",
        "from",
        "function",
        "if",
        "implements",
        "import",
        "in",
        "instanceof",
        "interface",
        "keyof",
        "let",
        "namespace",
        "never",
        "new",
        "number",
        "of",
        "private",
        "protected",
        "public",
        "readonly",
        "return",
        "static",
        "string",
        "super",
        "switch",
        "this",
        "throw",
        "try",
        "type",
        "typeof",
        "unknown",
        "var",
        "void",
        "while",
        "yield",
    ],
    meta: Some(b'@'),
    ..JAVASCRIPT
};

const GO: Spec = Spec {
    name: "go",
    keywords: &[
        "break",
        "case",
        "chan",
        "const",
        "continue",
        "default",
        "defer",
        "else",
        "fallthrough",
        "for",
        "func",
        "go",
        "goto",
        "if",
        "import",
        "interface",
        "map",
        "package",
        "range",
        "return",
        "select",
        "struct",
        "switch",
        "type",
        "var",
    ],
    literals: &["false", "iota", "nil", "true"],
    line_comments: &["//"],
    block_comment: Some(C_COMMENTS),
    quotes: b"\"'`",
    ..BASE
};

const JAVA: Spec = Spec {
    name: "java",
    keywords: &[
        "abstract",
        "boolean",
        "break",
        "byte",
        "case",
        "catch",
        "char",
        "class",
        "continue",
        "default",
        "do",
        "double",
        "else",
        "enum",
        "extends",
        "final",
        "finally",
        "float",
        "for",
        "if",
        "implements",
        "import",
        "instanceof",
        "int",
        "interface",
        "long",
        "new",
        "package",
        "private",
        "protected",
        "public",
        "record",
        "return",
        "short",
        "static",
        "super",
        "switch",
        "synchronized",
        "this",
        "throw",
        "throws",
        "try",
        "var",
        "void",
        "volatile",
        "while",
    ],
    literals: &["false", "null", "true"],
    line_comments: &["//"],
    block_comment: Some(C_COMMENTS),
    quotes: b"\"'",
    meta: Some(b'@'),
    ..BASE
};

const C: Spec = Spec {
    name: "c",
    keywords: &[
        "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else",
        "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long", "register",
        "restrict", "return", "short", "signed", "sizeof", "static", "struct", "switch", "typedef",
        "union", "unsigned", "void", "volatile", "while",
    ],
    literals: &["NULL", "false", "true"],
    line_comments: &["//"],
    block_comment: Some(C_COMMENTS),
    quotes: b"\"'",
    meta: Some(b'#'),
    ..BASE
};

const CPP: Spec = Spec {
    name: "cpp",
    keywords: &[
        "auto",
        "bool",
        "break",
        "case",
        "catch",
        "char",
        "class",
        "const",
        "constexpr",
        "continue",
        "default",
        "delete",
        "do",
        "double",
        "else",
        "enum",
        "explicit",
        "extern",
        "float",
        "for",
        "friend",
        "if",
        "inline",
        "int",
        "long",
        "namespace",
        "new",
        "noexcept",
        "operator",
        "private",
        "protected",
        "public",
        "return",
        "short",
        "signed",
        "sizeof",
        "static",
        "struct",
        "switch",
        "template",
        "this",
        "throw",
        "try",
        "typedef",
        "typename",
        "union",
        "unsigned",
        "using",
        "virtual",
        "void",
        "volatile",
        "while",
    ],
    literals: &["NULL", "false", "nullptr", "true"],
    ..C
};

const CSHARP: Spec = Spec {
    name: "csharp",
    keywords: &[
        "abstract",
        "as",
        "async",
        "await",
        "base",
        "bool",
        "break",
        "case",
        "catch",
        "class",
        "const",
        "continue",
        "decimal",
        "default",
        "delegate",
        "do",
        "double",
        "else",
        "enum",
        "event",
        "for",
        "foreach",
        "get",
        "if",
        "in",
        "int",
        "interface",
        "internal",
        "is",
        "lock",
        "long",
        "namespace",
        "new",
        "object",
        "out",
        "override",
        "private",
        "protected",
        "public",
        "readonly",
        "record",
        "ref",
        "return",
        "sealed",
        "set",
        "static",
        "string",
        "struct",
        "switch",
        "this",
        "throw",
        "try",
        "using",
        "var",
        "virtual",
        "void",
        "while",
    ],
    literals: &["false", "null", "true"],
    line_comments: &["//"],
    block_comment: Some(C_COMMENTS),
    quotes: b"\"'",
    meta: Some(b'#'),
    ..BASE
};

const SQL: Spec = Spec {
    name: "sql",
    keywords: &[
        "add",
        "all",
        "alter",
        "and",
        "as",
        "asc",
        "begin",
        "between",
        "by",
        "case",
        "commit",
        "constraint",
        "create",
        "delete",
        "desc",
        "distinct",
        "drop",
        "else",
        "end",
        "exists",
        "foreign",
        "from",
        "group",
        "having",
        "in",
        "index",
        "inner",
        "insert",
        "into",
        "is",
        "join",
        "key",
        "left",
        "like",
        "limit",
        "not",
        "offset",
        "on",
        "or",
        "order",
        "outer",
        "primary",
        "references",
        "returning",
        "right",
        "rollback",
        "select",
        "set",
        "table",
        "then",
        "union",
        "unique",
        "update",
        "values",
        "view",
        "when",
        "where",
        "with",
    ],
    literals: &["false", "null", "true"],
    line_comments: &["--"],
    block_comment: Some(C_COMMENTS),
    quotes: b"'",
    fold_case: true,
    ..BASE
};

const BASH: Spec = Spec {
    name: "bash",
    keywords: &[
        "case", "do", "done", "elif", "else", "esac", "export", "fi", "for", "function", "if",
        "in", "local", "readonly", "return", "then", "until", "while",
    ],
    literals: &["false", "true"],
    line_comments: &["#"],
    quotes: b"\"'",
    hash_at_word_start: true,
    meta: Some(b'$'),
    ..BASE
};

const JSON: Spec = Spec {
    name: "json",
    literals: &["false", "null", "true"],
    quotes: b"\"",
    key_mark: Some(b':'),
    ..BASE
};

const YAML: Spec = Spec {
    name: "yaml",
    literals: &["false", "no", "null", "true", "yes", "~"],
    line_comments: &["#"],
    quotes: b"\"'",
    key_mark: Some(b':'),
    hash_at_word_start: true,
    dash_in_words: true,
    ..BASE
};

const TOML: Spec = Spec {
    name: "toml",
    literals: &["false", "true"],
    line_comments: &["#"],
    quotes: b"\"'",
    triple_quotes: true,
    key_mark: Some(b'='),
    dash_in_words: true,
    ..BASE
};

const CSS: Spec = Spec {
    name: "css",
    literals: &["!important"],
    block_comment: Some(C_COMMENTS),
    quotes: b"\"'",
    key_mark: Some(b':'),
    meta: Some(b'@'),
    dash_in_words: true,
    ..BASE
};

/// The language a fence's info string names, by its usual names.
fn spec(info: &str) -> Option<Lang> {
    let word = info.split([' ', ',', '{']).next().unwrap_or("");
    let word = word.to_ascii_lowercase();
    let spec = match word.as_str() {
        "rust" | "rs" => &RUST,
        "python" | "py" | "python3" => &PYTHON,
        "javascript" | "js" | "jsx" | "mjs" | "node" => &JAVASCRIPT,
        "typescript" | "ts" | "tsx" => &TYPESCRIPT,
        "go" | "golang" => &GO,
        "java" => &JAVA,
        "c" | "h" => &C,
        "cpp" | "c++" | "cc" | "cxx" | "hpp" => &CPP,
        "csharp" | "cs" | "c#" => &CSHARP,
        "sql" | "postgresql" | "postgres" | "sqlite" | "mysql" => &SQL,
        "bash" | "sh" | "shell" | "zsh" | "console" => &BASH,
        "json" | "jsonc" => &JSON,
        "yaml" | "yml" => &YAML,
        "toml" => &TOML,
        "css" | "scss" => &CSS,
        "html" | "xml" | "svg" | "xhtml" => return Some(Lang::Markup),
        _ => return None,
    };
    Some(Lang::Code(spec))
}

enum Lang {
    Code(&'static Spec),
    Markup,
}

impl Lang {
    const fn name(&self) -> &'static str {
        match self {
            Self::Code(spec) => spec.name,
            Self::Markup => "html",
        }
    }

    fn highlight(&self, code: &str) -> String {
        let mut out = Out::with_capacity(code.len() * 2);
        match self {
            Self::Code(spec) => scan(spec, code, &mut out),
            Self::Markup => scan_markup(code, &mut out),
        }
        out.0
    }
}

/// The HTML written so far, and where the source's plain text not yet
/// written starts.
struct Out(String, usize);

impl Out {
    fn with_capacity(n: usize) -> Self {
        Self(String::with_capacity(n), 0)
    }

    /// Writes the plain text before `start`, then `src[start..end]` as a
    /// `kind` token; returns `end`, where scanning goes on.
    fn span(&mut self, src: &str, kind: Kind, start: usize, end: usize) -> usize {
        self.text(&src[self.1..start]);
        self.token(kind, &src[start..end]);
        self.1 = end;
        end
    }

    /// Writes the plain text left at the end.
    fn finish(&mut self, src: &str) {
        self.text(&src[self.1..]);
    }

    fn text(&mut self, s: &str) {
        for c in s.chars() {
            match c {
                '&' => self.0.push_str("&amp;"),
                '<' => self.0.push_str("&lt;"),
                '>' => self.0.push_str("&gt;"),
                '"' => self.0.push_str("&quot;"),
                _ => self.0.push(c),
            }
        }
    }

    fn token(&mut self, kind: Kind, s: &str) {
        let _ = write!(self.0, "<span class=\"{}\">", kind.class());
        self.text(s);
        self.0.push_str("</span>");
    }
}

const fn is_word(b: u8, dash: bool) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || (dash && b == b'-')
}

/// End of a string starting at `at` (the quote), escapes honoured; plain
/// quotes stop at the line's end so one stray quote colours one line only.
fn string_end(code: &[u8], at: usize, triple: bool) -> usize {
    let q = code[at];
    if triple {
        let mut i = at + 3;
        while i + 2 < code.len() {
            if code[i] == b'\\' {
                i += 2;
                continue;
            }
            if code[i] == q && code[i + 1] == q && code[i + 2] == q {
                return i + 3;
            }
            i += 1;
        }
        return code.len();
    }
    let mut i = at + 1;
    while i < code.len() {
        match code[i] {
            b'\\' => i += 2,
            b'\n' if q != b'`' => return i,
            c if c == q => return i + 1,
            _ => i += 1,
        }
    }
    code.len()
}

fn find(code: &[u8], from: usize, needle: &str) -> Option<usize> {
    let n = needle.as_bytes();
    code.get(from..)?
        .windows(n.len())
        .position(|w| w == n)
        .map(|p| from + p)
}

/// Whether the token ending at `end` is followed (after blanks) by the key
/// mark; YAML's colon must also end the word.
fn is_key(spec: &Spec, code: &[u8], end: usize) -> bool {
    let Some(mark) = spec.key_mark else {
        return false;
    };
    let mut i = end;
    while i < code.len() && (code[i] == b' ' || code[i] == b'\t') {
        i += 1;
    }
    if code.get(i) != Some(&mark) {
        return false;
    }
    spec.name != "yaml" || code.get(i + 1).is_none_or(|b| b.is_ascii_whitespace())
}

fn word_kind(spec: &Spec, word: &str) -> Option<Kind> {
    let folded;
    let word = if spec.fold_case {
        folded = word.to_ascii_lowercase();
        folded.as_str()
    } else {
        word
    };
    if spec.keywords.binary_search(&word).is_ok() {
        Some(Kind::Keyword)
    } else if spec.literals.binary_search(&word).is_ok() {
        Some(Kind::Literal)
    } else {
        None
    }
}

/// What the scanner does at one position.
enum Step {
    /// A token from here to the end index.
    Token(Kind, usize),
    /// Plain text up to the end index.
    Skip(usize),
}

fn step(spec: &Spec, src: &str, i: usize, braces: usize) -> Step {
    let code = src.as_bytes();
    let b = code[i];
    let after_blank = i == 0 || code[i - 1].is_ascii_whitespace();
    if let Some(c) = spec
        .line_comments
        .iter()
        .find(|c| code[i..].starts_with(c.as_bytes()))
    {
        if !(spec.hash_at_word_start && b == b'#' && !after_blank) {
            return Step::Token(
                Kind::Comment,
                find(code, i + c.len(), "\n").unwrap_or(code.len()),
            );
        }
    }
    if let Some((open, close)) = spec.block_comment {
        if code[i..].starts_with(open.as_bytes()) {
            let end = find(code, i + open.len(), close).map_or(code.len(), |e| e + close.len());
            return Step::Token(Kind::Comment, end);
        }
    }
    if spec.quotes.contains(&b) {
        let triple = spec.triple_quotes && code[i..].starts_with(&[b, b, b]);
        let end = string_end(code, i, triple);
        let kind = if is_key(spec, code, end) {
            Kind::Key
        } else {
            Kind::Str
        };
        return Step::Token(kind, end);
    }
    if spec.meta == Some(b) && (b != b'#' || after_blank) {
        let mut end = i + 1;
        if b == b'$' && code.get(end) == Some(&b'{') {
            end = find(code, end, "}").map_or(code.len(), |e| e + 1);
        } else {
            while end < code.len() && is_word(code[end], spec.dash_in_words) {
                end += 1;
            }
        }
        return if end > i + 1 {
            Step::Token(Kind::Meta, end)
        } else {
            Step::Skip(end)
        };
    }
    if b.is_ascii_digit() {
        let mut end = i + 1;
        while end < code.len() && (is_word(code[end], false) || code[end] == b'.') {
            end += 1;
        }
        return Step::Token(Kind::Number, end);
    }
    if is_word(b, false) || b == b'~' || (b == b'!' && spec.name == "css") {
        // a word is taken whole, so keywords are never found inside names
        let mut end = i + 1;
        while end < code.len() && is_word(code[end], spec.dash_in_words) {
            end += 1;
        }
        if is_key(spec, code, end) && (spec.name != "css" || braces > 0) {
            return Step::Token(Kind::Key, end);
        }
        return word_kind(spec, &src[i..end]).map_or(Step::Skip(end), |k| Step::Token(k, end));
    }
    Step::Skip(i + 1)
}

fn scan(spec: &Spec, src: &str, out: &mut Out) {
    let code = src.as_bytes();
    let mut i = 0;
    // CSS: a word followed by ':' is a property only inside braces
    let mut braces = 0usize;
    while i < code.len() {
        match code[i] {
            b'{' => braces += 1,
            b'}' => braces = braces.saturating_sub(1),
            _ => {}
        }
        i = match step(spec, src, i, braces) {
            Step::Token(kind, end) => out.span(src, kind, i, end),
            Step::Skip(end) => end,
        };
    }
    out.finish(src);
}

/// HTML and XML: tags as keywords, attribute names as keys, values as
/// strings, comments as comments.
/// End of a tag or attribute name starting at `from`.
fn name_end(code: &[u8], from: usize) -> usize {
    let mut end = from;
    while end < code.len() && (is_word(code[end], true) || code[end] == b':') {
        end += 1;
    }
    end
}

fn scan_markup(src: &str, out: &mut Out) {
    let code = src.as_bytes();
    let mut i = 0;
    while i < code.len() {
        if code[i..].starts_with(b"<!--") {
            let end = find(code, i + 4, "-->").map_or(code.len(), |e| e + 3);
            i = out.span(src, Kind::Comment, i, end);
            continue;
        }
        let name_at = i + 1 + usize::from(code.get(i + 1) == Some(&b'/'));
        if code[i] != b'<' || !code.get(name_at).is_some_and(u8::is_ascii_alphabetic) {
            i += 1;
            continue;
        }
        i = out.span(src, Kind::Keyword, name_at, name_end(code, name_at));
        // attributes up to the tag's end
        while i < code.len() && code[i] != b'>' && code[i] != b'<' {
            let b = code[i];
            if b == b'"' || b == b'\'' {
                let end = find(code, i + 1, if b == b'"' { "\"" } else { "'" })
                    .map_or(code.len(), |e| e + 1);
                i = out.span(src, Kind::Str, i, end);
            } else if b.is_ascii_alphabetic() && !is_word(code[i - 1], true) {
                i = out.span(src, Kind::Key, i, name_end(code, i));
            } else {
                i += 1;
            }
        }
    }
    out.finish(src);
}

/// The events with every fenced block in a known language replaced by its
/// highlighted HTML (other blocks pass unchanged).
pub fn code_blocks(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut out = Vec::with_capacity(events.len());
    let mut open: Option<(Lang, String)> = None;
    for event in events {
        match (&mut open, event) {
            (None, Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))) => {
                if let Some(lang) = spec(&info) {
                    open = Some((lang, String::new()));
                } else {
                    out.push(Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))));
                }
            }
            (Some((_, code)), Event::Text(text)) => code.push_str(&text),
            (Some(_), Event::End(TagEnd::CodeBlock)) => {
                let (lang, code) = open.take().expect("open block");
                let html = format!(
                    "<pre><code class=\"language-{}\">{}</code></pre>\n",
                    lang.name(),
                    lang.highlight(&code)
                );
                out.push(Event::Html(CowStr::from(html)));
            }
            (_, event) => out.push(event),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hl(lang: &str, code: &str) -> String {
        spec(lang).expect("known language").highlight(code)
    }

    #[test]
    fn keyword_lists_are_sorted_for_binary_search() {
        for spec in [
            &RUST,
            &PYTHON,
            &JAVASCRIPT,
            &TYPESCRIPT,
            &GO,
            &JAVA,
            &C,
            &CPP,
            &CSHARP,
            &SQL,
            &BASH,
            &JSON,
            &YAML,
            &TOML,
            &CSS,
        ] {
            for list in [spec.keywords, spec.literals] {
                assert!(
                    list.windows(2).all(|w| w[0] < w[1]),
                    "{}: {list:?}",
                    spec.name
                );
            }
        }
    }

    #[test]
    fn rust_tokens_get_their_classes() {
        let html = hl(
            "rust",
            "fn main() { let s = \"a<b\"; // done\n let n = 42; }",
        );
        assert!(
            html.starts_with(r#"<span class="hl-k">fn</span> main()"#),
            "{html}"
        );
        assert!(
            html.contains(r#"<span class="hl-s">&quot;a&lt;b&quot;</span>"#),
            "{html}"
        );
        assert!(
            html.contains(r#"<span class="hl-c">// done</span>"#),
            "{html}"
        );
        assert!(html.contains(r#"<span class="hl-n">42</span>"#), "{html}");
    }

    #[test]
    fn keywords_inside_identifiers_stay_plain() {
        let html = hl("python", "format_if = classify(x1)");
        assert_eq!(html, "format_if = classify(x1)");
    }

    #[test]
    fn data_languages_mark_keys() {
        assert!(hl("json", r#"{"a": "b", "n": null}"#).contains(
            r#"<span class="hl-a">&quot;a&quot;</span>: <span class="hl-s">&quot;b&quot;</span>"#
        ));
        assert!(hl("yaml", "name: web # the app\nport: 80").contains(
            r#"<span class="hl-a">name</span>: web <span class="hl-c"># the app</span>"#
        ));
        assert!(hl("toml", "[package]\nname = \"x\"").contains(r#"<span class="hl-a">name</span>"#));
    }

    #[test]
    fn shell_hash_needs_a_word_start_and_variables_are_meta() {
        let html = hl("bash", "echo ${#arr} $HOME # note");
        assert!(
            html.contains(r#"<span class="hl-m">${#arr}</span>"#),
            "{html}"
        );
        assert!(
            html.contains(r#"<span class="hl-m">$HOME</span>"#),
            "{html}"
        );
        assert!(
            html.contains(r#"<span class="hl-c"># note</span>"#),
            "{html}"
        );
    }

    #[test]
    fn sql_keywords_in_any_case() {
        let html = hl("sql", "select id FROM t -- x");
        assert!(html.contains(r#"<span class="hl-k">select</span>"#));
        assert!(html.contains(r#"<span class="hl-k">FROM</span>"#));
    }

    #[test]
    fn markup_tags_attributes_and_values() {
        let html = hl("html", r#"<a href="/x">y</a><!-- c -->"#);
        assert_eq!(
            html,
            "&lt;<span class=\"hl-k\">a</span> <span class=\"hl-a\">href</span>=\
             <span class=\"hl-s\">&quot;/x&quot;</span>&gt;y&lt;/<span class=\"hl-k\">a</span>&gt;\
             <span class=\"hl-c\">&lt;!-- c --&gt;</span>"
        );
    }

    #[test]
    fn unterminated_tokens_and_multibyte_text_are_safe() {
        for (lang, code) in [
            ("rust", "/* open"),
            ("python", "'''never closed"),
            ("js", "`tpl"),
            ("html", "<div class=\"x"),
            ("bash", "${"),
            ("c", "#"),
            ("rust", "\"é\\"),
            ("go", "привет := \"мир\""),
        ] {
            let html = hl(lang, code);
            assert!(!html.contains('<') || html.contains("<span"), "{html}");
        }
    }
}
