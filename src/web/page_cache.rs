//! The anonymous page cache: most readers of a public Q&A site are not
//! signed in, and for them a page is the same bytes until somebody writes.
//!
//! * Only `GET`s without cookies (a `lang` cookie aside) are looked up, and
//!   only `200 text/html` answers that set no cookie are kept: whatever is
//!   personal (a session, a flash, a CSRF cookie) bypasses the cache.
//! * Entries are keyed by language and URI, bounded in bytes (least
//!   recently and least often used go first) and live at most `ttl_seconds`
//!   (pages show relative times).
//! * A successful write (any other method, status below 400) empties this
//!   process's cache at once and marks it dirty; every `poll_ms` each
//!   process turns "dirty" into one bump of `page_cache_generation` and
//!   empties its cache when the generation moved, so every process sees a
//!   write within two polls. Writers are signed in, so they always see
//!   their change at once.
//! * A page rendered while a clear happened is not stored (the local epoch
//!   moved), so a stale render never outlives the write that made it stale.
//! * A page past its TTL is rendered anew by one request while the others
//!   are served the aged copy (up to twice the TTL), so a busy page aging
//!   is not rendered by every request waiting for it.
use std::{
    sync::{
        atomic::{AtomicBool, AtomicU64, Ordering},
        Arc, Once,
    },
    time::{Duration, Instant},
};

use crate::{settings::PageCacheSettings, web::auth::lang_of};
use axum::{
    body::{to_bytes, Body, Bytes, HttpBody},
    extract::{MatchedPath, Request, State},
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use quick_cache::{sync::Cache, Weighter};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

const REQUEST_ID: &str = "x-request-id";
const QUERY_COUNT: &str = "x-query-count";

/// Pages larger than this are served but not kept.
const MAX_PAGE_BYTES: usize = 512 * 1024;

type Key = (&'static str, String);

struct Entry {
    /// The local epoch the page was rendered in; a later clear voids it.
    epoch: u64,
    born: Instant,
    headers: HeaderMap,
    body: Bytes,
    /// A request is rendering this page anew since it aged past the TTL.
    refreshing: AtomicBool,
}

/// What a lookup found for a request.
enum Found {
    /// A page to serve: fresh, or aged while another request renders it anew.
    Serve(Arc<Entry>),
    /// This request renders the aged page anew; the others meanwhile get
    /// the aged one. Dropping the turn (the render failed or the client
    /// went away) lets the next request take it.
    Refresh(Refreshing),
    Miss,
}

struct Refreshing(Arc<Entry>);

impl Drop for Refreshing {
    fn drop(&mut self) {
        self.0.refreshing.store(false, Ordering::SeqCst);
    }
}

#[derive(Clone)]
struct Bytewise;

impl Weighter<Key, Arc<Entry>> for Bytewise {
    fn weight(&self, key: &Key, entry: &Arc<Entry>) -> u64 {
        let headers: usize = entry
            .headers
            .iter()
            .map(|(k, v)| k.as_str().len() + v.len())
            .sum();
        (key.1.len() + headers + entry.body.len() + 64) as u64
    }
}

struct Inner {
    pages: Cache<Key, Arc<Entry>, Bytewise>,
    ttl: Duration,
    poll: Duration,
    /// Moves at every clear; a render that saw another value is not kept.
    epoch: AtomicU64,
    /// A write happened here since the last poll.
    dirty: AtomicBool,
    db: DatabaseConnection,
    poller: Once,
}

/// Shared by the layer of every route; cheap to clone.
#[derive(Clone)]
pub struct PageCache(Option<Arc<Inner>>);

impl PageCache {
    #[must_use]
    pub fn new(settings: &PageCacheSettings, db: DatabaseConnection) -> Self {
        if !settings.enabled || settings.max_bytes == 0 {
            return Self(None);
        }
        let items = usize::try_from(settings.max_bytes / 16_384)
            .unwrap_or(1024)
            .max(16);
        Self(Some(Arc::new(Inner {
            pages: Cache::with_weighter(items, settings.max_bytes, Bytewise),
            ttl: Duration::from_secs(settings.ttl_seconds.max(1)),
            poll: Duration::from_millis(settings.poll_ms.clamp(20, 500)),
            epoch: AtomicU64::new(0),
            dirty: AtomicBool::new(false),
            db,
            poller: Once::new(),
        })))
    }
}

impl Inner {
    /// A page past its TTL is only a few relative times ("5 minutes ago")
    /// behind: one request renders it anew while the others keep getting it,
    /// instead of every waiting request rendering it at once (on 100k
    /// questions that put p99 at 33–66 ms each time a busy page aged). A
    /// write still voids it at once (the epoch), and it is never served
    /// past twice the TTL.
    fn find(&self, key: &Key) -> Found {
        let Some(entry) = self.pages.get(key) else {
            return Found::Miss;
        };
        if entry.epoch != self.epoch.load(Ordering::SeqCst) {
            self.pages.remove(key);
            return Found::Miss;
        }
        let age = entry.born.elapsed();
        if age < self.ttl {
            return Found::Serve(entry);
        }
        if !entry.refreshing.swap(true, Ordering::SeqCst) {
            return Found::Refresh(Refreshing(entry));
        }
        if age < self.ttl.saturating_mul(2) {
            return Found::Serve(entry);
        }
        Found::Miss
    }

    fn clear(&self) {
        self.epoch.fetch_add(1, Ordering::SeqCst);
        self.pages.clear();
        publish_size(&self.pages);
    }

    /// Started by the first request, inside the server's runtime.
    fn start_poller(self: &Arc<Self>) {
        let inner = Arc::clone(self);
        self.poller.call_once(move || {
            tokio::spawn(async move { inner.poll_forever().await });
        });
    }

    async fn poll_forever(self: Arc<Self>) {
        let mut seen: Option<i64> = None;
        let mut tick = tokio::time::interval(self.poll);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if self.dirty.swap(false, Ordering::SeqCst) {
                if let Err(err) = publish_write(&self.db).await {
                    // try again next time: the other processes must hear of it
                    self.dirty.store(true, Ordering::SeqCst);
                    tracing::warn!(error = %err, "cannot publish a write to the page caches");
                }
            }
            match generation(&self.db).await {
                Ok(now) => {
                    if seen.is_some_and(|before| before != now) {
                        self.clear();
                    }
                    seen = Some(now);
                }
                Err(err) => tracing::warn!(error = %err, "cannot read the page cache generation"),
            }
        }
    }
}

/// Tells every process's page cache that the pages changed (for writes
/// made outside a request, like tasks).
///
/// # Errors
/// When the database refuses the update.
pub async fn publish_write(db: &DatabaseConnection) -> Result<(), sea_orm::DbErr> {
    db.execute_unprepared(
        "UPDATE page_cache_generation SET generation = generation + 1 WHERE id = 1",
    )
    .await
    .map(|_| ())
}

async fn generation(db: &DatabaseConnection) -> Result<i64, sea_orm::DbErr> {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT generation FROM page_cache_generation WHERE id = 1",
        ))
        .await?;
    Ok(match row {
        Some(row) => row.try_get_by_index::<i64>(0)?,
        None => 0,
    })
}

