//! The anonymous page cache: hits cost no query, pages are per language,
//! nothing personal is kept or served, a write is seen at once by the
//! writer's process and within a second by every other process, and the
//! cache stays within its bytes.
use std::time::{Duration, Instant};

use serde_json::json;

use crate::support::{
    client::{queries, token_in},
    forum::body,
    TestApp,
};

fn cached(settings: &mut serde_json::Value) {
    settings["page_cache"] =
        json!({ "enabled": true, "max_bytes": 4_000_000, "ttl_seconds": 60, "poll_ms": 100 });
}

#[tokio::test]
async fn anonymous_pages_come_from_the_cache_per_language() {
    let app = TestApp::with_settings(cached).await;
    let asker = app.create_user("asker").await;
    let q = app
        .question(&asker, "Where do cached pages live?", "cache")
        .await;
    let visitor = app.client();
    let first = visitor.get(&q.url()).await;
    assert_eq!(first.status_code(), 200);
    assert!(queries(&first) > 0);
    let second = visitor.get(&q.url()).await;
    assert_eq!(queries(&second), 0, "a hit asks the database nothing");
    assert_eq!(second.text(), first.text());
    assert_eq!(second.header("content-type"), first.header("content-type"));
    assert!(second.header("content-security-policy").to_str().is_ok());
    assert_eq!(second.header("x-page-cache"), "hit");
    // a hit is answered outside loco's stack, yet each answer has its own id
    assert_ne!(second.header("x-request-id"), first.header("x-request-id"));
    let third = visitor.get(&q.url()).await;
    assert_ne!(third.header("x-request-id"), second.header("x-request-id"));

    let russian = visitor
        .get_with(&q.url(), ("accept-language", "ru-RU,ru"))
        .await;
    assert!(queries(&russian) > 0, "each language has its own entry");
    assert!(russian.text().contains("lang=\"ru\""));
    let again = visitor
        .get_with(&q.url(), ("accept-language", "ru-RU,ru"))
        .await;
    assert_eq!(queries(&again), 0);
    assert_eq!(again.text(), russian.text());
    assert_ne!(again.text(), first.text());
}

#[tokio::test]
async fn nothing_personal_is_kept_or_served() {
    let app = TestApp::with_settings(cached).await;
    let asker = app.create_user("asker").await;
    let q = app
        .question(&asker, "Who sees which navbar here?", "cache")
        .await;
    let (_, member) = app.login_as("navowner").await;
    // a signed-in render first: it must not become the anonymous page
    let mine = member.get(&q.url()).await;
    assert!(mine.text().contains("navowner"));
    let visitor = app.client();
    let anon = visitor.get(&q.url()).await;
    assert!(
        !anon.text().contains("navowner"),
        "no signed-in navbar for visitors"
    );
    assert!(
        token_in(&anon.text()).is_none_or(|t| t.is_empty()),
        "no token in a shared page"
    );
    // and the anonymous page is never served to the member
    let again = member.get(&q.url()).await;
    assert!(queries(&again) > 0);
    assert!(again.text().contains("navowner"));
    // a page that sets a cookie (the login form's CSRF cookie) is not kept
    let login = app.client();
    let first = login.get("/login").await;
    assert!(first.maybe_header("set-cookie").is_some());
    let other = app.client();
    let second = other.get("/login").await;
    assert!(
        second.maybe_header("set-cookie").is_some(),
        "each visitor gets a token"
    );
}

