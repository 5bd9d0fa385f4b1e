//! Abuse limits inside the app: 429 with `Retry-After`, a page (or JSON) in
//! the user's language, counted in the database (so every app process
//! shares them). Each test boots with the limit it proves; config/test.yaml
//! raises them for every other test.
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;

use super::password_reset::sent_mail;
use crate::support::{client::location, forum::body, Client, TestApp, PASSWORD};

fn retry_after(res: &axum_test::TestResponse) -> i64 {
    res.header("retry-after").to_str().unwrap().parse().unwrap()
}

/// Limits count in fixed windows that start on multiples of their length
/// (as the server's clock sees them); a test whose hits must land in one
/// window waits out the last seconds of the current one first.
pub async fn clear_of_window_edge(per_secs: u64) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    let into = now.as_secs() % per_secs;
    if per_secs - into < 15 {
        tokio::time::sleep(std::time::Duration::from_secs(per_secs - into + 1)).await;
    }
}

/// A browser whose requests come from `ip` (through the trusted proxy).
async fn from(app: &TestApp, ip: &str) -> Client {
    let client = app.client();
    client.set_forwarded_for(ip);
    client.get("/login").await;
    client
}

async fn wrong_login(client: &Client, login: &str) -> axum_test::TestResponse {
    client
        .post(
            "/login",
            &[("login", login), ("password", "not the password at all")],
        )
        .await
}

#[tokio::test]
async fn failed_logins_per_account_end_in_a_429_with_a_growing_wait() {
    let app = TestApp::with_settings(|s| {
        s["limits"]["login_account"] = json!([
            { "max": 3, "per_secs": 60 },
            { "max": 5, "per_secs": 3600 }
        ]);
    })
    .await;
    app.create_user("target").await;
    app.create_user("bystander").await;
    clear_of_window_edge(60).await;
    let client = from(&app, "10.0.0.1").await;
    for _ in 0..3 {
        assert_eq!(wrong_login(&client, "target").await.status_code(), 422);
    }
    let res = wrong_login(&client, "TARGET@example.org").await;
    assert_eq!(
        res.status_code(),
        429,
        "the same account, by e-mail, any case"
    );
    let wait = retry_after(&res);
    assert!((1..=60).contains(&wait), "{wait}");
    assert!(res.text().contains("Too many attempts in a short time"));
    // even the right password waits, and from another address too
    let other = from(&app, "10.0.0.2").await;
    let res = other
        .post("/login", &[("login", "target"), ("password", PASSWORD)])
        .await;
    assert_eq!(res.status_code(), 429);
    // JSON clients get JSON, Russian readers Russian
    let res = other
        .send(
            other
                .request(axum::http::Method::POST, "/login")
                .add_header("accept", "application/json")
                .form(&[
                    ("csrf_token", other.token().await.as_str()),
                    ("login", "target"),
                    ("password", "x"),
                ]),
        )
        .await;
    assert_eq!(res.status_code(), 429);
    assert!(res.header("retry-after").to_str().is_ok());
    assert_eq!(res.json::<serde_json::Value>()["status"], 429);
    other.set_cookie("lang", "ru");
    let res = wrong_login(&other, "target").await;
    assert!(
        res.text().contains("Слишком много попыток"),
        "{}",
        res.text()
    );
    // other accounts are not affected
    client.login("bystander", PASSWORD).await;
}

#[tokio::test]
async fn failed_logins_per_client_address_are_limited_and_a_success_is_refunded() {
    let app = TestApp::with_settings(|s| {
        s["limits"]["login_client"] = json!([{ "max": 3, "per_secs": 60 }]);
    })
    .await;
    for name in ["una", "vic", "wil", "xia"] {
        app.create_user(name).await;
    }
    clear_of_window_edge(60).await;
    let sprayer = from(&app, "10.0.0.9").await;
    // a right password does not use up the address's allowance
    sprayer.login("una", PASSWORD).await;
    sprayer.logout().await;
    sprayer.get("/login").await;
    for name in ["vic", "wil", "xia"] {
        assert_eq!(wrong_login(&sprayer, name).await.status_code(), 422);
    }
    let res = wrong_login(&sprayer, "una").await;
    assert_eq!(res.status_code(), 429);
    // another address is fine
    let other = from(&app, "10.0.0.10").await;
    assert_eq!(wrong_login(&other, "vic").await.status_code(), 422);
}

