//! Static files (Bootstrap, the site stylesheet and scripts) from
//! `assets/static`, with long cache lifetimes: every URL the templates
//! build carries `?v=<content hash>`, so a new release changes the URLs.
use std::sync::OnceLock;

use axum::{
    http::{header, HeaderValue, StatusCode},
    Router,
};
use sha2::{Digest, Sha256};
use tower_http::{
    services::{ServeDir, ServeFile},
    set_header::SetResponseHeaderLayer,
};

pub const DIR: &str = "assets/static";

/// Where those files are served.
pub const PREFIX: &str = "/static";

/// A short hash of every static file, computed once.
pub fn asset_version() -> &'static str {
    static VERSION: OnceLock<String> = OnceLock::new();
    VERSION.get_or_init(|| {
        let mut files = Vec::new();
        collect(std::path::Path::new(DIR), &mut files);
        files.sort();
        let mut hasher = Sha256::new();
        for file in files {
            hasher.update(file.to_string_lossy().as_bytes());
            if let Ok(bytes) = std::fs::read(&file) {
                hasher.update(&bytes);
            }
        }
        let digest = hasher.finalize();
        digest.iter().take(5).map(|b| format!("{b:02x}")).collect()
    })
}

fn collect(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// Mounts `/static` and `/favicon.ico`.
pub fn mount<S: Clone + Send + Sync + 'static>(app: Router<S>) -> Router<S> {
    let not_found = tower::service_fn(|_req| async {
        let mut res = axum::response::Response::new(axum::body::Body::from("not found"));
        *res.status_mut() = StatusCode::NOT_FOUND;
        Ok::<_, std::convert::Infallible>(res)
    });
    let cache = SetResponseHeaderLayer::overriding(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    let files = Router::new()
        .fallback_service(ServeDir::new(DIR).not_found_service(not_found))
        .layer(cache.clone());
    let favicon = Router::new()
        .fallback_service(ServeFile::new(format!("{DIR}/img/favicon.ico")))
        .layer(cache);
    app.nest_service(PREFIX, files)
        .nest_service("/favicon.ico", favicon)
}
