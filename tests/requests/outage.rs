//! A database outage is a 503 with `Retry-After` on every route (a page, or
//! JSON for JSON clients), never a 500, and the app recovers by itself.
//!
//! PostgreSQL: the app reaches the server through a TCP proxy that the test
//! cuts and restores. SQLite has no link to lose; there the outage is the
//! database being locked by another process, which writes meet.
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Database};

use crate::support::{forum::body, proxy::Proxy, Client, TestApp};

fn assert_unavailable(res: &axum_test::TestResponse, what: &str) {
    assert_eq!(res.status_code(), 503, "{what}: {}", res.text());
    let retry: i64 = res.header("retry-after").to_str().unwrap().parse().unwrap();
    assert!(retry > 0, "{what}");
}

/// Polls `path` until it answers 200 (the app reconnected by itself).
async fn recovers(client: &Client, path: &str) -> Duration {
    let started = Instant::now();
    loop {
        if client.get(path).await.status_code() == 200 {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{path} did not recover"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn an_unreachable_database_is_a_503_everywhere_and_the_app_recovers() {
    let probe = TestApp::new().await;
    if !probe.is_postgres() {
        drop(probe);
        return locked_sqlite_is_a_503_and_recovers().await;
    }
    let url = url::Url::parse(probe.database_url()).unwrap();
    let upstream = format!("{}:{}", url.host_str().unwrap(), url.port().unwrap_or(5432));
    drop(probe);
    let upstream = tokio::net::lookup_host(upstream)
        .await
        .unwrap()
        .next()
        .unwrap();
    let proxy = Proxy::start(upstream).await;
    let app = TestApp::through(&proxy).await;
    let author = app.create_user("author").await;
    let q = app
        .question(&author, "A question during an outage", "outage")
        .await;
    let (_, member) = app.login_as("member").await;
    member.get(&q.url()).await;
    let token = member.token().await;
    let anonymous = app.client();
    assert_eq!(anonymous.get("/").await.status_code(), 200);

    proxy.cut();
    let started = Instant::now();
    assert_unavailable(&anonymous.get(&q.url()).await, "anonymous question page");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "answered within the acquire timeout: {:?}",
        started.elapsed()
    );
    for path in ["/", "/questions", "/tags", "/leaderboard", "/login"] {
        assert_unavailable(&anonymous.get(path).await, path);
    }
    let page = anonymous.get("/").await.text();
    assert!(
        page.contains("Temporarily unavailable"),
        "a page, not a bare status"
    );
    let started = Instant::now();
    assert_unavailable(&member.get("/settings/profile").await, "signed-in page");
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "a signed-in page does not wait for the database either: {:?}",
        started.elapsed()
    );
    let res = member
        .send(
            member
                .request(
                    axum::http::Method::POST,
                    &format!("/questions/{}/vote", q.id),
                )
                .add_header("accept", "application/json")
                .add_header("x-csrf-token", token.clone())
                .form(&[("direction", "up")]),
        )
        .await;
    assert_unavailable(&res, "JSON vote");
    assert_eq!(res.json::<serde_json::Value>()["status"], 503);
    let health = anonymous.get("/_health").await;
    assert_eq!(health.status_code(), 200, "the process itself is alive");

    proxy.restore();
    let took = recovers(&anonymous, &q.url()).await;
    eprintln!("recovered {took:?} after the link came back");
    assert_eq!(member.get("/settings/profile").await.status_code(), 200);
}

/// SQLite: another process holds the write lock; a write waits out the
/// busy timeout and is answered 503, then works once the lock is gone.
async fn locked_sqlite_is_a_503_and_recovers() {
    let app = TestApp::new().await;
    let author = app.create_user("author").await;
    let q = app
        .question(&author, "A question during a lock", "outage")
        .await;
    let (_, member) = app.login_as("member").await;
    member.get(&q.url()).await;

    let other = Database::connect(app.database_url()).await.unwrap();
    other.execute_unprepared("BEGIN IMMEDIATE").await.unwrap();
    let started = Instant::now();
    let res = member
        .post(
            &format!("/questions/{}/answers", q.id),
            &[("body", &body("an answer while the database is locked"))],
        )
        .await;
    assert_unavailable(&res, "write under a lock");
    assert!(res.text().contains("Temporarily unavailable"));
    eprintln!("busy answered after {:?}", started.elapsed());
    // readers are not blocked by a writer (WAL): pages still answer
    assert_eq!(member.get("/").await.status_code(), 200);
    other.execute_unprepared("ROLLBACK").await.unwrap();
    other.close().await.unwrap();
    recovers(&member, &q.url()).await;
    let res = member
        .post(
            &format!("/questions/{}/answers", q.id),
            &[("body", &body("an answer after the lock"))],
        )
        .await;
    assert_eq!(res.status_code(), 303);
}