fn publish_size(pages: &Cache<Key, Arc<Entry>, Bytewise>) {
    #[allow(clippy::cast_precision_loss)]
    {
        metrics::gauge!("nightcoder_page_cache_bytes").set(pages.weight() as f64);
        metrics::gauge!("nightcoder_page_cache_entries").set(pages.len() as f64);
    }
}

/// Whether the request carries nothing personal: no cookie but `lang`, no
/// credentials.
fn anonymous(headers: &HeaderMap) -> bool {
    if headers.contains_key(header::AUTHORIZATION) {
        return false;
    }
    headers.get_all(header::COOKIE).iter().all(|value| {
        value.to_str().is_ok_and(|cookies| {
            cookies
                .split(';')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .all(|c| c.starts_with("lang="))
        })
    })
}

/// Files served as they are (never kept: not HTML): no lookup, and no
/// miss counted against the pages.
fn is_asset(path: &str) -> bool {
    path.strip_prefix(crate::web::static_files::PREFIX)
        .is_some_and(|rest| rest.starts_with('/'))
        || path == "/favicon.ico"
}

/// POSTs whose success changes nothing a visitor sees: the language
/// cookie, logging in and out, asking for a reset mail, the live preview.
/// They must not empty every process's cache (typing would keep it empty).
fn changes_nothing_public(path: &str) -> bool {
    matches!(
        path,
        "/lang" | "/login" | "/logout" | "/password/forgot" | "/preview"
    )
}

