//! Registration, login and logout.

use nightcoder::users;
use sea_orm::{EntityTrait, PaginatorTrait};

use super::password_reset::{plain_text, sent_mail};
use crate::support::{
    client::{location, queries},
    html::{main_for_snapshot, text},
    TestApp, PASSWORD,
};

const GOOD: &str = "a perfectly fine passphrase";

fn register_fields<'a>(
    username: &'a str,
    email: &'a str,
    password: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("username", username),
        ("email", email),
        ("password", password),
        ("password_confirm", password),
    ]
}

#[tokio::test]
async fn registration_creates_an_unconfirmed_argon2id_account_and_mails_its_link() {
    let app = TestApp::new().await;
    let client = app.client();
    client.get("/register").await;
    let res = client
        .post(
            "/register",
            &register_fields("Alice_01", "Alice@Example.org", GOOD),
        )
        .await;
    assert_eq!(res.status_code(), 303);
    assert_eq!(location(&res), "/login");
    let user = users::Model::find_by_username(&app.ctx.db, "alice_01")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.username, "Alice_01");
    assert_eq!(user.email, "alice@example.org");
    assert_eq!(user.reputation, 1);
    assert_eq!(user.role, "user");
    assert!(user.email_confirmed_at.is_none(), "not confirmed yet");
    assert!(user
        .password_hash
        .starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
    let login = client.get("/login").await.text();
    assert!(login.contains("sent a confirmation link"), "flash shown");
    assert!(client.session_id().is_none(), "not logged in");
    let mails = sent_mail(&app).await;
    assert_eq!(mails.len(), 1);
    assert!(mails[0].contains("To: alice@example.org"));
    let text = plain_text(&mails[0]);
    let start = text
        .find("/register/confirm/")
        .expect("a confirmation link");
    let link = text[start..].split_whitespace().next().unwrap().to_string();
    let res = client.get(&link).await;
    assert_eq!(res.status_code(), 303, "{link}");
    assert_eq!(location(&res), "/login");
    assert_eq!(client.get(&link).await.status_code(), 410, "single use");
    let user = users::Model::find_by_username(&app.ctx.db, "alice_01")
        .await
        .unwrap()
        .unwrap();
    assert!(user.email_confirmed_at.is_some());
    client.login("Alice_01", GOOD).await;
    let home = client.get("/").await.text();
    assert!(home.contains("Alice_01"), "logged in");
}

