//! Sessions: none for anonymous browsing, and they end when they must.
use chrono::{Duration, Utc};
use nightcoder::users;
use sea_orm::{ActiveModelTrait, ActiveValue::Set};

use super::auth::count_sessions;
use crate::support::{client::location, TestApp, PASSWORD};

#[tokio::test]
async fn anonymous_browsing_creates_no_session_row_and_no_cookie() {
    let app = TestApp::new().await;
    let client = app.client();
    for path in [
        "/",
        "/users/nobody",
        "/does-not-exist",
        "/",
        "/static/css/site.css",
    ] {
        let res = client.get(path).await;
        assert!(
            res.maybe_header("set-cookie").is_none(),
            "{path} set a cookie"
        );
    }
    assert_eq!(count_sessions(&app).await, 0);
    assert!(client.session_id().is_none());
}

#[tokio::test]
async fn a_suspended_users_sessions_stop_on_the_next_request() {
    let app = TestApp::new().await;
    let (user, client) = app.login_as("ivan").await;
    let second = app.login_existing(&user).await;
    assert_eq!(client.get("/settings/profile").await.status_code(), 200);
    let mut active: users::ActiveModel = user.clone().into();
    active.suspended_until = Set(Some((Utc::now() + Duration::days(3)).fixed_offset()));
    active.suspension_reason = Set(Some("spam".into()));
    active.update(&app.ctx.db).await.unwrap();
    for c in [&client, &second] {
        let res = c.get("/settings/profile").await;
        assert_eq!(res.status_code(), 303, "suspended user is logged out");
        assert!(location(&res).starts_with("/login"));
    }
    assert_eq!(count_sessions(&app).await, 0, "their rows were deleted");
    // and cannot log in again, with a clear message
    let fresh = app.client();
    fresh.get("/login").await;
    let res = fresh
        .post("/login", &[("login", "ivan"), ("password", PASSWORD)])
        .await;
    assert_eq!(res.status_code(), 403);
    assert!(res.text().contains("suspended until"), "{}", res.text());
    assert!(res.text().contains("spam"));
}

#[tokio::test]
async fn a_deleted_users_sessions_stop_on_the_next_request() {
    let app = TestApp::new().await;
    let (user, client) = app.login_as("jane").await;
    let mut active: users::ActiveModel = user.into();
    active.deleted_at = Set(Some(Utc::now().fixed_offset()));
    active.update(&app.ctx.db).await.unwrap();
    assert_eq!(client.get("/settings/profile").await.status_code(), 303);
}

#[tokio::test]
async fn a_password_change_ends_the_other_sessions_only() {
    let app = TestApp::new().await;
    let (user, here) = app.login_as("kate").await;
    let elsewhere = app.login_existing(&user).await;
    assert_eq!(count_sessions(&app).await, 2);
    here.get("/settings/password").await;
    let new = "another excellent passphrase";
    let res = here
        .post(
            "/settings/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", new),
                ("new_password_confirm", new),
            ],
        )
        .await;
    assert_eq!(res.status_code(), 303, "{}", res.text());
    assert_eq!(
        here.get("/settings/password").await.status_code(),
        200,
        "this browser stays in"
    );
    assert_eq!(
        elsewhere.get("/settings/password").await.status_code(),
        303,
        "the other is out"
    );
    assert_eq!(count_sessions(&app).await, 1);
    let again = app.client();
    again.login("kate", new).await;
}

#[tokio::test]
async fn a_wrong_current_password_changes_nothing() {
    let app = TestApp::new().await;
    let (user, client) = app.login_as("liam").await;
    client.get("/settings/password").await;
    let res = client
        .post(
            "/settings/password",
            &[
                ("current_password", "wrong wrong wrong"),
                ("new_password", "brand new passphrase"),
                ("new_password_confirm", "brand new passphrase"),
            ],
        )
        .await;
    assert_eq!(res.status_code(), 422);
    assert!(res.text().contains("The current password is wrong."));
    let stored = users::Model::find_by_username(&app.ctx.db, "liam")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.password_hash, user.password_hash);
}

#[tokio::test]
async fn the_session_cookie_is_httponly_lax_and_rotated() {
    let app = TestApp::new().await;
    app.create_user("sally").await;
    let client = app.client();
    client.get("/login").await;
    // the session (and its cookie) begins at login
    let res = client
        .post("/login", &[("login", "sally"), ("password", PASSWORD)])
        .await;
    let cookie = res
        .iter_headers_by_name("set-cookie")
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("nightcoder_session="))
        .expect("a session cookie at login");
    assert!(cookie.starts_with("nightcoder_session="));
    assert!(cookie.contains("HttpOnly"));
    assert!(cookie.contains("SameSite=Lax"));
    assert!(cookie.contains("Path=/"));
}

#[tokio::test]
async fn every_cookie_is_secure_when_the_site_is_served_over_https() {
    let app = TestApp::with_settings(|s| {
        s["session"] = serde_json::json!({ "cookie_name": "__Host-nightcoder", "secure": true });
    })
    .await;
    app.create_user("tina").await;
    let client = app.client();
    let mut cookies: Vec<String> = Vec::new();
    let mut collect = |res: &axum_test::TestResponse| {
        cookies.extend(
            res.iter_headers_by_name("set-cookie")
                .map(|v| v.to_str().unwrap().to_string()),
        );
    };
    collect(&client.get("/login").await);
    collect(
        &client
            .post("/login", &[("login", "tina"), ("password", PASSWORD)])
            .await,
    );
    collect(&client.get("/").await);
    // the token of a logged-in page (the login rotated it)
    client.get("/settings/password").await;
    collect(&client.post("/lang", &[("lang", "ru"), ("next", "/")]).await);
    for name in ["__Host-nc_csrf=", "__Host-nightcoder=", "flash=", "lang="] {
        assert!(
            cookies.iter().any(|c| c.starts_with(name)),
            "{name} was set: {cookies:?}"
        );
    }
    for cookie in &cookies {
        assert!(cookie.contains("; Secure"), "{cookie}");
    }
}