/// Whether a POST's answer says it changed something: forms redirect after
/// a write (303) and the script's requests get JSON; a form that comes back
/// as a page (a preview, "check similar", a refused input) wrote nothing.
fn wrote(res: &Response) -> bool {
    let status = res.status();
    status.is_redirection()
        || (status.is_success()
            && res
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("application/json")))
}

fn keepable(res: &Response) -> bool {
    res.status() == StatusCode::OK
        && !res.headers().contains_key(header::SET_COOKIE)
        && !res.headers().contains_key(header::CONTENT_ENCODING)
        && !res.headers().contains_key(header::VARY)
        && res
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"))
}

/// A kept page as a fresh answer: the stored headers, but this request's
/// own id, and no queries.
fn served(entry: &Entry, req: &Request, started: Instant) -> Response {
    metrics::counter!("nightcoder_page_cache_hits_total").increment(1);
    let mut res = Response::new(Body::from(entry.body.clone()));
    *res.headers_mut() = entry.headers.clone();
    let headers = res.headers_mut();
    headers.insert(REQUEST_ID, request_id(req.headers()));
    if headers.contains_key(QUERY_COUNT) {
        headers.insert(QUERY_COUNT, HeaderValue::from_static("0"));
    }
    // for operators and the deployment test: which answers were kept
    headers.insert("x-page-cache", HeaderValue::from_static("hit"));
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str);
    crate::web::metrics::record(route.to_string(), "GET".to_string(), 200, started);
    res
}

/// The client's `x-request-id` when it is a plain token (as loco keeps
/// it), else a new one.
fn request_id(headers: &HeaderMap) -> HeaderValue {
    headers
        .get(REQUEST_ID)
        .filter(|v| {
            let b = v.as_bytes();
            !b.is_empty()
                && b.len() <= 255
                && b.iter()
                    .all(|c| c.is_ascii_alphanumeric() || b"-_.".contains(c))
        })
        .cloned()
        .unwrap_or_else(|| {
            HeaderValue::from_str(&uuid::Uuid::new_v4().to_string())
                .unwrap_or_else(|_| HeaderValue::from_static("-"))
        })
}

/// Layer: answers anonymous reads from the cache and keeps what it may.
pub async fn layer(State(cache): State<PageCache>, req: Request, next: Next) -> Response {
    let Some(inner) = cache.0 else {
        return next.run(req).await;
    };
    inner.start_poller();
    let method = req.method().clone();
    if method != Method::GET {
        let unseen = changes_nothing_public(req.uri().path());
        let res = next.run(req).await;
        let safe = matches!(method, Method::HEAD | Method::OPTIONS);
        if !safe && !unseen && wrote(&res) {
            inner.clear();
            inner.dirty.store(true, Ordering::SeqCst);
        }
        return res;
    }
    if !anonymous(req.headers()) || is_asset(req.uri().path()) {
        return next.run(req).await;
    }
    let started = Instant::now();
    let key: Key = (lang_of(req.headers()).code(), req.uri().to_string());
    let turn = match inner.find(&key) {
        Found::Serve(entry) => return served(&entry, &req, started),
        Found::Refresh(turn) => Some(turn),
        Found::Miss => None,
    };
    metrics::counter!("nightcoder_page_cache_misses_total").increment(1);
    let epoch = inner.epoch.load(Ordering::SeqCst);
    let born = Instant::now();
    let res = next.run(req).await;
    if !keepable(&res) {
        if turn.is_some() {
            // the page no longer renders as a kept page (gone, or personal)
            inner.pages.remove(&key);
        }
        return res;
    }
    // rendered pages know their length; a stream or a huge page passes by
    let small = res
        .body()
        .size_hint()
        .upper()
        .is_some_and(|n| n <= MAX_PAGE_BYTES as u64);
    if !small {
        if turn.is_some() {
            inner.pages.remove(&key);
        }
        return res;
    }
    let (parts, body) = res.into_parts();
    let Ok(body) = to_bytes(body, MAX_PAGE_BYTES).await else {
        return StatusCode::BAD_GATEWAY.into_response();
    };
    if inner.epoch.load(Ordering::SeqCst) == epoch {
        inner.pages.insert(
            key,
            Arc::new(Entry {
                epoch,
                born,
                headers: parts.headers.clone(),
                body: body.clone(),
                refreshing: AtomicBool::new(false),
            }),
        );
        publish_size(&inner.pages);
    }
    Response::from_parts(parts, Body::from(body))
}
