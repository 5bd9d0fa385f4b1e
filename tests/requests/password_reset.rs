//! Password reset by e-mail.
use chrono::{Duration, Utc};
use nightcoder::users::tokens::{self as account_tokens, Purpose};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};

use super::auth::count_sessions;
use crate::support::{client::location, TestApp};

/// The mails sent so far, once the queued ones have gone out.
pub async fn sent_mail(app: &TestApp) -> Vec<String> {
    app.run_jobs().await;
    app.mails()
}

/// The decoded text/plain part of a raw message (base64 or
/// quoted-printable, as lettre picks).
pub fn plain_text(mail: &str) -> String {
    use base64::Engine;
    let start = mail.find("Content-Type: text/plain").expect("a text part");
    let part = &mail[start..];
    let (head, rest) = part
        .split_once("\r\n\r\n")
        .or_else(|| part.split_once("\n\n"))
        .unwrap();
    // the part ends at the MIME boundary, not at any line starting with
    // "--": a soft line break can put a token's "--" at the start of a line
    let boundary = mail
        .split("boundary=\"")
        .nth(1)
        .and_then(|b| b.split('"').next())
        .map(|b| format!("--{b}"));
    let lines: Vec<&str> = rest
        .lines()
        .take_while(|l| boundary.as_deref().is_none_or(|b| !l.starts_with(b)))
        .collect();
    if head.contains("quoted-printable") {
        let mut joined = String::new();
        for line in lines {
            match line.strip_suffix('=') {
                Some(soft) => joined.push_str(soft),
                None => {
                    joined.push_str(line);
                    joined.push('\n');
                }
            }
        }
        let bytes = joined.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'=' && i + 2 < bytes.len() {
                if let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16) {
                    out.push(b);
                    i += 3;
                    continue;
                }
            }
            out.push(bytes[i]);
            i += 1;
        }
        return String::from_utf8(out).unwrap();
    }
    let body = lines.join("");
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
    assert_eq!(
        sent_mail(&app).await.len(),
        1,
        "only the real account gets mail"
    );
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
    let mail = sent_mail(&app).await.pop().unwrap();
    assert!(
        plain_text(&mail).starts_with("Здравствуйте, rita!"),
        "mail in the requester's language"
    );
    let link = link_in(&mail);
    assert_eq!(client.get(&link).await.status_code(), 200);
    // a mistake brings the form back, and the form still works
    let res = client
        .post(
            &link,
            &[("password", "short"), ("password_confirm", "short")],
        )
        .await;
    assert_eq!(res.status_code(), 422);
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
        0,
        "every session ended, and the anonymous reset made none"
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
    let token = account_tokens::Model::issue(&app.ctx.db, user.id, Purpose::Reset)
        .await
        .unwrap();
    let reset = account_tokens::Entity::find()
        .one(&app.ctx.db)
        .await
        .unwrap()
        .unwrap();
    let mut active: account_tokens::ActiveModel = reset.into();
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

/// A reset link for `user`, made the way the forgot page makes one.
async fn reset_link(app: &TestApp, user: &nightcoder::users::Model) -> String {
    let token = account_tokens::Model::issue(&app.ctx.db, user.id, Purpose::Reset)
        .await
        .unwrap();
    format!("/password/reset/{token}")
}

#[tokio::test]
async fn using_one_link_ends_every_other_link_of_the_account() {
    let app = TestApp::new().await;
    let user = app.create_user("tess").await;
    let first = reset_link(&app, &user).await;
    let second = reset_link(&app, &user).await;
    let client = app.client();
    assert_eq!(client.get(&first).await.status_code(), 200);
    let new = "the newest of passphrases";
    let res = client
        .post(&first, &[("password", new), ("password_confirm", new)])
        .await;
    assert_eq!(res.status_code(), 303);
    assert_eq!(client.get(&second).await.status_code(), 410, "revoked");
    let res = client
        .post(
            &second,
            &[
                ("password", "an attacker's passphrase"),
                ("password_confirm", "an attacker's passphrase"),
            ],
        )
        .await;
    assert_eq!(res.status_code(), 410);
    app.client().login("tess", new).await;
}

#[tokio::test]
async fn a_password_change_or_a_suspension_ends_outstanding_links() {
    let app = TestApp::new().await;
    let (user, client) = app.login_as("ulla").await;
    let link = reset_link(&app, &user).await;
    client.get("/settings/password").await;
    let new = "changed in the settings page";
    let res = client
        .post(
            "/settings/password",
            &[
                ("current_password", crate::support::PASSWORD),
                ("new_password", new),
                ("new_password_confirm", new),
            ],
        )
        .await;
    assert_eq!(res.status_code(), 303);
    assert_eq!(app.client().get(&link).await.status_code(), 410);

    let victim = app.create_user("vera").await;
    let link = reset_link(&app, &victim).await;
    app.create_user_with_role("judge", "moderator").await;
    let moderator = app.client();
    moderator.login("judge", crate::support::PASSWORD).await;
    let until = super::admin_access::in_days(7);
    let res = moderator
        .post(
            &format!("/admin/users/{}/suspend", victim.id),
            &[("until", until.as_str()), ("reason", "spam")],
        )
        .await;
    assert_eq!(res.status_code(), 303);
    assert_eq!(app.client().get(&link).await.status_code(), 410);
}
