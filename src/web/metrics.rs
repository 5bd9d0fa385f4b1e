//! Prometheus metrics: requests by route template and status, latency
//! histograms, the database pool, the mail queue, and the counters the
//! domain records (votes and ledger rows written, rate-limit refusals,
//! page-cache hits). `GET /metrics` renders them for clients inside the
//! allowed networks only; everyone else gets the 404 of a page that does
//! not exist.
use std::{
    sync::OnceLock,
    time::{Duration, Instant},
};

use axum::{
    extract::{MatchedPath, Request, State},
    http::{header, HeaderValue, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use ipnet::IpNet;
use loco_rs::{
    app::AppContext,
    controller::middleware::remote_ip::RemoteIP,
    prelude::{get, Routes},
};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::{jobs, settings::Settings};

/// Latency buckets, in seconds: fine where pages live (1–50 ms).
const BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// How often the recorder folds recorded latencies into its buckets.
const UPKEEP: Duration = Duration::from_secs(1);

/// The process-wide recorder (installed once; every app in a test process
/// shares it).
///
/// A histogram keeps every recorded value until upkeep folds it into the
/// buckets, and only a scrape ran upkeep: where nobody scraped `/metrics`,
/// each request kept its latency for good (anonymous RSS grew 25 MiB per
/// 30 s of page-cache hits in the page benchmark). A thread now runs it
/// every second, whether anyone scrapes or not.
pub fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Suffix("duration_seconds".to_string()), BUCKETS)
            .expect("static buckets are valid")
            .build_recorder();
        let handle = recorder.handle();
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("a metrics recorder was installed already");
        }
        let upkeep = handle.clone();
        if let Err(error) = std::thread::Builder::new()
            .name("metrics-upkeep".into())
            .spawn(move || loop {
                std::thread::sleep(UPKEEP);
                upkeep.run_upkeep();
            })
        {
            tracing::error!(%error, "cannot start the metrics upkeep thread");
        }
        handle
    })
}

/// Layer: counts and times every request by its route template (never the
/// raw path, so ids do not explode the series).
pub async fn layer(req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str)
        .to_string();
    let method = req.method().as_str().to_string();
    let started = Instant::now();
    let res = next.run(req).await;
    record(route, method, res.status().as_u16(), started);
    res
}

/// Counts one answered request (also for page-cache hits, which are
/// answered outside this layer).
pub fn record(route: String, method: String, status: u16, started: Instant) {
    metrics::histogram!(
        "nightcoder_http_request_duration_seconds",
        "route" => route.clone(),
        "method" => method.clone()
    )
    .record(started.elapsed().as_secs_f64());
    metrics::counter!(
        "nightcoder_http_requests_total",
        "route" => route,
        "method" => method,
        "status" => status.to_string()
    )
    .increment(1);
}

/// Whether `ip` may read the metrics.
#[must_use]
pub fn allowed(allow: &[String], ip: &RemoteIP) -> bool {
    let ip = match ip {
        RemoteIP::Forwarded(ip) | RemoteIP::Socket(ip) => *ip,
        // in-process tests have no socket: treat them as local
        RemoteIP::None => return true,
    };
    let ip = match ip {
        std::net::IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, std::net::IpAddr::V4),
        v4 => v4,
    };
    allow
        .iter()
        .filter_map(|net| net.parse::<IpNet>().ok())
        .any(|net| net.contains(&ip))
}

/// The gauges read at scrape time: the pool, the queue, the memory.
async fn sample(ctx: &AppContext) {
    let (size, idle) = match ctx.db.get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => {
            let pool = ctx.db.get_postgres_connection_pool();
            (pool.size(), pool.num_idle())
        }
        _ => {
            let pool = ctx.db.get_sqlite_connection_pool();
            (pool.size(), pool.num_idle())
        }
    };
    let idle = u32::try_from(idle).unwrap_or(u32::MAX);
    metrics::gauge!("nightcoder_db_pool_connections", "state" => "idle").set(f64::from(idle));
    metrics::gauge!("nightcoder_db_pool_connections", "state" => "in_use")
        .set(f64::from(size.saturating_sub(idle)));
    match jobs::depth(&ctx.db).await {
        Ok(depth) => {
            #[expect(clippy::cast_precision_loss, reason = "a queue length")]
            metrics::gauge!("nightcoder_mail_queue_depth").set(depth.waiting as f64);
            let age = depth.oldest_due.map_or(0, |due| {
                (chrono::Utc::now() - due.to_utc()).num_seconds().max(0)
            });
            #[expect(clippy::cast_precision_loss, reason = "seconds")]
            metrics::gauge!("nightcoder_mail_queue_oldest_seconds").set(age as f64);
        }
        Err(error) => tracing::warn!(%error, "the job queue cannot be read for metrics"),
    }
    if let Ok(status) = std::fs::read_to_string("/proc/self/status") {
        if let Some(kb) = status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        {
            metrics::gauge!("nightcoder_process_resident_memory_bytes").set(kb * 1024.0);
        }
    }
}

async fn scrape(State(ctx): State<AppContext>, ip: RemoteIP) -> Response {
    if !allowed(&Settings::get(&ctx).metrics_allow, &ip) {
        return StatusCode::NOT_FOUND.into_response();
    }
    sample(&ctx).await;
    let handle = handle();
    handle.run_upkeep();
    let mut res = handle.render().into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    res
}

pub fn routes() -> Routes {
    Routes::new().add("/metrics", get(scrape))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_allowed_networks_read_the_metrics() {
        let allow: Vec<String> = ["127.0.0.0/8", "10.0.0.0/8"].map(str::to_string).to_vec();
        let at = |s: &str| RemoteIP::Forwarded(s.parse().unwrap());
        assert!(allowed(&allow, &at("127.0.0.1")));
        assert!(allowed(&allow, &at("10.1.2.3")));
        assert!(allowed(&allow, &at("::ffff:10.1.2.3")));
        assert!(!allowed(&allow, &at("203.0.113.7")));
        assert!(!allowed(&allow, &at("2001:db8::1")));
    }
}
