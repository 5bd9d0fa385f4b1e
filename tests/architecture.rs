//! The layering rules of `docs/ARCHITECTURE.md`, checked on the source:
//!
//! 1. domain code (everything outside `web/`, the handlers and the view
//!    functions, apart from loco's entry points) names nothing in `web`,
//!    in a `handlers` module or in a `views` module;
//! 2. no feature module reaches into another one's `handlers` or `views`,
//!    and those stay private (`mod handlers;`, `mod views;`);
//! 3. a feature module uses another only through what the other's `mod.rs`
//!    declares public.
//!
//! The compiler already refuses private paths; these rules also catch a
//! `pub` added in passing and the `web` imports it would allow.
use std::{
    collections::{BTreeMap, BTreeSet, HashMap},
    fs,
    path::{Path, PathBuf},
};

use syn::visit::Visit;

const FEATURES: [&str; 6] = [
    "users",
    "forum",
    "reviews",
    "votes",
    "admin",
    "notifications",
];
/// Loco's entry points and the HTTP layer: they may use everything.
const EDGE: [&str; 6] = ["app", "lib", "web", "tasks", "initializers", "bin"];

/// A source file: its module path below `crate` and its syntax tree.
struct Source {
    file: String,
    module: Vec<String>,
    ast: syn::File,
}

impl Source {
    fn parse(file: &str, text: &str) -> Self {
        let rel = file.trim_start_matches("src/").trim_end_matches(".rs");
        let mut module: Vec<String> = rel.split('/').map(str::to_string).collect();
        if module.last().is_some_and(|m| m == "mod" || m == "lib") {
            module.pop();
        }
        let ast = syn::parse_file(text).unwrap_or_else(|e| panic!("{file}: {e}"));
        Self {
            file: file.to_string(),
            module,
            ast,
        }
    }

    fn top(&self) -> &str {
        self.module.first().map_or("lib", String::as_str)
    }

    fn feature(&self) -> Option<&str> {
        FEATURES.iter().copied().find(|f| *f == self.top())
    }

    /// Domain code: not an entry point, not the HTTP layer, not a handler
    /// or a view function.
    fn is_domain(&self) -> bool {
        !EDGE.contains(&self.top()) && !self.module.iter().any(|m| m == "handlers" || m == "views")
    }
}

/// Every `crate::…` path a file names, made absolute (`super`, `self` and
/// names brought in by `use` resolved).
#[derive(Default)]
struct Paths {
    scope: Vec<String>,
    aliases: HashMap<String, Vec<String>>,
    found: BTreeSet<Vec<String>>,
}

impl Paths {
    fn of(source: &Source) -> BTreeSet<Vec<String>> {
        let mut paths = Self {
            scope: source.module.clone(),
            ..Self::default()
        };
        // `use` items first, so that later paths resolve through them
        for item in &source.ast.items {
            if let syn::Item::Use(u) = item {
                paths.use_tree(&u.tree, Vec::new());
            }
        }
        paths.visit_file(&source.ast);
        paths.found
    }

    /// Resolves a path's leading segments; `None` for paths outside the crate.
    fn absolute(&self, segments: &[String]) -> Option<Vec<String>> {
        let first = segments.first()?;
        let mut out = match first.as_str() {
            "crate" => Vec::new(),
            "self" => self.scope.clone(),
            "super" => self.scope.clone(),
            "nightcoder" => Vec::new(),
            name => self.aliases.get(name)?.clone(),
        };
        let mut rest = &segments[1..];
        if first == "super" {
            out.pop();
            while rest.first().is_some_and(|s| s == "super") {
                out.pop();
                rest = &rest[1..];
            }
        }
        out.extend(rest.iter().cloned());
        Some(out)
    }

