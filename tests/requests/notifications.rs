//! Notifications: who hears about each event, folding of repeats, the
//! inbox and the navbar's count, following, and the e-mail settings.
use nightcoder::db::entities::notifications as notes;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::support::{
    client::{location, queries},
    html::{count, text},
    Client, TestApp,
};

/// `user_id`'s notifications, oldest first: (kind, count, detail).
async fn of(app: &TestApp, user_id: i64) -> Vec<(String, i32, Option<String>)> {
    notes::Entity::find()
        .filter(notes::Column::UserId.eq(user_id))
        .order_by_asc(notes::Column::Id)
        .all(&app.ctx.db)
        .await
        .unwrap()
        .into_iter()
        .map(|n| (n.kind, n.count, n.detail))
        .collect()
}

fn kinds(list: &[(String, i32, Option<String>)]) -> Vec<&str> {
    list.iter().map(|(k, _, _)| k.as_str()).collect()
}

async fn answer_via_http(client: &Client, question_id: i64, text: &str) {
    let res = client
        .post(
            &format!("/questions/{question_id}/answers"),
            &[("body", &crate::support::forum::body(text))],
        )
        .await;
    assert_eq!(res.status_code(), 303, "{}", res.text());
}

#[tokio::test]
async fn each_event_notifies_the_people_it_concerns() {
    let app = TestApp::new().await;
    let (asker, asking) = app.login_as("asker").await;
    let (helper, helping) = app.login_as("helper").await;
    let (watcher, watching) = app.login_as("watcher").await;
    let q = app
        .question(&asker, "How do lifetimes work in Rust", "rust")
        .await;

    // following: the watcher follows by hand, the helper by answering
    let res = watching
        .post(&format!("/questions/{}/follow", q.id), &[])
        .await;
    assert_eq!(location(&res), q.url());
    answer_via_http(&helping, q.id, "Lifetimes name how long a borrow lives").await;
    assert_eq!(kinds(&of(&app, asker.id).await), ["answer"]);
    assert_eq!(kinds(&of(&app, watcher.id).await), ["followed"]);
    assert!(of(&app, helper.id).await.is_empty(), "never about oneself");

    // a comment on the answer reaches its author; a mention its person
    let answer = nightcoder::forum::answers::Entity::find()
        .one(&app.ctx.db)
        .await
        .unwrap()
        .unwrap();
    asking
        .post(
            &format!("/answers/{}/comments", answer.id),
            &[("body", "Thanks! @watcher, this answers it")],
        )
        .await;
    assert_eq!(kinds(&of(&app, helper.id).await), ["comment"]);
    assert_eq!(kinds(&of(&app, watcher.id).await), ["followed", "mention"]);

    // acceptance
    asking
        .post(&format!("/answers/{}/accept", answer.id), &[])
        .await;
    assert_eq!(kinds(&of(&app, helper.id).await), ["comment", "accepted"]);

    // a moderator edits, locks and deletes with a reason
    let moderator = app.create_user_with_role("mod", "moderator").await;
    let moderating = app.login_existing(&moderator).await;
    moderating
        .post(
            &format!("/answers/{}/edit", answer.id),
            &[("body", &crate::support::forum::body("Lifetimes, tidied up"))],
        )
        .await;
    moderating
        .post(
            &format!("/admin/questions/{}/lock", q.id),
            &[("reason", "too heated")],
        )
        .await;
    moderating
        .post(
            &format!("/admin/answers/{}/delete", answer.id),
            &[("reason", "plagiarism")],
        )
        .await;
    let to_helper = of(&app, helper.id).await;
    assert_eq!(
        kinds(&to_helper),
        ["comment", "accepted", "edited", "moderation"]
    );
    assert_eq!(to_helper[3].2.as_deref(), Some("deleted"));
    let to_asker = of(&app, asker.id).await;
    assert_eq!(kinds(&to_asker), ["answer", "moderation"]);
    assert_eq!(to_asker[1].2.as_deref(), Some("locked"));
    let inbox = helping.get("/notifications").await.text();
    assert!(inbox.contains("mod deleted your post"), "{inbox}");
    assert!(inbox.contains("plagiarism"));
    assert!(inbox.contains("asker accepted your answer"));
    // and a flag's outcome reaches the flagger
    app.grant(&watcher, 20).await;
    watching
        .post(
            &format!("/questions/{}/flag", q.id),
            &[("reason", "spam"), ("note", "")],
        )
        .await;
    let flag = nightcoder::admin::flags::Entity::find()
        .one(&app.ctx.db)
        .await
        .unwrap()
        .unwrap();
    moderating
        .post(
            &format!("/admin/flags/{}/resolve", flag.id),
            &[("outcome", "declined"), ("followup", "none"), ("note", "")],
        )
        .await;
    let to_watcher = of(&app, watcher.id).await;
    assert_eq!(to_watcher.last().unwrap().0, "flag");
    assert_eq!(to_watcher.last().unwrap().2.as_deref(), Some("declined"));
}

