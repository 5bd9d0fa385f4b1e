//! Language: cookie, then Accept-Language, then English.
use crate::support::{client::location, html::text, TestApp};

#[tokio::test]
async fn language_comes_from_cookie_then_header_then_english() {
    let app = TestApp::new().await;
    let client = app.client();
    let en = client.get("/").await.text();
    assert!(en.contains(r#"<html lang="en""#));
    assert_eq!(text(&en, "a.nav-link[href='/questions']"), "Questions");
    let ru = client
        .get_with("/", ("accept-language", "ru-RU,ru;q=0.9,en;q=0.5"))
        .await
        .text();
    assert!(ru.contains(r#"<html lang="ru""#));
    assert_eq!(text(&ru, "a.nav-link[href='/questions']"), "Вопросы");
    client.set_cookie("lang", "en");
    let en = client.get_with("/", ("accept-language", "ru")).await.text();
    assert!(en.contains(r#"<html lang="en""#), "cookie wins");
}

#[tokio::test]
async fn the_switch_sets_a_cookie_and_returns_to_the_page() {
    let app = TestApp::new().await;
    let (_, client) = app.login_as("olga").await;
    client.get("/settings/profile").await;
    let res = client
        .post("/lang", &[("lang", "ru"), ("next", "/settings/profile")])
        .await;
    assert_eq!(res.status_code(), 303);
    assert_eq!(location(&res), "/settings/profile");
    let cookie = res.header("set-cookie").to_str().unwrap().to_string();
    assert!(cookie.starts_with("lang=ru;"));
    let page = client.get("/settings/profile").await.text();
    assert_eq!(text(&page, "h1"), "Настройки");
    let res = client
        .post("/lang", &[("lang", "en"), ("next", "//evil.example")])
        .await;
    assert_eq!(location(&res), "/");
    let res = client.post("/lang", &[("lang", "klingon")]).await;
    assert_eq!(res.status_code(), 400);
}

#[tokio::test]
async fn validation_messages_are_translated() {
    let app = TestApp::new().await;
    let client = app.client();
    client.set_cookie("lang", "ru");
    client.get("/register").await;
    let res = client
        .post(
            "/register",
            &[
                ("username", ""),
                ("email", "x"),
                ("password", "short"),
                ("password_confirm", "short"),
            ],
        )
        .await;
    assert_eq!(res.status_code(), 422);
    let html = res.text();
    assert_eq!(text(&html, "#e-username"), "Обязательное поле.");
    assert_eq!(text(&html, "#e-email"), "Введите корректный адрес почты.");
    assert_eq!(text(&html, "#e-password"), "Не меньше 12 символов.");
}
