//! Comments: the privilege and its exceptions, length and markup, the
//! first five and "show all", the five-minute edit window, deletion,
//! votes without reputation, mentions, flags, and the JSON path.
use nightcoder::db::entities::{audit_logs as audit, comments, notifications};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::support::{
    client::location,
    html::{count, text, texts},
    Client, TestApp,
};

const JSON: (&str, &str) = ("accept", "application/json");

fn comment(text: &str) -> String {
    format!("{text} — a comment long enough")
}

async fn post_comment(client: &Client, path: &str, body: &str) -> axum_test::TestResponse {
    client.post(path, &[("body", body)]).await
}

async fn post_json(
    client: &Client,
    path: &str,
    fields: &[(&str, &str)],
) -> axum_test::TestResponse {
    let token = client.token().await;
    let mut all = vec![("csrf_token", token.as_str())];
    all.extend_from_slice(fields);
    client
        .send(
            client
                .request(axum::http::Method::POST, path)
                .add_header(JSON.0, JSON.1)
                .form(&all),
        )
        .await
}

#[tokio::test]
async fn commenting_needs_the_privilege_except_on_own_posts_and_answers_to_own_questions() {
    let app = TestApp::new().await;
    let (asker, asking) = app.login_as("asker").await;
    let (helper, helping) = app.login_as("helper").await;
    let (newbie, newcomer) = app.login_as("newbie").await;
    let q = app
        .question(&asker, "Why does my borrow checker complain", "rust")
        .await;
    let a = app.answer(&helper, &q, "Because the value moves").await;
    let on_q = format!("/questions/{}/comments", q.id);
    let on_a = format!("/answers/{}/comments", a.id);

    let res = post_comment(&newcomer, &on_q, &comment("first")).await;
    assert_eq!(res.status_code(), 403);
    assert!(
        res.text().contains("You need 50 reputation"),
        "{}",
        res.text()
    );
    newcomer.set_cookie("lang", "ru");
    let res = post_comment(&newcomer, &on_q, &comment("first")).await;
    assert_eq!(res.status_code(), 403);
    assert!(res.text().contains("нужна репутация 50"), "{}", res.text());

    for (client, path) in [(&asking, &on_q), (&asking, &on_a), (&helping, &on_a)] {
        let res = post_comment(client, path, &comment("allowed")).await;
        assert_eq!(res.status_code(), 303, "{path}: {}", res.text());
        assert!(location(&res).contains("#comment-"), "{}", location(&res));
    }
    // the answerer has 1 reputation: not on someone else's question
    assert_eq!(
        post_comment(&helping, &on_q, &comment("not yet"))
            .await
            .status_code(),
        403
    );
    app.grant(&newbie, 49).await;
    assert_eq!(
        post_comment(&newcomer, &on_q, &comment("now"))
            .await
            .status_code(),
        303
    );
    let html = app.client().get(&q.url()).await.text();
    assert_eq!(count(&html, "#comments-q1 .comment"), 2);
    assert_eq!(count(&html, &format!("#comments-a{} .comment", a.id)), 2);
    assert!(texts(&html, ".comment-body")
        .iter()
        .all(|t| t.ends_with("a comment long enough")));
    let _ = helper;
}

