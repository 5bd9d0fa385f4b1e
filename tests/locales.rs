//! Every user-visible string goes through Fluent, in both languages.
use std::{
    collections::BTreeSet,
    path::{Path, PathBuf},
};

use fluent_syntax::{ast, parser};
use nightcoder::i18n::{ago, t, t_args, Arg, Lang};
use regex::Regex;

fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

/// Message ids (with `.attribute` suffixes) defined in one locale directory.
fn keys(locale: &str) -> BTreeSet<String> {
    let mut paths = Vec::new();
    files(&Path::new("locales").join(locale), "ftl", &mut paths);
    assert!(!paths.is_empty(), "no .ftl files for {locale}");
    let mut keys = BTreeSet::new();
    for path in paths {
        let source = std::fs::read_to_string(&path).unwrap();
        let resource = parser::parse(source.as_str())
            .unwrap_or_else(|(_, errors)| panic!("{} does not parse: {errors:?}", path.display()));
        for entry in resource.body {
            match entry {
                ast::Entry::Message(m) => {
                    assert!(
                        keys.insert(m.id.name.to_string()),
                        "{} defined twice in {locale}",
                        m.id.name
                    );
                    for a in m.attributes {
                        keys.insert(format!("{}.{}", m.id.name, a.id.name));
                    }
                }
                ast::Entry::Term(term) => {
                    keys.insert(format!("-{}", term.id.name));
                }
                _ => {}
            }
        }
    }
    keys
}

#[test]
fn both_locales_define_exactly_the_same_keys() {
    let en = keys("en-US");
    let ru = keys("ru-RU");
    let only_en: Vec<_> = en.difference(&ru).collect();
    let only_ru: Vec<_> = ru.difference(&en).collect();
    assert!(
        only_en.is_empty() && only_ru.is_empty(),
        "only in en-US: {only_en:?}; only in ru-RU: {only_ru:?}"
    );
    assert!(en.len() > 100, "suspiciously few keys: {}", en.len());
}

#[test]
fn every_literal_key_in_templates_and_code_exists() {
    let en = keys("en-US");
    let mut missing = BTreeSet::new();
    let template_key = Regex::new(r#"\bt\(key=["']([a-z0-9-]+)["']"#).unwrap();
    let mut templates = Vec::new();
    files(Path::new("assets/views"), "html", &mut templates);
    for path in &templates {
        let text = std::fs::read_to_string(path).unwrap();
        for cap in template_key.captures_iter(&text) {
            // `t(key="role-" ~ x)` builds the key at render time
            if !cap[1].ends_with('-') && !en.contains(&cap[1]) {
                missing.insert(format!("{}: {}", path.display(), &cap[1]));
            }
        }
    }
    // Rust code names keys as string literals that look like Fluent ids
    let code_key = Regex::new(r#""((?:error|flash|email|time|field|help|vote|flag|admin|review|question|answer)-[a-z0-9-]+)""#).unwrap();
    let mut sources = Vec::new();
    files(Path::new("src"), "rs", &mut sources);
    for path in &sources {
        let text = std::fs::read_to_string(path).unwrap();
        for cap in code_key.captures_iter(&text) {
            if !en.contains(&cap[1]) {
                missing.insert(format!("{}: {}", path.display(), &cap[1]));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "keys used but not defined: {missing:#?}"
    );
}

/// Strips Tera and HTML, leaving what a reader would see.
fn visible_text(template: &str) -> (String, Vec<String>) {
    let mut s = template.to_string();
    for pattern in [
        r"(?s)\{#.*?#\}",
        r"(?s)\{%.*?%\}",
        r"(?s)\{\{.*?\}\}",
        r"(?s)<script.*?</script>",
        r"(?s)<style.*?</style>",
    ] {
        s = Regex::new(pattern)
            .unwrap()
            .replace_all(&s, " ")
            .into_owned();
    }
    let attr =
        Regex::new(r#"(?i)\b(placeholder|title|alt|aria-label|label|data-confirm)="([^"]*)""#)
            .unwrap();
    let attrs = attr.captures_iter(&s).map(|c| c[2].to_string()).collect();
    let text = Regex::new(r"(?s)<[^>]*>")
        .unwrap()
        .replace_all(&s, " ")
        .into_owned();
    (text, attrs)
}

#[test]
fn templates_have_no_visible_text_outside_t() {
    let letter = Regex::new(r"\p{L}").unwrap();
    let entity = Regex::new(r"&[a-z]+;|&#\d+;").unwrap();
    let mut templates = Vec::new();
    files(Path::new("assets/views"), "html", &mut templates);
    assert!(templates.len() > 10);
    let mut offenders = Vec::new();
    for path in &templates {
        let source = std::fs::read_to_string(path).unwrap();
        let (text, attrs) = visible_text(&source);
        let text = entity.replace_all(&text, " ");
        for word in text.split_whitespace().filter(|w| letter.is_match(w)) {
            offenders.push(format!("{}: text {word:?}", path.display()));
        }
        for value in attrs.iter().filter(|v| letter.is_match(v)) {
            offenders.push(format!("{}: attribute {value:?}", path.display()));
        }
    }
    assert!(
        offenders.is_empty(),
        "user-visible text outside t(...):\n{}",
        offenders.join("\n")
    );
}

#[test]
fn the_text_check_catches_raw_text() {
    let (text, attrs) =
        visible_text(r#"<p>Hello {{ t(key="x") }}</p><input placeholder="Search">"#);
    assert!(text.contains("Hello"));
    assert_eq!(attrs, vec!["Search".to_string()]);
}

#[test]
fn russian_relative_times_use_plural_forms() {
    let now = chrono::Utc::now();
    let minutes = |n: i64| ago(Lang::Ru, now - chrono::Duration::minutes(n), now);
    assert_eq!(minutes(1), "1 минуту назад");
    assert_eq!(minutes(3), "3 минуты назад");
    assert_eq!(minutes(5), "5 минут назад");
    assert_eq!(minutes(21), "21 минуту назад");
    assert_eq!(minutes(12), "12 минут назад");
    assert_eq!(
        ago(Lang::Ru, now - chrono::Duration::days(2), now),
        "2 дня назад"
    );
    assert_eq!(
        ago(Lang::En, now - chrono::Duration::minutes(1), now),
        "1 minute ago"
    );
    assert_eq!(
        ago(Lang::En, now - chrono::Duration::hours(5), now),
        "5 hours ago"
    );
    assert_eq!(ago(Lang::En, now, now), "just now");
}

#[test]
fn messages_take_arguments_in_both_languages() {
    assert_eq!(
        t_args(Lang::En, "error-too-long", &[("max", Arg::Num(10))]),
        "At most 10 characters."
    );
    assert_eq!(
        t_args(Lang::Ru, "error-too-long", &[("max", Arg::Num(10))]),
        "Не больше 10 символов."
    );
    assert_eq!(t(Lang::Ru, "nav-login"), "Войти");
}
