//! Template-level rules that protect users: `| safe` only on sanitized HTML.
use regex::Regex;

#[test]
fn safe_filter_is_used_only_on_sanitized_html_fields() {
    let safe = Regex::new(r"\{\{\s*([^}|]+?)\s*\|\s*safe\s*\}\}").unwrap();
    let mut offenders = Vec::new();
    let mut stack = vec![std::path::PathBuf::from("assets/views")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for cap in safe.captures_iter(&text) {
                let expr = cap[1].trim();
                // components print their own rendered `body`; model fields must end in
                // _html; `_jsonld` fields are JSON with <, > and & escaped (forum::views)
                if !(expr.ends_with("_html") || expr.ends_with("_jsonld") || expr == "body") {
                    offenders.push(format!("{}: {expr}", path.display()));
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "`| safe` on a field that is not sanitized HTML: {offenders:?}"
    );
}
