//! `/metrics`: Prometheus text with the request, vote, ledger, limit and
//! queue figures, readable from the allowed networks only.
use crate::support::TestApp;

fn value(text: &str, prefix: &str) -> f64 {
    text.lines()
        .filter(|l| l.starts_with(prefix))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

#[tokio::test]
async fn metrics_count_requests_votes_ledger_rows_and_refusals() {
    let app = TestApp::with_settings(|s| {
        s["limits"]["login_client"] = serde_json::json!([{ "max": 1, "per_secs": 3600 }]);
    })
    .await;
    let author = app.create_user("author").await;
    let q = app.question(&author, "A question to measure", "rust").await;
    let (_, voter) = app.login_as("voter").await;
    let before = app.client().get("/metrics").await.text();
    voter.get("/questions").await;
    voter
        .post(&format!("/questions/{}/vote", q.id), &[("direction", "up")])
        .await;
    let res = app.client().get("/metrics").await;
    assert_eq!(res.status_code(), 200);
    assert!(res
        .header("content-type")
        .to_str()
        .unwrap()
        .starts_with("text/plain; version=0.0.4"));
    let text = res.text();
    for name in [
        "nightcoder_http_requests_total{",
        "nightcoder_http_request_duration_seconds_bucket{",
        "nightcoder_db_pool_connections{",
        "nightcoder_mail_queue_depth ",
        "nightcoder_mail_queue_oldest_seconds ",
        "nightcoder_process_resident_memory_bytes ",
    ] {
        assert!(text.contains(name), "{name} missing:\n{text}");
    }
    // requests are labelled by route template, never by raw path
    assert!(text.contains(r#"route="/questions/{id}/vote""#), "{text}");
    assert!(!text.contains(&format!("/questions/{}/vote", q.id)));
    // the recorder is shared by every test in this process: compare deltas
    let grew = |name: &str| value(&text, name) - value(&before, name);
    assert!(grew("nightcoder_votes_total") >= 1.0);
    assert!(grew("nightcoder_ledger_rows_total") >= 1.0);
    // two wrong passwords from one address: the second is refused
    let sprayer = app.client();
    sprayer.get("/login").await;
    for _ in 0..2 {
        sprayer
            .post(
                "/login",
                &[("login", "author"), ("password", "wrong wrong wrong")],
            )
            .await;
    }
    let after = app.client().get("/metrics").await.text();
    let refused = |t: &str| {
        value(
            t,
            "nightcoder_rate_limit_refusals_total{limit=\"login-ip\"}",
        )
    };
    assert!(refused(&after) - refused(&text) >= 1.0, "{after}");
}

#[tokio::test]
async fn metrics_are_not_for_visitors_from_outside() {
    let app = TestApp::new().await;
    let client = app.client();
    client.set_forwarded_for("203.0.113.9");
    assert_eq!(client.get("/metrics").await.status_code(), 404);
    client.set_forwarded_for("10.0.3.4");
    assert_eq!(client.get("/metrics").await.status_code(), 200);
}
