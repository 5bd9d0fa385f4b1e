//! Password reset by e-mail.
use chrono::{Duration, Utc};
use nightcoder::models::password_resets;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};

use super::auth::count_sessions;
use crate::support::{client::location, TestApp};

fn sent_mail(app: &TestApp) -> Vec<String> {
    app.ctx
        .mailer
        .as_ref()
        .expect("stub mailer in tests")
        .deliveries()
        .messages
}

/// The decoded text/plain part of a raw message.
fn plain_text(mail: &str) -> String {
    use base64::Engine;
    let start = mail.find("Content-Type: text/plain").expect("a text part");
    let part = &mail[start..];
    let body_start = part
        .find("\r\n\r\n")
        .map(|i| i + 4)
        .or_else(|| part.find("\n\n").map(|i| i + 2))
        .unwrap();
    let body: String = part[body_start..]
        .lines()
        .take_while(|l| !l.starts_with("--"))
        .collect::<Vec<_>>()
        .join("");
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(body.trim())
        .unwrap_or_else(|_| body.into_bytes());
    String::from_utf8(bytes).unwrap()
}

fn link_in(mail: &str) -> String {
    let text = plain_text(mail);
    let start = text.find("/password/reset/").expect("a reset link");
    text[start..].split_whitespace().next().unwrap().to_string()
}

#[tokio::test]
async fn the_same_answer_whether_or_not_the_address_exists() {
    let app = TestApp::new().await;
    app.create_user("pavel").await;
    let client = app.client();
    client.get("/password/forgot").await;
    let known = client
        .post("/password/forgot", &[("email", "PAVEL@example.org")])
        .await;
    let unknown = client
        .post("/password/forgot", &[("email", "ghost@example.org")])
        .await;
    assert_eq!(known.status_code(), 303);
    assert_eq!(known.status_code(), unknown.status_code());
    assert_eq!(location(&known), location(&unknown));
    assert_eq!(known.header("set-cookie"), unknown.header("set-cookie"));
    assert_eq!(sent_mail(&app).len(), 1, "only the real account gets mail");
}

#[tokio::test]
async fn a_reset_link_works_once_and_ends_every_session() {
    let app = TestApp::new().await;
    let (_, logged_in) = app.login_as("rita").await;
    let client = app.client();
    client.set_cookie("lang", "ru");
    client.get("/password/forgot").await;
    client
        .post("/password/forgot", &[("email", "rita@example.org")])
        .await;
    let mail = sent_mail(&app).pop().unwrap();
    assert!(
        plain_text(&mail).starts_with("Здравствуйте, rita!"),
        "mail in the requester's language"
    );
    let link = link_in(&mail);
    assert_eq!(client.get(&link).await.status_code(), 200);
    let new = "a fresh and long passphrase";
    let res = client
        .post(&link, &[("password", new), ("password_confirm", new)])
        .await;
    assert_eq!(res.status_code(), 303, "{}", res.text());
    assert_eq!(location(&res), "/login");
    assert_eq!(
        logged_in.get("/settings/profile").await.status_code(),
        303,
        "old sessions ended"
    );
    assert_eq!(
        count_sessions(&app).await,
        1,
        "only the anonymous reset session remains"
    );
    // second use
    assert_eq!(client.get(&link).await.status_code(), 410);
    let res = client
        .post(
            &link,
            &[
                ("password", "yet another passphrase"),
                ("password_confirm", "yet another passphrase"),
            ],
        )
        .await;
    assert_eq!(res.status_code(), 410);
    let fresh = app.client();
    fresh.login("rita", new).await;
}

#[tokio::test]
async fn an_expired_or_unknown_token_is_refused() {
    let app = TestApp::new().await;
    let user = app.create_user("sara").await;
    let token = password_resets::Model::issue(&app.ctx.db, user.id)
        .await
        .unwrap();
    let reset = password_resets::Entity::find()
        .one(&app.ctx.db)
        .await
        .unwrap()
        .unwrap();
    let mut active: password_resets::ActiveModel = reset.into();
    active.expires_at = Set((Utc::now() - Duration::minutes(1)).fixed_offset());
    active.update(&app.ctx.db).await.unwrap();
    let client = app.client();
    let res = client.get(&format!("/password/reset/{token}")).await;
    assert_eq!(res.status_code(), 410);
    assert!(res.text().contains("invalid, already used or expired"));
    assert_eq!(
        client
            .get("/password/reset/not-a-token")
            .await
            .status_code(),
        410
    );
    let long = "x".repeat(5000);
    assert_eq!(
        client
            .get(&format!("/password/reset/{long}"))
            .await
            .status_code(),
        410
    );
}
