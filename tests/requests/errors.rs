//! Bad input gets a clear 4xx page in the user's language, never a 500.
use crate::support::{html::text, TestApp};

#[tokio::test]
async fn unknown_pages_are_a_404_page_in_the_users_language() {
    let app = TestApp::new().await;
    let client = app.client();
    let res = client.get("/nowhere").await;
    assert_eq!(res.status_code(), 404);
    assert!(res
        .header("content-type")
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert_eq!(text(&res.text(), "h1"), "Page not found");
    let res = client
        .get_with("/nowhere", ("accept-language", "ru-RU,ru;q=0.9"))
        .await;
    assert_eq!(text(&res.text(), "h1"), "Страница не найдена");
    assert!(res.text().contains(r#"<html lang="ru""#));
    let res = client.get("/users/nobody").await;
    assert_eq!(res.status_code(), 404);
    assert_eq!(text(&res.text(), "h1"), "Page not found");
}

#[tokio::test]
async fn json_clients_get_json_errors() {
    let app = TestApp::new().await;
    let res = app
        .client()
        .get_with("/nowhere", ("accept", "application/json"))
        .await;
    assert_eq!(res.status_code(), 404);
    let body: serde_json::Value = res.json();
    assert_eq!(body["status"], 404);
    assert!(body["error"].as_str().unwrap().contains("nothing here"));
}

#[tokio::test]
async fn wrong_methods_and_dotfiles_are_clean_4xx() {
    let app = TestApp::new().await;
    let client = app.client();
    let res = client
        .send(client.request(axum::http::Method::DELETE, "/login"))
        .await;
    assert_eq!(res.status_code(), 405);
    assert!(res.text().contains("Method not allowed"));
    for path in [
        "/.env",
        "/.git/HEAD",
        "/config/production.yaml",
        "/Cargo.toml",
        "/static/../Cargo.toml",
    ] {
        let res = client.get(path).await;
        assert_eq!(res.status_code(), 404, "{path}");
    }
}

#[tokio::test]
async fn duplicate_unknown_and_control_character_fields_are_4xx_not_500() {
    let app = TestApp::new().await;
    let client = app.client();
    client.get("/register").await;
    let token = client.token().await;
    // duplicate field
    let res = client
        .post_raw(
            "/register",
            &[("csrf_token", &token), ("username", "a"), ("username", "b")],
        )
        .await;
    assert!(res.status_code().is_client_error(), "{}", res.status_code());
    assert!(res.text().contains("<html"), "an HTML page");
    // unknown field (mass assignment)
    let res = client
        .post_raw(
            "/register",
            &[
                ("csrf_token", &token),
                ("username", "zed"),
                ("email", "z@example.org"),
                ("password", "x"),
                ("password_confirm", "x"),
                ("role", "admin"),
            ],
        )
        .await;
    assert!(res.status_code().is_client_error());
    // NUL and other controls
    let res = client
        .post(
            "/login",
            &[("login", "bob\u{0}"), ("password", "whatever whatever")],
        )
        .await;
    assert_eq!(res.status_code(), 422);
    let res = client
        .post(
            "/register",
            &[
                ("username", "nul\u{0}"),
                ("email", "n@example.org"),
                ("password", "fine fine fine"),
                ("password_confirm", "fine fine fine"),
            ],
        )
        .await;
    assert_eq!(res.status_code(), 422);
}

#[tokio::test]
async fn oversized_bodies_are_413() {
    let app = TestApp::new().await;
    let client = app.client();
    client.get("/login").await;
    let huge = "x".repeat(3 * 1024 * 1024);
    let res = client
        .post("/login", &[("login", &huge), ("password", "p")])
        .await;
    assert_eq!(res.status_code(), 413);
    assert!(res.text().contains("larger than this site accepts"));
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::new().await;
    let client = app.client();
    for path in ["/", "/nowhere", "/static/css/site.css", "/login"] {
        let res = client.get(path).await;
        let csp = res
            .header("content-security-policy")
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"), "{path}");
        assert_eq!(res.header("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(
            res.header("referrer-policy"),
            "strict-origin-when-cross-origin",
            "{path}"
        );
        assert!(res.maybe_header("x-powered-by").is_none(), "{path}");
    }
    let page = client.get("/").await.text();
    assert!(!page.contains("<script>"), "no inline scripts");
    assert!(!page.contains("style=\""), "no inline styles");
}

#[tokio::test]
async fn static_files_are_cached_and_missing_ones_are_404() {
    let app = TestApp::new().await;
    let client = app.client();
    let res = client
        .get("/static/vendor/bootstrap/bootstrap.min.css")
        .await;
    assert_eq!(res.status_code(), 200);
    assert!(res
        .header("cache-control")
        .to_str()
        .unwrap()
        .contains("max-age=31536000"));
    assert_eq!(client.get("/static/nope.css").await.status_code(), 404);
}

#[tokio::test]
async fn a_database_failure_is_a_generic_500_page_with_a_request_id() {
    let app = TestApp::new().await;
    let client = app.client();
    // a query that fails for a reason that waiting will not fix (a closed
    // pool or a lost link is an outage: 503, see requests::outage)
    sea_orm::ConnectionTrait::execute_unprepared(&app.ctx.db, "DROP TABLE site_counters")
        .await
        .unwrap();
    let res = client.get("/").await;
    assert_eq!(res.status_code(), 500);
    let html = res.text();
    assert_eq!(text(&html, "h1"), "Something went wrong");
    assert!(
        html.contains("Request id:"),
        "the id that matches the log line"
    );
    for leak in ["sqlx", "SELECT", "pool", "src/", "panicked"] {
        assert!(!html.contains(leak), "leaks {leak}");
    }
}