#[tokio::test]
async fn repeats_fold_into_one_unread_notification() {
    let app = TestApp::new().await;
    let (asker, asking) = app.login_as("asker").await;
    let q = app
        .question(&asker, "A popular question indeed", "rust")
        .await;
    for name in ["ann1", "ann2", "ann3"] {
        let (_, client) = app.login_as(name).await;
        answer_via_http(&client, q.id, &format!("answer from {name}")).await;
    }
    assert_eq!(of(&app, asker.id).await, [("answer".into(), 3, None)]);
    let inbox = asking.get("/notifications").await.text();
    assert!(inbox.contains("3 new answers to your question"), "{inbox}");
    asking.set_cookie("lang", "ru");
    let inbox = asking.get("/notifications").await.text();
    assert!(inbox.contains("3 новых ответа на ваш вопрос"), "{inbox}");
    // once read, the next answer starts a new notification
    let id = notes::Entity::find()
        .one(&app.ctx.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    asking
        .post("/notifications/read", &[("id", &id.to_string())])
        .await;
    let (_, late) = app.login_as("late").await;
    answer_via_http(&late, q.id, "a late answer").await;
    let list = of(&app, asker.id).await;
    assert_eq!(list.len(), 2);
    assert_eq!(list[1].1, 1);
}

#[tokio::test]
async fn opening_a_notification_marks_it_read_and_goes_to_its_place() {
    let app = TestApp::new().await;
    let (asker, asking) = app.login_as("asker").await;
    let (_, helping) = app.login_as("helper").await;
    let (_, stranger) = app.login_as("stranger").await;
    let q = app
        .question(&asker, "A question worth answering", "rust")
        .await;
    let q2 = app
        .question(&asker, "Another question worth answering", "rust")
        .await;
    answer_via_http(&helping, q.id, "first answer").await;
    answer_via_http(&helping, q2.id, "second answer").await;

    let html = asking.get("/questions").await.text();
    assert_eq!(text(&html, "#unread-count"), "2");
    let res = asking.get("/notifications").await;
    let html = res.text();
    assert_eq!(count(&html, ".notification.unread"), 2);
    let list = notes::Entity::find()
        .order_by_asc(notes::Column::Id)
        .all(&app.ctx.db)
        .await
        .unwrap();
    let first = list[0].id.to_string();
    // someone else's notification is not there for them
    assert_eq!(
        stranger
            .post("/notifications/read", &[("id", &first)])
            .await
            .status_code(),
        404
    );
    let res = asking.post("/notifications/read", &[("id", &first)]).await;
    assert_eq!(res.status_code(), 303);
    assert!(location(&res).starts_with(&q.url()));
    assert!(location(&res).contains("#answer-"));
    assert_eq!(text(&asking.get("/").await.text(), "#unread-count"), "1");
    // the JSON path says where and how many are left
    let token = asking.token().await;
    let res = asking
        .send(
            asking
                .request(axum::http::Method::POST, "/notifications/read")
                .add_header("accept", "application/json")
                .form(&[("csrf_token", token.as_str()), ("all", "1")]),
        )
        .await;
    assert_eq!(res.json::<serde_json::Value>()["unread"], 0);
    let html = asking.get("/").await.text();
    assert_eq!(count(&html, "#unread-count"), 0);
    // junk
    for fields in [&[("id", "abc")][..], &[][..], &[("all", "2")][..]] {
        assert_eq!(
            asking
                .post("/notifications/read", fields)
                .await
                .status_code(),
            400,
            "{fields:?}"
        );
    }
    assert_eq!(
        app.client().get("/notifications").await.status_code(),
        303,
        "anonymous visitors log in first"
    );
}

#[tokio::test]
async fn the_unread_count_costs_no_extra_query() {
    let app = TestApp::new().await;
    let (asker, asking) = app.login_as("asker").await;
    let q = app
        .question(&asker, "A question worth answering", "rust")
        .await;
    let before = queries(&asking.get("/tags").await);
    for i in 0..3 {
        let (_, client) = app.login_as(&format!("helper{i}")).await;
        answer_via_http(&client, q.id, "an answer").await;
        let q = app
            .question(&asker, &format!("Question number {i} here"), "rust")
            .await;
        answer_via_http(&client, q.id, "an answer").await;
    }
    let res = asking.get("/tags").await;
    assert_eq!(text(&res.text(), "#unread-count"), "4");
    assert_eq!(queries(&res), before, "the badge rides on the user's row");
}

#[tokio::test]
async fn following_is_a_toggle_and_listed_on_ones_own_profile() {
    let app = TestApp::new().await;
    let (asker, _) = app.login_as("asker").await;
    let (watcher, watching) = app.login_as("watcher").await;
    let q = app
        .question(&asker, "A question to watch closely", "rust")
        .await;
    let path = format!("/questions/{}/follow", q.id);
    let follow_json = async || {
        let token = watching.token().await;
        watching
            .send(
                watching
                    .request(axum::http::Method::POST, &path)
                    .add_header("accept", "application/json")
                    .form(&[("csrf_token", token.as_str())]),
            )
            .await
            .json::<serde_json::Value>()
    };
    assert_eq!(follow_json().await["following"], true);
    let html = watching.get(&q.url()).await.text();
    assert_eq!(text(&html, "[data-follow] button"), "Following");
    let profile = watching.get("/users/watcher").await.text();
    assert!(text(&profile, "#following").contains("A question to watch closely"));
    assert_eq!(
        count(
            &app.client().get("/users/watcher").await.text(),
            "#following"
        ),
        0,
        "only the owner sees the list"
    );
    assert_eq!(follow_json().await["following"], false);
    let (_, helping) = app.login_as("helper").await;
    answer_via_http(&helping, q.id, "an answer nobody watches").await;
    assert!(of(&app, watcher.id).await.is_empty());
    for bad in ["/questions/999/follow", "/questions/x/follow"] {
        assert_eq!(watching.post(bad, &[]).await.status_code(), 404);
    }
}

#[tokio::test]
async fn fanning_out_to_many_followers_takes_the_same_queries() {
    let app = TestApp::new().await;
    let asker = app.create_user("asker").await;
    let (_, helping) = app.login_as("helper").await;
    let mut measured = Vec::new();
    for followers in [3, 120] {
        let q = app
            .question(
                &asker,
                &format!("A question with {followers} followers"),
                "rust",
            )
            .await;
        let base = 10_000 * followers;
        let values: Vec<String> = (0..followers)
            .map(|i| {
                format!(
                    "('f{}', 'f{}@example.org', 'x', 'user', 1, '', 0, 'en', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
                    base + i,
                    base + i
                )
            })
            .collect();
        app.ctx
            .db
            .execute_unprepared(&format!(
                "INSERT INTO users (username, email, password_hash, role, reputation, bio, session_version, lang, \
                 email_confirmed_at, created_at, updated_at) VALUES {}",
                values.join(", ")
            ))
            .await
            .unwrap();
        app.ctx
            .db
            .execute_unprepared(&format!(
                "INSERT INTO follows (user_id, question_id, created_at) SELECT id, {}, CURRENT_TIMESTAMP \
                 FROM users WHERE username LIKE 'f%'",
                q.id
            ))
            .await
            .unwrap();
        let res = helping
            .post(
                &format!("/questions/{}/answers", q.id),
                &[("body", &crate::support::forum::body("an answer for all"))],
            )
            .await;
        measured.push(queries(&res));
        let n = notes::Entity::find()
            .filter(notes::Column::QuestionId.eq(q.id))
            .filter(notes::Column::Kind.eq("followed"))
            .all(&app.ctx.db)
            .await
            .unwrap()
            .len();
        let expected = if followers == 3 { 3 } else { 3 + 120 };
        assert_eq!(n, expected);
        app.ctx
            .db
            .execute_unprepared("DELETE FROM follows WHERE user_id IN (SELECT id FROM users WHERE username LIKE 'f%')")
            .await
            .unwrap();
    }
    assert_eq!(measured[0], measured[1], "{measured:?}");
}

#[tokio::test]
async fn email_settings_per_kind() {
    let app = TestApp::new().await;
    let (_, client) = app.login_as("asker").await;
    let html = client.get("/settings/notifications").await.text();
    assert_eq!(
        nightcoder_checked(&html, "email_answer"),
        "instant",
        "answers come at once by default"
    );
    assert_eq!(nightcoder_checked(&html, "email_comment"), "daily");
    let res = client
        .post(
            "/settings/notifications",
            &[("email_answer", "off"), ("email_comment", "instant")],
        )
        .await;
    assert_eq!(location(&res), "/settings/notifications");
    let html = client.get("/settings/notifications").await.text();
    assert_eq!(nightcoder_checked(&html, "email_answer"), "off");
    assert_eq!(nightcoder_checked(&html, "email_comment"), "instant");
    assert_eq!(nightcoder_checked(&html, "email_flag"), "off");
    for bad in [
        &[("email_answer", "sometimes")][..],
        &[("email_nothing", "off")][..],
        &[("answer", "off")][..],
    ] {
        assert_eq!(
            client
                .post("/settings/notifications", bad)
                .await
                .status_code(),
            400,
            "{bad:?}"
        );
    }
    client.set_cookie("lang", "ru");
    let html = client.get("/settings/notifications").await.text();
    assert!(html.contains("Ежедневная сводка"));
    let _ = app.ctx.db.get_database_backend();
}

/// The value of the checked radio button named `name`.
fn nightcoder_checked(html: &str, name: &str) -> String {
    crate::support::html::attr(html, &format!("input[name={name}][checked]"), "value")
        .unwrap_or_default()
}
