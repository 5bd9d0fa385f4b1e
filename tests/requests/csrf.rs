//! CSRF: every state-changing request needs a token: the session's for
//! logged-in users, a signed cookie token for anonymous forms.
use super::auth::count_sessions;
use crate::support::{TestApp, PASSWORD};

#[tokio::test]
async fn anonymous_form_pages_write_no_rows() {
    let app = TestApp::new().await;
    for path in ["/login", "/register", "/password/forgot"] {
        for _ in 0..200 {
            // a new visitor each time, as a crawler or a flood would be
            let res = app.client().get(path).await;
            assert_eq!(res.status_code(), 200, "{path}");
        }
    }
    assert_eq!(count_sessions(&app).await, 0);
    // the form still works, and the session row appears at login
    app.create_user("rowan").await;
    let client = app.client();
    client.login("rowan", PASSWORD).await;
    assert_eq!(count_sessions(&app).await, 1);
}

#[tokio::test]
async fn an_anonymous_token_works_only_with_its_own_cookie() {
    let app = TestApp::new().await;
    app.create_user("sven").await;
    let attacker = app.client();
    attacker.get("/login").await;
    let their_token = attacker.token().await;
    let victim = app.client();
    victim.get("/login").await;
    let fields = [
        ("csrf_token", their_token.as_str()),
        ("login", "sven"),
        ("password", PASSWORD),
    ];
    let res = victim.post_raw("/login", &fields).await;
    assert_eq!(res.status_code(), 403, "another browser's token");
    // a made-up pair (cookie and field agree, no valid signature)
    let forger = app.client();
    forger.set_cookie("nc_csrf", "abc.def");
    let fields = [
        ("csrf_token", "abc.def"),
        ("login", "sven"),
        ("password", PASSWORD),
    ];
    assert_eq!(forger.post_raw("/login", &fields).await.status_code(), 403);
    // the right pair works
    let own = victim.token().await;
    let fields = [
        ("csrf_token", own.as_str()),
        ("login", "sven"),
        ("password", PASSWORD),
    ];
    assert_eq!(victim.post_raw("/login", &fields).await.status_code(), 303);
}

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
