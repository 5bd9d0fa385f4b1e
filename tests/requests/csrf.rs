//! CSRF: every state-changing request needs the session's token.
use crate::support::{TestApp, PASSWORD};

#[tokio::test]
async fn posts_without_a_token_are_refused_with_a_page() {
    let app = TestApp::new().await;
    let (_, client) = app.login_as("mia").await;
    for path in ["/logout", "/settings/password", "/lang"] {
        let res = client.post_raw(path, &[("lang", "ru")]).await;
        assert_eq!(res.status_code(), 403, "{path}");
        assert!(res.text().contains("This form has expired"), "{path}");
    }
    assert!(
        client.get("/").await.text().contains("mia"),
        "still logged in"
    );
}

#[tokio::test]
async fn a_token_from_another_session_is_refused() {
    let app = TestApp::new().await;
    let (_, mallory) = app.login_as("mallory").await;
    let (_, victim) = app.login_as("victim").await;
    let stolen = mallory.token().await;
    victim.get("/").await;
    let res = victim.post_raw("/logout", &[("csrf_token", &stolen)]).await;
    assert_eq!(res.status_code(), 403);
    assert!(victim.get("/").await.text().contains("victim"));
}

#[tokio::test]
async fn a_cross_site_origin_is_refused_even_with_a_token() {
    let app = TestApp::new().await;
    let (_, client) = app.login_as("nina").await;
    let token = client.token().await;
    let res = client
        .send(
            client
                .request(axum::http::Method::POST, "/logout")
                .add_header("origin", "https://evil.example")
                .form(&[("csrf_token", token.as_str())]),
        )
        .await;
    assert_eq!(res.status_code(), 403);
    let res = client
        .send(
            client
                .request(axum::http::Method::POST, "/logout")
                .add_header("sec-fetch-site", "cross-site")
                .form(&[("csrf_token", token.as_str())]),
        )
        .await;
    assert_eq!(res.status_code(), 403);
    assert!(client.get("/").await.text().contains("nina"));
}

#[tokio::test]
async fn login_is_protected_too() {
    let app = TestApp::new().await;
    app.create_user("oscar").await;
    let client = app.client();
    let res = client
        .post_raw("/login", &[("login", "oscar"), ("password", PASSWORD)])
        .await;
    assert_eq!(res.status_code(), 403, "no pre-session token");
    client.get("/login").await;
    let res = client
        .post_raw(
            "/login",
            &[
                ("login", "oscar"),
                ("password", PASSWORD),
                ("csrf_token", "forged"),
            ],
        )
        .await;
    assert_eq!(res.status_code(), 403);
}

#[tokio::test]
async fn the_token_changes_at_login_and_the_old_one_stops_working() {
    let app = TestApp::new().await;
    app.create_user("pia").await;
    let client = app.client();
    client.get("/login").await;
    let before = client.token().await;
    client.login("pia", PASSWORD).await;
    let after = client.token().await;
    assert_ne!(before, after);
    let res = client.post_raw("/logout", &[("csrf_token", &before)]).await;
    assert_eq!(res.status_code(), 403);
}

#[tokio::test]
async fn state_changing_gets_do_not_exist() {
    let app = TestApp::new().await;
    let (_, client) = app.login_as("quinn").await;
    for path in ["/logout", "/lang?lang=ru"] {
        let res = client.get(path).await;
        assert_eq!(res.status_code(), 405, "{path}");
    }
    assert!(client.get("/").await.text().contains("quinn"));
}

#[tokio::test]
async fn anonymous_language_switch_needs_no_session() {
    let app = TestApp::new().await;
    let client = app.client();
    let res = client
        .post_raw("/lang", &[("lang", "ru"), ("next", "/")])
        .await;
    assert_eq!(res.status_code(), 303);
    assert!(client.session_id().is_none());
    // but not from another site
    let res = client
        .send(
            client
                .request(axum::http::Method::POST, "/lang")
                .add_header("origin", "https://evil.example")
                .form(&[("lang", "en")]),
        )
        .await;
    assert_eq!(res.status_code(), 403);
}