#[tokio::test]
async fn reset_requests_are_limited_per_address_and_client_and_mail_once_per_account() {
    let app = TestApp::with_settings(|s| {
        s["limits"]["reset_address"] = json!([{ "max": 2, "per_secs": 3600 }]);
        s["limits"]["reset_client"] = json!([{ "max": 5, "per_secs": 3600 }]);
        s["limits"]["account_mail"] = json!([{ "max": 1, "per_secs": 600 }]);
    })
    .await;
    app.create_user("ruth").await;
    clear_of_window_edge(600).await;
    let client = from(&app, "10.0.1.1").await;
    client.get("/password/forgot").await;
    let forgot = |email: &'static str| {
        let client = &client;
        async move {
            client
                .post("/password/forgot", &[("email", email)])
                .await
                .status_code()
        }
    };
    assert_eq!(forgot("ruth@example.org").await, 303);
    assert_eq!(forgot("ruth@example.org").await, 303);
    assert_eq!(forgot("ruth@example.org").await, 429, "per address");
    // an unknown address is limited the same way: nothing to learn here
    assert_eq!(forgot("ghost@example.org").await, 303);
    assert_eq!(forgot("ghost@example.org").await, 303);
    assert_eq!(forgot("other@example.org").await, 429, "per client");
    // two accepted requests, one mail: one per account per 10 minutes
    assert_eq!(sent_mail(&app).await.len(), 1);
}

#[tokio::test]
async fn new_accounts_per_client_address_are_limited() {
    let app = TestApp::with_settings(|s| {
        s["limits"]["register_client"] = json!([{ "max": 2, "per_secs": 86400 }]);
    })
    .await;
    let client = from(&app, "10.0.2.1").await;
    client.get("/register").await;
    for (i, expected) in [(1, 303), (2, 303), (3, 429)] {
        let name = format!("maker{i}");
        let email = format!("maker{i}@example.org");
        let pass = "a perfectly fine passphrase";
        let res = client
            .post(
                "/register",
                &[
                    ("username", name.as_str()),
                    ("email", email.as_str()),
                    ("password", pass),
                    ("password_confirm", pass),
                ],
            )
            .await;
        assert_eq!(res.status_code(), expected, "registration {i}");
    }
    let elsewhere = from(&app, "10.0.2.2").await;
    elsewhere.get("/register").await;
    let pass = "a perfectly fine passphrase";
    let res = elsewhere
        .post(
            "/register",
            &[
                ("username", "maker4"),
                ("email", "maker4@example.org"),
                ("password", pass),
                ("password_confirm", pass),
            ],
        )
        .await;
    assert_eq!(res.status_code(), 303);
}

async fn ask(client: &Client, n: usize) -> u16 {
    let title = format!("Rate limited question number {n}");
    client
        .post(
            "/questions",
            &[
                ("title", &title),
                ("body", &body(&title)),
                ("tags", "limits"),
            ],
        )
        .await
        .status_code()
        .as_u16()
}

#[tokio::test]
async fn posts_per_hour_are_stricter_for_new_accounts_and_looser_with_reputation() {
    let app = TestApp::with_settings(|s| {
        s["limits"]["posts"]["question"] = json!({ "new": 2, "regular": 4, "trusted": 100 });
        s["limits"]["posts"]["answer"] = json!({ "new": 1, "regular": 4, "trusted": 100 });
    })
    .await;
    let (_, newbie) = app.login_as("newbie").await;
    assert_eq!(ask(&newbie, 1).await, 303);
    assert_eq!(ask(&newbie, 2).await, 303);
    let res_code = ask(&newbie, 3).await;
    assert_eq!(res_code, 429, "a new account: 2 an hour");

    let (regular, client) = app.login_as("regular").await;
    app.grant(&regular, 50).await;
    for n in 1..=4 {
        assert_eq!(ask(&client, n).await, 303, "question {n}");
    }
    assert_eq!(
        ask(&client, 5).await,
        429,
        "an established account: 4 an hour"
    );

    let moderator = app.create_user_with_role("mod", "moderator").await;
    let staff = app.login_existing(&moderator).await;
    for n in 1..=5 {
        assert_eq!(ask(&staff, n).await, 303, "staff are not limited");
    }

    // answers have their own allowance
    let q = app
        .question(&moderator, "Somewhere to answer twice", "limits")
        .await;
    let path = format!("/questions/{}/answers", q.id);
    let res = newbie
        .post(&path, &[("body", &body("a first answer"))])
        .await;
    assert_eq!(res.status_code(), 303);
    let res = newbie
        .post(&path, &[("body", &body("a second answer"))])
        .await;
    assert_eq!(res.status_code(), 429);
    assert!(retry_after(&res) <= 3600);
}