#[tokio::test]
async fn bad_comments_get_a_message_and_keep_the_text() {
    let app = TestApp::new().await;
    let (asker, asking) = app.login_as("asker").await;
    let q = app
        .question(&asker, "Where do comments go wrong", "rust")
        .await;
    let path = format!("/questions/{}/comments", q.id);
    for bad in ["too short", &"x".repeat(601), "fifteen chars\u{7}!!!!"] {
        let res = post_comment(&asking, &path, bad).await;
        assert_eq!(res.status_code(), 422, "{bad:?}");
        let html = res.text();
        assert!(!text(&html, ".invalid-feedback").is_empty(), "{html}");
        if bad.len() < 50 {
            assert!(html.contains(&bad.replace('\u{7}', "")[..5]));
        }
    }
    let res = post_json(&asking, &path, &[("body", "short")]).await;
    assert_eq!(res.status_code(), 422);
    let json: serde_json::Value = res.json();
    assert!(json["error"].as_str().unwrap().contains("15"), "{json}");
    let res = post_json(&asking, &path, &[("body", &comment("by script"))]).await;
    assert_eq!(res.status_code(), 200);
    let json: serde_json::Value = res.json();
    assert!(
        json["url"].as_str().unwrap().contains("#comment-"),
        "{json}"
    );
    // unknown fields, ids and posts
    assert_eq!(
        asking
            .post(&path, &[("body", &comment("x")), ("extra", "1")])
            .await
            .status_code(),
        422
    );
    for path in [
        "/questions/999/comments",
        "/answers/999/comments",
        "/questions/abc/comments",
    ] {
        assert_eq!(
            post_comment(&asking, path, &comment("nowhere"))
                .await
                .status_code(),
            404,
            "{path}"
        );
    }
    // markup: inline only, raw HTML shown as text, no script
    post_comment(
        &asking,
        &path,
        "**bold** `code` <script>alert(1)</script> [x](javascript:alert(1))",
    )
    .await;
    let html = asking.get(&q.url()).await.text();
    assert!(html.contains("<strong>bold</strong> <code>code</code>"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("javascript:alert"));
}

#[tokio::test]
async fn locked_and_deleted_posts_take_no_comments() {
    let app = TestApp::new().await;
    let (asker, asking) = app.login_as("asker").await;
    let q = app
        .question(&asker, "A question about to be locked", "rust")
        .await;
    let a = app.answer(&asker, &q, "Answering myself here").await;
    let moderator = app.create_user_with_role("mod", "moderator").await;
    let moderating = app.login_existing(&moderator).await;
    moderating
        .post(
            &format!("/admin/answers/{}/delete", a.id),
            &[("reason", "")],
        )
        .await;
    assert_eq!(
        post_comment(
            &asking,
            &format!("/answers/{}/comments", a.id),
            &comment("x")
        )
        .await
        .status_code(),
        404
    );
    moderating
        .post(
            &format!("/admin/questions/{}/lock", q.id),
            &[("reason", "heated")],
        )
        .await;
    let res = post_comment(
        &asking,
        &format!("/questions/{}/comments", q.id),
        &comment("x"),
    )
    .await;
    assert_eq!(res.status_code(), 403);
    assert!(res.text().contains("locked"));
    assert_eq!(
        count(&asking.get(&q.url()).await.text(), ".comment-form"),
        0
    );
}

#[tokio::test]
async fn the_first_five_show_and_a_link_shows_all() {
    let app = TestApp::new().await;
    let (asker, asking) = app.login_as("asker").await;
    let q = app
        .question(&asker, "A question with many comments", "rust")
        .await;
    for i in 0..7 {
        post_comment(
            &asking,
            &format!("/questions/{}/comments", q.id),
            &comment(&i.to_string()),
        )
        .await;
    }
    let reader = app.client();
    let html = reader.get(&q.url()).await.text();
    assert_eq!(count(&html, "#comments-q1 .comment"), 5);
    assert!(text(&html, "#comments-q1").contains("Show all 7 comments"));
    let html = reader
        .get(&format!("{}?comments=all", q.url()))
        .await
        .text();
    assert_eq!(count(&html, "#comments-q1 .comment"), 7);
    assert!(!html.contains("Show all 7"));
    // the old short address keeps the choice through its redirect
    let res = reader
        .get(&format!("/questions/{}?comments=all", q.id))
        .await;
    assert!(location(&res).ends_with("?comments=all"));
}

#[tokio::test]
async fn owners_edit_for_five_minutes_and_moderators_always() {
    let app = TestApp::new().await;
    let (asker, asking) = app.login_as("asker").await;
    let (_, other) = app.login_as("other").await;
    let q = app
        .question(&asker, "A question to comment on", "rust")
        .await;
    post_comment(
        &asking,
        &format!("/questions/{}/comments", q.id),
        &comment("typo"),
    )
    .await;
    let c = comments::Entity::find()
        .one(&app.ctx.db)
        .await
        .unwrap()
        .unwrap();
    let edit = format!("/comments/{}/edit", c.id);

    assert_eq!(asking.get(&edit).await.status_code(), 200);
    let res = asking.post(&edit, &[("body", &comment("fixed"))]).await;
    assert_eq!(res.status_code(), 303);
    let html = asking.get(&q.url()).await.text();
    assert!(html.contains("fixed — a comment") && html.contains("(edited)"));
    assert_eq!(other.get(&edit).await.status_code(), 403);
    assert_eq!(
        other
            .post(&edit, &[("body", &comment("hijack"))])
            .await
            .status_code(),
        403
    );
    let res = asking.post(&edit, &[("body", "short")]).await;
    assert_eq!(res.status_code(), 422);

    // six minutes later
    let past = chrono::Utc::now() - chrono::Duration::minutes(6);
    app.ctx
        .db
        .execute_unprepared(&format!(
            "UPDATE comments SET created_at = '{}'",
            past.format("%Y-%m-%d %H:%M:%S%:z")
        ))
        .await
        .unwrap();
    let res = asking.post(&edit, &[("body", &comment("late"))]).await;
    assert_eq!(res.status_code(), 403);
    assert!(res.text().contains("5 minutes"), "{}", res.text());
    let moderator = app.create_user_with_role("mod", "moderator").await;
    let moderating = app.login_existing(&moderator).await;
    let res = moderating
        .post(&edit, &[("body", &comment("tidied"))])
        .await;
    assert_eq!(res.status_code(), 303);
    let audits = audit::Entity::find()
        .filter(audit::Column::TargetKind.eq("comment"))
        .all(&app.ctx.db)
        .await
        .unwrap();
    assert_eq!(audits.len(), 1);
    assert_eq!(audits[0].action, "post.edit");
}

#[tokio::test]
async fn owners_and_moderators_delete_and_only_moderators_are_audited() {
    let app = TestApp::new().await;
    let (asker, asking) = app.login_as("asker").await;
    let (_, other) = app.login_as("other").await;
    let q = app
        .question(&asker, "A question to comment on", "rust")
        .await;
    let path = format!("/questions/{}/comments", q.id);
    post_comment(&asking, &path, &comment("one")).await;
    post_comment(&asking, &path, &comment("two")).await;
    let ids: Vec<i64> = comments::Entity::find()
        .all(&app.ctx.db)
        .await
        .unwrap()
        .iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(
        other
            .post(&format!("/comments/{}/delete", ids[0]), &[])
            .await
            .status_code(),
        403
    );
    let res = asking
        .post(&format!("/comments/{}/delete", ids[0]), &[])
        .await;
    assert_eq!(res.status_code(), 303);
    let moderator = app.create_user_with_role("mod", "moderator").await;
    let moderating = app.login_existing(&moderator).await;
    moderating
        .post(
            &format!("/comments/{}/delete", ids[1]),
            &[("reason", "noise")],
        )
        .await;
    assert_eq!(
        count(&app.client().get(&q.url()).await.text(), ".comment"),
        0
    );
    let audits = audit::Entity::find()
        .filter(audit::Column::TargetKind.eq("comment"))
        .all(&app.ctx.db)
        .await
        .unwrap();
    assert_eq!(
        audits.len(),
        1,
        "the owner's own deletion is not moderation"
    );
    assert_eq!(audits[0].reason.as_deref(), Some("noise"));
    // deleting twice is a 404, not a second row
    assert_eq!(
        moderating
            .post(&format!("/comments/{}/delete", ids[1]), &[])
            .await
            .status_code(),
        404
    );
}

#[tokio::test]
async fn comment_votes_toggle_and_move_no_reputation() {
    let app = TestApp::new().await;
    let (asker, asking) = app.login_as("asker").await;
    let (_, voting) = app.login_as("voter").await;
    let q = app
        .question(&asker, "A question to comment on", "rust")
        .await;
    post_comment(
        &asking,
        &format!("/questions/{}/comments", q.id),
        &comment("useful"),
    )
    .await;
    let c = comments::Entity::find()
        .one(&app.ctx.db)
        .await
        .unwrap()
        .unwrap();
    let path = format!("/comments/{}/vote", c.id);
    let res = post_json(&voting, &path, &[]).await;
    let json: serde_json::Value = res.json();
    assert_eq!(json, serde_json::json!({ "score": 1, "user_vote": "up" }));
    let res = post_json(&voting, &path, &[]).await;
    let json: serde_json::Value = res.json();
    assert_eq!(json, serde_json::json!({ "score": 0, "user_vote": null }));
    // without JavaScript: back to the comment
    let res = voting.post(&path, &[]).await;
    assert!(location(&res).ends_with(&format!("#comment-{}", c.id)));
    let html = voting.get(&q.url()).await.text();
    assert_eq!(text(&html, &format!("#comment-{} [data-score]", c.id)), "1");
    // not on one's own comment
    let res = post_json(&asking, &path, &[]).await;
    assert_eq!(res.status_code(), 403);
    assert!(res.json::<serde_json::Value>()["error"]
        .as_str()
        .unwrap()
        .contains("own comment"));
    assert_eq!(app.reload_user(asker.id).await.reputation, 1);
    app.assert_ledger_consistent().await;
    assert_eq!(
        app.client().post(&path, &[]).await.status_code(),
        303,
        "anonymous visitors are sent to log in"
    );
}

#[tokio::test]
async fn mentions_link_to_profiles_and_notify_once() {
    let app = TestApp::new().await;
    let (asker, asking) = app.login_as("asker").await;
    let helper = app.create_user("Helper").await;
    let q = app
        .question(&asker, "A question with mentions", "rust")
        .await;
    post_comment(
        &asking,
        &format!("/questions/{}/comments", q.id),
        "thanks @helper and @nobody and @asker, see `@helper`",
    )
    .await;
    let html = app.client().get(&q.url()).await.text();
    assert!(
        html.contains(
            r#"<a href="/users/Helper" rel="nofollow ugc noopener noreferrer">@Helper</a>"#
        ),
        "{html}"
    );
    assert!(html.contains("@nobody"));
    let to = |user: i64| {
        notifications::Entity::find()
            .filter(notifications::Column::UserId.eq(user))
            .count(&app.ctx.db)
    };
    assert_eq!(to(helper.id).await.unwrap(), 1);
    assert_eq!(to(asker.id).await.unwrap(), 0, "no notification to oneself");
}

#[tokio::test]
async fn comments_can_be_flagged_and_deleted_by_the_resolution() {
    let app = TestApp::new().await;
    let (asker, asking) = app.login_as("asker").await;
    let (flagger, flagging) = app.login_as("flagger").await;
    app.grant(&flagger, 20).await;
    let q = app
        .question(&asker, "A question with a rude comment", "rust")
        .await;
    post_comment(
        &asking,
        &format!("/questions/{}/comments", q.id),
        &comment("rude words"),
    )
    .await;
    let c = comments::Entity::find()
        .one(&app.ctx.db)
        .await
        .unwrap()
        .unwrap();
    let res = flagging
        .post(
            &format!("/comments/{}/flag", c.id),
            &[("reason", "offensive"), ("note", "")],
        )
        .await;
    assert!(location(&res).ends_with(&format!("#comment-{}", c.id)));
    let moderator = app.create_user_with_role("mod", "moderator").await;
    let moderating = app.login_existing(&moderator).await;
    let html = moderating.get("/admin/flags").await.text();
    assert!(html.contains("rude words"), "{html}");
    assert!(html.contains(&format!("#comment-{}", c.id)));
    let flag = nightcoder::admin::flags::Entity::find()
        .one(&app.ctx.db)
        .await
        .unwrap()
        .unwrap();
    moderating
        .post(
            &format!("/admin/flags/{}/resolve", flag.id),
            &[("outcome", "helpful"), ("followup", "delete"), ("note", "")],
        )
        .await;
    let c = comments::Entity::find_by_id(c.id)
        .one(&app.ctx.db)
        .await
        .unwrap()
        .unwrap();
    assert!(c.deleted_at.is_some());
    let inbox = flagging.get("/notifications").await.text();
    assert!(inbox.contains("marked your flag as helpful"), "{inbox}");
}