    fn use_tree(&mut self, tree: &syn::UseTree, prefix: Vec<String>) {
        let with = |name: &syn::Ident| {
            let mut p = prefix.clone();
            p.push(name.to_string());
            p
        };
        match tree {
            syn::UseTree::Path(p) => self.use_tree(&p.tree, with(&p.ident)),
            syn::UseTree::Name(n) => self.record_use(&with(&n.ident), n.ident.to_string()),
            syn::UseTree::Rename(r) => self.record_use(&with(&r.ident), r.rename.to_string()),
            syn::UseTree::Glob(_) => {
                if let Some(abs) = self.absolute(&prefix) {
                    self.found.insert(abs);
                }
            }
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    self.use_tree(t, prefix.clone());
                }
            }
        }
    }

    fn record_use(&mut self, path: &[String], local: String) {
        // `use foo::{self}` names the module `foo`
        let path: Vec<String> = if path.last().is_some_and(|s| s == "self") {
            path[..path.len() - 1].to_vec()
        } else {
            path.to_vec()
        };
        if let Some(abs) = self.absolute(&path) {
            self.found.insert(abs.clone());
            let local = if local == "self" {
                path.last().cloned().unwrap_or_default()
            } else {
                local
            };
            self.aliases.insert(local, abs);
        }
    }
}

impl<'ast> Visit<'ast> for Paths {
    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        if m.content.is_some() {
            self.scope.push(m.ident.to_string());
            let saved = self.aliases.clone();
            for item in m.content.iter().flat_map(|(_, items)| items) {
                if let syn::Item::Use(u) = item {
                    self.use_tree(&u.tree, Vec::new());
                }
            }
            syn::visit::visit_item_mod(self, m);
            self.aliases = saved;
            self.scope.pop();
        }
    }

    fn visit_item_use(&mut self, _: &'ast syn::ItemUse) {
        // already recorded, with the aliases they bring
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        if segments.len() > 1 {
            if let Some(abs) = self.absolute(&segments) {
                self.found.insert(abs);
            }
        }
        syn::visit::visit_path(self, path);
    }
}

/// What a feature module's `mod.rs` makes public: `pub mod`, `pub use`
/// (by the name it is used under) and public items.
fn public_api(ast: &syn::File) -> (BTreeSet<String>, BTreeSet<String>) {
    fn leaves(tree: &syn::UseTree, out: &mut BTreeSet<String>) {
        match tree {
            syn::UseTree::Path(p) => leaves(&p.tree, out),
            syn::UseTree::Name(n) => {
                out.insert(n.ident.to_string());
            }
            syn::UseTree::Rename(r) => {
                out.insert(r.rename.to_string());
            }
            syn::UseTree::Glob(_) => {
                out.insert("*".into());
            }
            syn::UseTree::Group(g) => g.items.iter().for_each(|t| leaves(t, out)),
        }
    }
    let public = |v: &syn::Visibility| !matches!(v, syn::Visibility::Inherited);
    let mut api = BTreeSet::new();
    let mut private_mods = BTreeSet::new();
    for item in &ast.items {
        let (vis, name) = match item {
            syn::Item::Use(u) => {
                if public(&u.vis) {
                    leaves(&u.tree, &mut api);
                }
                continue;
            }
            syn::Item::Mod(m) => {
                if !public(&m.vis) {
                    private_mods.insert(m.ident.to_string());
                }
                (&m.vis, &m.ident)
            }
            syn::Item::Fn(f) => (&f.vis, &f.sig.ident),
            syn::Item::Struct(s) => (&s.vis, &s.ident),
            syn::Item::Enum(e) => (&e.vis, &e.ident),
            syn::Item::Const(c) => (&c.vis, &c.ident),
            syn::Item::Static(s) => (&s.vis, &s.ident),
            syn::Item::Type(t) => (&t.vis, &t.ident),
            syn::Item::Trait(t) => (&t.vis, &t.ident),
            _ => continue,
        };
        if public(vis) {
            api.insert(name.to_string());
        }
    }
    (api, private_mods)
}