#[tokio::test]
async fn votes_per_day_are_limited_on_both_paths() {
    let app = TestApp::with_settings(|s| {
        s["limits"]["votes_per_day"] = json!(2);
    })
    .await;
    let author = app.create_user("author").await;
    let (_, voter) = app.login_as("voter").await;
    let mut questions = Vec::new();
    for i in 0..3 {
        questions.push(
            app.question(&author, &format!("A question to vote on {i}"), "votes")
                .await,
        );
    }
    for q in &questions[..2] {
        let res = voter
            .post(&format!("/questions/{}/vote", q.id), &[("direction", "up")])
            .await;
        assert_eq!(res.status_code(), 303);
        assert!(location(&res).starts_with("/questions/"));
    }
    let res = voter
        .send(
            voter
                .request(
                    axum::http::Method::POST,
                    &format!("/questions/{}/vote", questions[2].id),
                )
                .add_header("accept", "application/json")
                .add_header("x-csrf-token", voter.token().await)
                .form(&[("direction", "up")]),
        )
        .await;
    assert_eq!(res.status_code(), 429);
    let wait = retry_after(&res);
    assert!((1..=86_400).contains(&wait), "{wait}");
    assert_eq!(app.reload_question(questions[2].id).await.score, 0);
}

/// The daily limit is counted with the vote's reads, in its transaction:
/// a vote the rules refuse after that read (a down vote without the
/// reputation for it), one refused before it (one's own post) and a vote
/// over the limit count nothing, so the limit still lets the voter's next
/// real vote in.
#[tokio::test]
async fn only_votes_that_count_use_up_the_daily_limit() {
    let app = TestApp::with_settings(|s| {
        s["limits"]["votes_per_day"] = json!(1);
    })
    .await;
    let author = app.create_user("author").await;
    let (me, voter) = app.login_as("voter").await;
    let mine = app
        .question(&me, "My own question to vote on", "votes")
        .await;
    let theirs = app
        .question(&author, "Their question to vote on", "votes")
        .await;
    let other = app
        .question(&author, "Another question to vote on", "votes")
        .await;
    let vote = |id: i64, direction: &'static str| {
        let voter = &voter;
        async move {
            voter
                .post(
                    &format!("/questions/{id}/vote"),
                    &[("direction", direction)],
                )
                .await
                .status_code()
        }
    };
    // refused by the rules: a flash and a redirect, nothing counted
    for _ in 0..2 {
        assert_eq!(vote(mine.id, "up").await, 303);
        assert_eq!(vote(theirs.id, "down").await, 303);
    }
    assert_eq!(app.reload_question(mine.id).await.score, 0);
    assert_eq!(app.reload_question(theirs.id).await.score, 0);
    assert_eq!(vote(theirs.id, "up").await, 303);
    assert_eq!(app.reload_question(theirs.id).await.score, 1);
    for _ in 0..2 {
        assert_eq!(vote(other.id, "up").await, 429);
    }
    assert_eq!(app.reload_question(other.id).await.score, 0);
    // the refused votes left the window at the one vote that counted
    let db = &app.ctx.db;
    let sql = "SELECT CAST(SUM(hits) AS BIGINT) AS n FROM rate_limits WHERE bucket LIKE 'vote:%'";
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.try_get::<i64>("", "n").unwrap(), 1);
}