#[tokio::test]
async fn a_write_is_seen_at_once_by_its_process_and_within_a_second_by_others() {
    let app = TestApp::with_settings(cached).await;
    let other = app.another_process(cached).await;
    let asker = app.create_user("asker").await;
    let q = app
        .question(&asker, "Do writes reach every process?", "cache")
        .await;
    let here = app.client();
    let there = other.client();
    // both processes hold the page
    for client in [&here, &there] {
        client.get(&q.url()).await;
        assert_eq!(queries(&client.get(&q.url()).await), 0);
    }
    let (_, helper) = app.login_as("helper").await;
    helper.get(&q.url()).await;
    let answer = "Every process drops its pages when the generation moves.";
    let res = helper
        .post(
            &format!("/questions/{}/answers", q.id),
            &[("body", &body(answer))],
        )
        .await;
    assert_eq!(res.status_code(), 303);
    assert!(
        here.get(&q.url()).await.text().contains(answer),
        "the writer's process serves the change at once"
    );
    let started = Instant::now();
    loop {
        let page = there.get(&q.url()).await;
        if page.text().contains(answer) {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "the other process still served the old page after a second"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // a failed write (a refused, empty answer) changes nothing and clears
    // nothing (after the polls that carry the answer's generation)
    tokio::time::sleep(Duration::from_millis(400)).await;
    here.get(&q.url()).await;
    let refused = helper
        .post(&format!("/questions/{}/answers", q.id), &[("body", "")])
        .await;
    assert!(refused.status_code().as_u16() >= 400);
    assert_eq!(queries(&here.get(&q.url()).await), 0);
    // nor do a preview and the language switch, whatever they answer
    let preview = helper.post("/preview", &[("body", "typing…")]).await;
    assert_eq!(preview.status_code(), 200);
    let lang = helper.post("/lang", &[("lang", "ru"), ("next", "/")]).await;
    assert_eq!(lang.status_code(), 303);
    assert_eq!(queries(&here.get(&q.url()).await), 0, "the cache was kept");
}

#[tokio::test]
async fn the_cache_stays_within_its_bytes_and_its_age() {
    let app = TestApp::with_settings(|s| {
        s["page_cache"] =
            json!({ "enabled": true, "max_bytes": 60_000, "ttl_seconds": 1, "poll_ms": 100 });
    })
    .await;
    let asker = app.create_user("asker").await;
    let mut urls = Vec::new();
    for n in 0..12 {
        let q = app
            .question(
                &asker,
                &format!("Bounded cache question number {n}"),
                "cache",
            )
            .await;
        urls.push(q.url());
    }
    let visitor = app.client();
    for url in &urls {
        assert_eq!(visitor.get(url).await.status_code(), 200);
    }
    // twelve pages of ~15 KB do not fit in 60 KB: the early ones are gone
    let size = visitor.get(&urls[11]).await.text().len();
    assert!(size * 12 > 60_000, "the pages are {size} bytes");
    let evicted = visitor.get(&urls[0]).await;
    assert!(queries(&evicted) > 0, "the oldest page was evicted");
    // and a kept page is rendered again once it is older than the TTL
    let url = &urls[5];
    visitor.get(url).await;
    assert_eq!(queries(&visitor.get(url).await), 0);
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    assert!(queries(&visitor.get(url).await) > 0);
}

#[tokio::test]
async fn an_aged_page_is_rendered_by_one_request_while_the_others_get_the_aged_copy() {
    let app = TestApp::with_settings(|s| {
        s["page_cache"] =
            json!({ "enabled": true, "max_bytes": 4_000_000, "ttl_seconds": 1, "poll_ms": 100 });
    })
    .await;
    let asker = app.create_user("asker").await;
    let q = app
        .question(&asker, "Who renders a page once it has aged?", "cache")
        .await;
    let visitor = app.client();
    assert!(queries(&visitor.get(&q.url()).await) > 0);
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    let url = q.url();
    let answers = futures_util::future::join_all((0..8).map(|_| visitor.get(&url))).await;
    assert!(answers.iter().all(|r| r.status_code() == 200));
    let rendered = answers.iter().filter(|r| queries(r) > 0).count();
    assert_eq!(rendered, 1, "one request renders the aged page anew");
    let aged = answers
        .iter()
        .filter(|r| r.maybe_header("x-page-cache").is_some())
        .count();
    assert_eq!(aged, 7, "the others get the aged copy meanwhile");
    // the new render was kept
    assert_eq!(queries(&visitor.get(&q.url()).await), 0);
    // aged again with nobody rendering it, the next request renders it
    tokio::time::sleep(Duration::from_millis(2_100)).await;
    assert!(queries(&visitor.get(&q.url()).await) > 0);
}