/// The rules, applied to `sources`: the list of broken ones, and the
/// cross-module references (file → `module::item`) for the figures.
fn check(sources: &[Source]) -> (Vec<String>, BTreeMap<String, BTreeSet<String>>) {
    let apis: HashMap<&str, (BTreeSet<String>, BTreeSet<String>)> = sources
        .iter()
        .filter(|s| s.module.len() == 1 && s.feature().is_some())
        .map(|s| (s.top(), public_api(&s.ast)))
        .collect();
    let mut broken = Vec::new();
    let mut cross = BTreeMap::<String, BTreeSet<String>>::new();
    for (feature, (_, private)) in &apis {
        for m in ["handlers", "views"] {
            if !private.contains(m) {
                broken.push(format!(
                    "src/{feature}/mod.rs: `{m}` must be a private module"
                ));
            }
        }
    }
    for source in sources {
        for path in Paths::of(source) {
            let Some(target) = path.first().map(String::as_str) else {
                continue;
            };
            let inner = path.get(1).map(String::as_str);
            let into_edge = matches!(inner, Some("handlers" | "views"));
            if source.is_domain() && (target == "web" || into_edge && source.top() == target) {
                broken.push(format!(
                    "{}: domain code uses {}",
                    source.file,
                    path.join("::")
                ));
            }
            if source.top() == target || !FEATURES.contains(&target) {
                continue;
            }
            let Some(item) = inner else { continue };
            if source.feature().is_some() {
                cross
                    .entry(source.file.clone())
                    .or_default()
                    .insert(format!("{target}::{item}"));
            }
            if into_edge {
                broken.push(format!("{}: uses {}", source.file, path.join("::")));
            } else if let Some((api, _)) = apis.get(target) {
                if !api.contains(item) && !api.contains("*") {
                    broken.push(format!(
                        "{}: {} is not in src/{target}/mod.rs's public API",
                        source.file,
                        path.join("::")
                    ));
                }
            }
        }
    }
    (broken, cross)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn crate_sources() -> Vec<Source> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    files.sort();
    files
        .iter()
        .map(|p| {
            let rel = p.strip_prefix(root).expect("under the root");
            let text = fs::read_to_string(p).expect("a readable source file");
            Source::parse(&rel.to_string_lossy(), &text)
        })
        .collect()
}

#[test]
fn the_layering_rules_hold_for_the_source_tree() {
    let sources = crate_sources();
    assert!(
        sources.len() > 50,
        "the scan found only {} files",
        sources.len()
    );
    let (broken, cross) = check(&sources);
    assert!(
        broken.is_empty(),
        "layering rules broken:\n{}",
        broken.join("\n")
    );
    let references: usize = cross.values().map(BTreeSet::len).sum();
    let arrows: BTreeSet<(String, String)> = sources
        .iter()
        .filter_map(|s| Some((s.feature()?.to_string(), cross.get(&s.file)?)))
        .flat_map(|(from, items)| {
            items
                .iter()
                .map(move |i| (from.clone(), i.split("::").next().unwrap_or("").to_string()))
        })
        .collect();
    // figures for the architecture notes (`-- --nocapture` shows them)
    println!(
        "{} files; {references} cross-module references from {} files; module arrows: {arrows:?}",
        sources.len(),
        cross.len()
    );
}

#[test]
fn the_scanner_catches_each_kind_of_forbidden_import() {
    let forum = Source::parse(
        "src/forum/mod.rs",
        "pub mod questions; mod handlers; pub mod views; pub fn visible() {}",
    );
    let users = Source::parse(
        "src/users/mod.rs",
        "mod handlers; mod views; pub mod actor;",
    );
    let bad = Source::parse(
        "src/forum/questions.rs",
        "use crate::web::auth::CurrentUser;
         use crate::{users::{self, handlers::auth}};
         use super::handlers::questions as h;
         fn f() { users::views::profile(); crate::users::secret(); users::actor::Actor::new(); }",
    );
    let (broken, cross) = check(&[forum, users, bad]);
    let expect = [
        "src/forum/mod.rs: `views` must be a private module",
        "src/forum/questions.rs: domain code uses web::auth::CurrentUser",
        "src/forum/questions.rs: uses users::handlers::auth",
        "src/forum/questions.rs: domain code uses forum::handlers::questions",
        "src/forum/questions.rs: uses users::views::profile",
        "src/forum/questions.rs: users::secret is not in src/users/mod.rs's public API",
    ];
    for e in expect {
        assert!(broken.iter().any(|b| b == e), "missed `{e}` in {broken:#?}");
    }
    assert_eq!(broken.len(), expect.len(), "{broken:#?}");
    assert!(cross["src/forum/questions.rs"].contains("users::actor"));
}
