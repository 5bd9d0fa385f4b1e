//! E-mail confirmation: until a new account confirms its address it can
//! read and edit its profile, but not post, vote or flag; a banner says
//! why. Accounts made by operators and the demo are confirmed.
use loco_rs::task::Vars;
use nightcoder::{app::App, users};
use sea_orm::{ActiveModelTrait, ActiveValue::Set};

use super::password_reset::{plain_text, sent_mail};
use crate::support::{client::location, forum::body, Client, TestApp, PASSWORD};

/// A logged-in account whose address is not confirmed.
async fn unconfirmed(app: &TestApp, name: &str) -> (users::Model, Client) {
    let user = app.create_user(name).await;
    let mut active: users::ActiveModel = user.into();
    active.email_confirmed_at = Set(None);
    let user = active.update(&app.ctx.db).await.unwrap();
    let client = app.login_existing(&user).await;
    (user, client)
}

#[tokio::test]
async fn an_unconfirmed_account_reads_and_edits_its_profile_but_cannot_post_vote_or_flag() {
    let app = TestApp::new().await;
    let author = app.create_user("author").await;
    let q = app
        .question(&author, "A question others answer", "confirm")
        .await;
    let (_, client) = unconfirmed(&app, "fresh").await;

    let home = client.get("/").await.text();
    assert!(
        home.contains("Your e-mail address is not confirmed yet"),
        "banner"
    );
    assert_eq!(client.get(&q.url()).await.status_code(), 200, "reads");
    let form = client
        .multipart()
        .await
        .add_text("bio", "I am new here")
        .add_text("website", "")
        .add_text("birthday", "");
    let res = client.post_multipart("/settings/profile", form).await;
    assert_eq!(res.status_code(), 303, "edits the profile");

    let refused = [
        client.get("/questions/new").await,
        client
            .post(
                "/questions",
                &[
                    ("title", "A question from an unconfirmed account"),
                    ("body", &body("nope")),
                    ("tags", "confirm"),
                ],
            )
            .await,
        client
            .post(
                &format!("/questions/{}/answers", q.id),
                &[("body", &body("nope"))],
            )
            .await,
        client
            .post(&format!("/questions/{}/vote", q.id), &[("direction", "up")])
            .await,
        client
            .post(&format!("/questions/{}/flag", q.id), &[("reason", "spam")])
            .await,
        client.get("/reviews/new").await,
    ];
    for res in refused {
        assert_eq!(res.status_code(), 403);
        assert!(
            res.text()
                .contains("Please confirm your e-mail address first"),
            "the page says why"
        );
    }
    assert_eq!(app.reload_question(q.id).await.answer_count, 0);
    // nobody else sees the account yet: its existence would tell that the
    // address it registered with was free
    assert_eq!(app.client().get("/users/fresh").await.status_code(), 404);
    assert!(!app
        .client()
        .get("/leaderboard")
        .await
        .text()
        .contains("fresh"));
    client.set_cookie("lang", "ru");
    let res = client.get("/questions/new").await;
    assert!(res.text().contains("Сначала подтвердите адрес"));
}

#[tokio::test]
async fn the_link_can_be_sent_again_from_the_settings_and_then_posting_works() {
    let app = TestApp::new().await;
    let (user, client) = unconfirmed(&app, "later").await;
    client.get("/settings/profile").await;
    let res = client.post("/settings/confirm", &[]).await;
    assert_eq!(res.status_code(), 303);
    assert_eq!(location(&res), "/settings/profile");
    let mails = sent_mail(&app).await;
    assert_eq!(mails.len(), 1);
    let text = plain_text(&mails[0]);
    let start = text.find("/register/confirm/").unwrap();
    let link = text[start..].split_whitespace().next().unwrap().to_string();
    let res = client.get(&link).await;
    assert_eq!(location(&res), "/", "logged in: back to the forum");
    let stored = users::Model::find_by_username(&app.ctx.db, &user.username)
        .await
        .unwrap()
        .unwrap();
    assert!(stored.email_confirmed_at.is_some());
    // the session notices at once
    assert!(!client
        .get("/")
        .await
        .text()
        .contains("Your e-mail address is not confirmed yet"));
    assert_eq!(client.get("/questions/new").await.status_code(), 200);
    // an unknown or mangled link is a clear page, not an error
    let res = client.get("/register/confirm/not-a-token").await;
    assert_eq!(res.status_code(), 410);
    assert!(res.text().contains("invalid, already used or expired"));
}

#[tokio::test]
async fn demo_and_operator_accounts_are_confirmed() {
    let app = TestApp::new().await;
    nightcoder::tasks::demo::seed_if_empty(&app.ctx)
        .await
        .unwrap();
    let alice = users::Model::find_by_username(&app.ctx.db, "alice")
        .await
        .unwrap()
        .unwrap();
    assert!(alice.email_confirmed_at.is_some());
    let (_, client) = unconfirmed(&app, "promoted").await;
    let vars = Vars::from_cli_args(vec![("username".into(), "promoted".into())]);
    loco_rs::boot::run_task::<App>(&app.ctx, Some(&"user:admin".to_string()), &vars)
        .await
        .unwrap();
    let promoted = users::Model::find_by_username(&app.ctx.db, "promoted")
        .await
        .unwrap()
        .unwrap();
    assert!(promoted.email_confirmed_at.is_some());
    drop(client);
    let fresh = app.client();
    fresh.login("promoted", PASSWORD).await;
    assert_eq!(fresh.get("/questions/new").await.status_code(), 200);
}

#[tokio::test]
async fn the_forgot_page_costs_the_same_whether_or_not_the_address_exists() {
    let app = TestApp::new().await;
    app.create_user("known").await;
    let client = app.client();
    client.get("/password/forgot").await;
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for i in 0..15 {
        let t = std::time::Instant::now();
        client
            .post("/password/forgot", &[("email", "known@example.org")])
            .await;
        known.push(t.elapsed().as_secs_f64());
        let t = std::time::Instant::now();
        let ghost = format!("ghost{i}@example.org");
        client.post("/password/forgot", &[("email", &ghost)]).await;
        unknown.push(t.elapsed().as_secs_f64());
    }
    known.sort_by(f64::total_cmp);
    unknown.sort_by(f64::total_cmp);
    let (known, unknown) = (known[7], unknown[7]);
    // both queue one job and nothing else: the medians are alike
    let ratio = known / unknown;
    assert!(
        (0.5..2.0).contains(&ratio),
        "known {known:.4}s vs unknown {unknown:.4}s"
    );
}