#[tokio::test]
async fn registration_errors_rerender_with_input_and_a_message_per_field() {
    let app = TestApp::new().await;
    let client = app.client();
    client.get("/register").await;
    let res = client
        .post(
            "/register",
            &[
                ("username", "x"),
                ("email", "not-an-email"),
                ("password", "short"),
                ("password_confirm", "other"),
            ],
        )
        .await;
    assert_eq!(res.status_code(), 422);
    let html = res.text();
    assert!(html.contains(r#"value="x""#), "input kept");
    assert!(html.contains(r#"value="not-an-email""#), "input kept");
    assert!(
        !html.contains(r#"value="short""#),
        "passwords are never echoed"
    );
    assert_eq!(crate::support::html::count(&html, ".invalid-feedback"), 4);
    insta::assert_snapshot!("register_errors_en", main_for_snapshot(&html));
    assert_eq!(users::Entity::find().count(&app.ctx.db).await.unwrap(), 0);
}

#[tokio::test]
async fn usernames_and_emails_are_unique_case_insensitively() {
    let app = TestApp::new().await;
    app.create_user("bob").await;
    let client = app.client();
    client.get("/register").await;
    let res = client
        .post(
            "/register",
            &register_fields("BOB", "new@example.org", GOOD),
        )
        .await;
    assert_eq!(res.status_code(), 422);
    assert_eq!(text(&res.text(), "#e-username"), "This username is taken.");
    // a taken address answers like a new account; its owner is told instead
    let res = client
        .post(
            "/register",
            &register_fields("robert", "BOB@example.ORG", GOOD),
        )
        .await;
    assert_eq!(res.status_code(), 303);
    assert_eq!(location(&res), "/login");
    assert_eq!(users::Entity::find().count(&app.ctx.db).await.unwrap(), 1);
    // both taken: the username speaks, whichever index the database names
    let res = client
        .post(
            "/register",
            &register_fields("Bob", "bob@example.org", GOOD),
        )
        .await;
    assert_eq!(res.status_code(), 422);
    assert_eq!(text(&res.text(), "#e-username"), "This username is taken.");
    let mails = sent_mail(&app).await;
    assert_eq!(mails.len(), 1);
    assert!(mails[0].contains("To: bob@example.org"));
    assert!(plain_text(&mails[0]).contains("tried to create a new NightCoder account"));
}

#[tokio::test]
async fn a_username_that_looks_like_an_email_is_refused() {
    let app = TestApp::new().await;
    let client = app.client();
    client.get("/register").await;
    let res = client
        .post(
            "/register",
            &register_fields("bob@example.org", "b@example.org", GOOD),
        )
        .await;
    assert_eq!(res.status_code(), 422);
    assert_eq!(
        text(&res.text(), "#e-username"),
        "A username cannot look like an e-mail address."
    );
}

#[tokio::test]
async fn weak_passwords_are_refused_and_long_ones_accepted() {
    let app = TestApp::new().await;
    let client = app.client();
    client.get("/register").await;
    for (password, message) in [
        ("elevenchars", "Use at least 12 characters."),
        ("qwertyuiop12", "This password is too common"),
        ("123456789012", "This password is too common"),
    ] {
        let res = client
            .post(
                "/register",
                &register_fields("carol", "c@example.org", password),
            )
            .await;
        assert_eq!(res.status_code(), 422, "{password}");
        assert!(
            text(&res.text(), "#e-password").starts_with(message),
            "{password}"
        );
    }
    let long = "x".repeat(129);
    let res = client
        .post(
            "/register",
            &register_fields("carol", "c@example.org", &long),
        )
        .await;
    assert_eq!(res.status_code(), 422);
    let ok = "correct horse 🦀 ".repeat(8);
    assert_eq!(ok.chars().count(), 128);
    let res = client
        .post("/register", &register_fields("carol", "c@example.org", &ok))
        .await;
    assert_eq!(res.status_code(), 303, "{}", res.text());
}

#[tokio::test]
async fn login_by_username_or_email_any_case_and_next_is_honoured() {
    let app = TestApp::new().await;
    app.create_user("dave").await;
    let client = app.client();
    client.get("/login?next=/users/dave").await;
    let res = client
        .post(
            "/login",
            &[
                ("login", "DAVE@example.org"),
                ("password", PASSWORD),
                ("next", "/users/dave"),
            ],
        )
        .await;
    assert_eq!(res.status_code(), 303);
    assert_eq!(location(&res), "/users/dave");
    client.logout().await;
    client.get("/login").await;
    let res = client
        .post(
            "/login",
            &[
                ("login", "Dave"),
                ("password", PASSWORD),
                ("next", "https://evil.example/"),
            ],
        )
        .await;
    assert_eq!(res.status_code(), 303);
    assert_eq!(location(&res), "/", "foreign next is ignored");
}

#[tokio::test]
async fn passwords_are_checked_exactly_as_typed() {
    let app = TestApp::new().await;
    app.create_user("erin").await;
    let client = app.client();
    client.get("/login").await;
    for wrong in [
        format!(" {PASSWORD}"),
        format!("{PASSWORD} "),
        PASSWORD.to_uppercase(),
    ] {
        let res = client
            .post("/login", &[("login", "erin"), ("password", &wrong)])
            .await;
        assert_eq!(res.status_code(), 422, "{wrong:?}");
    }
}

#[tokio::test]
async fn unknown_user_and_wrong_password_look_and_take_the_same() {
    let app = TestApp::new().await;
    app.create_user("frank").await;
    let client = app.client();
    client.get("/login").await;
    let unknown = client
        .post(
            "/login",
            &[("login", "nobody"), ("password", "whatever whatever")],
        )
        .await;
    let wrong = client
        .post(
            "/login",
            &[("login", "frank"), ("password", "whatever whatever")],
        )
        .await;
    assert_eq!(unknown.status_code(), wrong.status_code());
    assert_eq!(
        text(&unknown.text(), "#e-login"),
        text(&wrong.text(), "#e-login")
    );
    assert_eq!(
        text(&wrong.text(), "#e-login"),
        "Invalid username, e-mail or password."
    );

    // both paths do the same work: the same statements (an unknown login
    // is counted in a bucket of its own) and one argon2 verification (an
    // unknown user is checked against a dummy hash, passwords::verify). No
    // stopwatch here: timings on a busy CI machine prove nothing either way.
    let unknown = client
        .post(
            "/login",
            &[("login", "nobody"), ("password", "whatever whatever")],
        )
        .await;
    let known = client
        .post(
            "/login",
            &[("login", "frank"), ("password", "whatever whatever")],
        )
        .await;
    assert_eq!(queries(&unknown), queries(&known), "the same statements");
}

#[tokio::test]
async fn logout_deletes_the_session_row_and_a_replayed_cookie_is_anonymous() {
    let app = TestApp::new().await;
    let (_, client) = app.login_as("gina").await;
    assert!(client.get("/").await.text().contains("gina"));
    let saved = client.session_id().unwrap();
    let rows = count_sessions(&app).await;
    assert_eq!(rows, 1);
    let res = client.logout().await;
    assert_eq!(res.status_code(), 303);
    assert_eq!(count_sessions(&app).await, 0, "logout deletes the row");

    let replay = app.client();
    replay.set_cookie("nightcoder_session", &saved);
    let res = replay.get("/settings/profile").await;
    assert_eq!(res.status_code(), 303, "replayed cookie is anonymous");
    assert!(location(&res).starts_with("/login?next="));
}

#[tokio::test]
async fn the_session_id_changes_at_login() {
    let app = TestApp::new().await;
    app.create_user("hank").await;
    let client = app.client();
    client.get("/login").await;
    assert!(
        client.session_id().is_none(),
        "the login form needs no session"
    );
    // an id planted before login (session fixation) is never kept
    let before = "planted-by-an-attacker".to_string();
    client.set_cookie("nightcoder_session", &before);
    let res = client
        .post("/login", &[("login", "hank"), ("password", PASSWORD)])
        .await;
    assert_eq!(res.status_code(), 303);
    let after = client.session_id().unwrap();
    assert_ne!(before, after);
    // the pre-login id no longer authenticates anyone
    let old = app.client();
    old.set_cookie("nightcoder_session", &before);
    assert_eq!(old.get("/settings/profile").await.status_code(), 303);
}

#[tokio::test]
async fn login_and_register_pages_snapshot_in_both_languages() {
    let app = TestApp::new().await;
    let client = app.client();
    let en = client.get("/login").await.text();
    insta::assert_snapshot!("login_en", main_for_snapshot(&en));
    let ru = client
        .get_with("/login", ("accept-language", "ru"))
        .await
        .text();
    insta::assert_snapshot!("login_ru", main_for_snapshot(&ru));
    client.set_cookie("lang", "ru");
    let ru = client.get("/register").await.text();
    insta::assert_snapshot!("register_ru", main_for_snapshot(&ru));
}

pub async fn count_sessions(app: &TestApp) -> u64 {
    nightcoder::db::entities::sessions::Entity::find()
        .count(&app.ctx.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_signed_in_request_reads_its_session_and_its_user_in_one_statement() {
    let app = TestApp::new().await;
    let anonymous = app.client().get("/sitemap.xml").await;
    let (frank, client) = app.login_as("frank").await;
    client.get("/sitemap.xml").await;
    let signed_in = client.get("/sitemap.xml").await;
    assert_eq!(signed_in.status_code(), 200);
    assert_eq!(
        queries(&signed_in),
        queries(&anonymous) + 1,
        "the session row and the user in one statement"
    );

    // the user read with the session is the one the page shows, and an
    // account deleted meanwhile ends the session at the next request
    let page = client.get("/").await.text();
    assert!(page.contains("frank"), "the navbar names the viewer");
    let mut gone: users::ActiveModel = frank.into();
    gone.deleted_at = sea_orm::ActiveValue::Set(Some(chrono::Utc::now().into()));
    sea_orm::ActiveModelTrait::update(gone, &app.ctx.db)
        .await
        .unwrap();
    let res = client.get("/notifications").await;
    assert_eq!(res.status_code(), 303, "a deleted account is signed out");
    assert!(location(&res).starts_with("/login"));
}
