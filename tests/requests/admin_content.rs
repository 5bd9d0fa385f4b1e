//! Moderators on posts: edits of other people's posts, locking, deleting
//! and restoring with the reputation effect in the ledger.
use nightcoder::{db::entities::audit_logs as audit, reviews};
use sea_orm::{EntityTrait, QueryOrder};

use crate::support::{client::location, forum::body, html::count, Client, TestApp, PASSWORD};

async fn moderator(app: &TestApp) -> (i64, Client) {
    let user = app.create_user_with_role("mod", "moderator").await;
    let client = app.client();
    client.login("mod", PASSWORD).await;
    (user.id, client)
}

async fn last_audit(app: &TestApp) -> audit::Model {
    audit::Entity::find()
        .order_by_desc(audit::Column::Id)
        .one(&app.ctx.db)
        .await
        .unwrap()
        .expect("an audit row")
}

#[tokio::test]
async fn moderator_edits_of_any_post_are_recorded_and_owner_edits_are_not() {
    let app = TestApp::new().await;
    let (mod_id, moderator) = moderator(&app).await;
    let author = app.create_user("author").await;
    let q = app
        .question(&author, "A question with a typo in it", "edits")
        .await;
    let a = app.answer(&author, &q, "an answer with a typo").await;
    let r = app
        .review(&author, "Edit course", "A review with a typo", 3)
        .await;

    let fixed = body("fixed by a moderator");
    let res = moderator
        .post(
            &format!("/questions/{}/edit", q.id),
            &[
                ("title", "A question without a typo"),
                ("body", &fixed),
                ("tags", "edits"),
            ],
        )
        .await;
    assert_eq!(res.status_code(), 303);
    let row = last_audit(&app).await;
    assert_eq!(
        (
            row.action.as_str(),
            row.target_kind.as_str(),
            row.target_id,
            row.actor_id
        ),
        ("post.edit", "question", q.id, mod_id)
    );
    assert_eq!(row.target_user_id, Some(author.id));

    let res = moderator
        .post(&format!("/answers/{}/edit", a.id), &[("body", &fixed)])
        .await;
    assert_eq!(res.status_code(), 303);
    assert_eq!(last_audit(&app).await.target_kind, "answer");
    let res = moderator
        .post(
            &format!("/reviews/{}/edit", r.id),
            &[
                ("course", "Edit course"),
                ("title", "A review without a typo"),
                ("body", &fixed),
                ("rating", "3"),
            ],
        )
        .await;
    assert_eq!(res.status_code(), 303);
    assert_eq!(last_audit(&app).await.target_kind, "review");
    assert!(app
        .client()
        .get(&app.reload_question(q.id).await.url())
        .await
        .text()
        .contains("fixed by a moderator"));

    // the author's own edits are ordinary edits, not moderation
    let own = app.login_existing(&author).await;
    own.post(
        &format!("/answers/{}/edit", a.id),
        &[("body", &body("the author's own words"))],
    )
    .await;
    assert_eq!(
        audit::Entity::find().all(&app.ctx.db).await.unwrap().len(),
        3
    );
}

#[tokio::test]
async fn a_locked_question_takes_no_answers_or_votes_and_says_so() {
    let app = TestApp::new().await;
    let (_, moderator) = moderator(&app).await;
    let author = app.create_user("author").await;
    let q = app
        .question(&author, "Heated question that needs a pause", "lock")
        .await;
    let a = app.answer(&author, &q, "an answer before the lock").await;
    let res = moderator
        .post(
            &format!("/admin/questions/{}/lock", q.id),
            &[("reason", "too heated")],
        )
        .await;
    assert_eq!(location(&res), q.url());
    assert!(app.reload_question(q.id).await.locked_at.is_some());

    let (voter, client) = app.login_as("voter").await;
    app.grant(&voter, 200).await;
    let page = client.get(&q.url()).await.text();
    assert_eq!(count(&page, ".locked-note"), 1);
    assert_eq!(
        count(&page, "form[action$='/answers']"),
        0,
        "no answer form"
    );
    let res = client
        .post(
            &format!("/questions/{}/answers", q.id),
            &[("body", &body("late answer"))],
        )
        .await;
    assert_eq!(res.status_code(), 403);
    for path in [
        format!("/questions/{}/vote", q.id),
        format!("/answers/{}/vote", a.id),
    ] {
        client.post(&path, &[("direction", "up")]).await;
    }
    assert_eq!(app.reload_question(q.id).await.score, 0);
    assert_eq!(app.reload_answer(a.id).await.score, 0);
    client.set_cookie("lang", "ru");
    let page = client.get(&q.url()).await.text();
    assert!(
        page.contains("Вопрос закрыт: новые ответы и голоса не принимаются."),
        "the lock is explained in Russian too"
    );

    let res = moderator
        .post(
            &format!("/admin/questions/{}/unlock", q.id),
            &[("reason", "")],
        )
        .await;
    assert_eq!(res.status_code(), 303);
    let res = client
        .post(
            &format!("/questions/{}/answers", q.id),
            &[("body", &body("now it is open"))],
        )
        .await;
    assert_eq!(res.status_code(), 303);
    client
        .post(&format!("/questions/{}/vote", q.id), &[("direction", "up")])
        .await;
    assert_eq!(app.reload_question(q.id).await.score, 1);
    let actions: Vec<String> = audit::Entity::find()
        .all(&app.ctx.db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.action)
        .collect();
    assert_eq!(actions, ["question.lock", "question.unlock"]);
}

#[tokio::test]
async fn deleting_a_question_reverses_its_reputation_and_restoring_gives_it_back() {
    let app = TestApp::new().await;
    let (_, moderator) = moderator(&app).await;
    let asker = app.create_user("asker").await;
    let answerer = app.create_user("answerer").await;
    let q = app
        .question(&asker, "A question that will be deleted", "delete")
        .await;
    let a = app.answer(&answerer, &q, "a good answer to it").await;
    let (voter, client) = app.login_as("voter").await;
    app.grant(&voter, 200).await;
    client
        .post(&format!("/questions/{}/vote", q.id), &[("direction", "up")])
        .await;
    client
        .post(&format!("/answers/{}/vote", a.id), &[("direction", "up")])
        .await;
    let asking = app.login_existing(&asker).await;
    asking.post(&format!("/answers/{}/accept", a.id), &[]).await;
    assert_eq!(app.reload_user(asker.id).await.reputation, 1 + 5);
    assert_eq!(app.reload_user(answerer.id).await.reputation, 1 + 10 + 15);

    let res = moderator
        .post(
            &format!("/admin/questions/{}/delete", q.id),
            &[("reason", "spam")],
        )
        .await;
    assert_eq!(res.status_code(), 303);
    assert_eq!(app.reload_user(asker.id).await.reputation, 1);
    assert_eq!(app.reload_user(answerer.id).await.reputation, 1);
    assert_eq!(
        app.client().get(&q.url()).await.status_code(),
        404,
        "gone for the public"
    );
    assert_eq!(
        moderator.get(&q.url()).await.status_code(),
        200,
        "staff still see it"
    );
    let deleted = moderator.get("/admin/deleted").await.text();
    assert!(deleted.contains("A question that will be deleted"));
    let history = app.client().get("/users/answerer/reputation").await.text();
    assert!(history.contains("Post deleted"));
    app.assert_ledger_consistent().await;

    let res = moderator
        .post(
            &format!("/admin/questions/{}/restore", q.id),
            &[("reason", "appeal")],
        )
        .await;
    assert_eq!(location(&res), q.url());
    assert_eq!(app.reload_user(asker.id).await.reputation, 6);
    assert_eq!(app.reload_user(answerer.id).await.reputation, 26);
    assert_eq!(app.client().get(&q.url()).await.status_code(), 200);
    assert!(!moderator
        .get("/admin/deleted")
        .await
        .text()
        .contains("A question that will be deleted"));
    app.assert_ledger_consistent().await;
    let rows = audit::Entity::find().all(&app.ctx.db).await.unwrap();
    assert_eq!(
        rows.iter().map(|r| r.action.as_str()).collect::<Vec<_>>(),
        ["post.delete", "post.restore"]
    );
    assert_eq!(rows[0].reason.as_deref(), Some("spam"));
}

#[tokio::test]
async fn answers_and_reviews_are_deleted_and_restored_with_their_points() {
    let app = TestApp::new().await;
    let (_, moderator) = moderator(&app).await;
    let author = app.create_user("author").await;
    let other = app.create_user("other").await;
    let q = app
        .question(&other, "Which answer will survive here", "delete")
        .await;
    let a = app.answer(&author, &q, "an answer to delete").await;
    let r = app
        .review(&author, "Restore course", "A review to delete", 2)
        .await;
    let (voter, client) = app.login_as("voter").await;
    app.grant(&voter, 200).await;
    client
        .post(&format!("/answers/{}/vote", a.id), &[("direction", "up")])
        .await;
    client
        .post(&format!("/reviews/{}/vote", r.id), &[("direction", "up")])
        .await;
    let before = app.reload_user(author.id).await.reputation;
    assert!(before > 1);

    moderator
        .post(
            &format!("/admin/answers/{}/delete", a.id),
            &[("reason", "rude")],
        )
        .await;
    moderator
        .post(
            &format!("/admin/reviews/{}/delete", r.id),
            &[("reason", "fake")],
        )
        .await;
    assert_eq!(app.reload_user(author.id).await.reputation, 1);
    assert_eq!(app.reload_question(q.id).await.answer_count, 0);
    assert_eq!(
        app.client()
            .get(&format!("/reviews/{}", r.id))
            .await
            .status_code(),
        404
    );
    let deleted = moderator.get("/admin/deleted").await.text();
    assert!(deleted.contains("Which answer will survive here"));
    assert!(deleted.contains("A review to delete"));
    app.assert_ledger_consistent().await;

    moderator
        .post(
            &format!("/admin/answers/{}/restore", a.id),
            &[("reason", "")],
        )
        .await;
    moderator
        .post(
            &format!("/admin/reviews/{}/restore", r.id),
            &[("reason", "")],
        )
        .await;
    assert_eq!(app.reload_user(author.id).await.reputation, before);
    assert_eq!(app.reload_question(q.id).await.answer_count, 1);
    app.assert_ledger_consistent().await;

    // a review cannot come back over a newer one of the same course
    moderator
        .post(
            &format!("/admin/reviews/{}/delete", r.id),
            &[("reason", "again")],
        )
        .await;
    app.review(&author, "Restore course", "A newer review of the course", 4)
        .await;
    let res = moderator
        .post(
            &format!("/admin/reviews/{}/restore", r.id),
            &[("reason", "")],
        )
        .await;
    assert_eq!(res.status_code(), 303);
    let page = moderator.get(&location(&res)).await.text();
    assert!(page.contains("the author has written another review"));
    let stored = reviews::Entity::find_by_id(r.id)
        .one(&app.ctx.db)
        .await
        .unwrap()
        .unwrap();
    assert!(
        stored.deleted_at.is_some(),
        "still deleted, nothing half-written"
    );
    app.assert_ledger_consistent().await;
}

#[tokio::test]
async fn bad_moderation_input_is_a_clean_4xx() {
    let app = TestApp::new().await;
    let (_, moderator) = moderator(&app).await;
    let author = app.create_user("author").await;
    let q = app
        .question(&author, "A question to poke at with bad input", "bad")
        .await;
    let long = "x".repeat(501);
    for (path, fields) in [
        (
            format!("/admin/questions/{}/lock", q.id),
            vec![("reason", long.as_str())],
        ),
        (
            format!("/admin/questions/{}/lock", q.id),
            vec![("reason", "bell\u{7}")],
        ),
        (
            format!("/admin/questions/{}/lock", q.id),
            vec![("reason", "x"), ("extra", "y")],
        ),
        (
            "/admin/questions/99999/lock".to_string(),
            vec![("reason", "x")],
        ),
        (
            "/admin/answers/nope/delete".to_string(),
            vec![("reason", "x")],
        ),
        (
            "/admin/flags/1/resolve".to_string(),
            vec![("outcome", "maybe"), ("followup", "none"), ("note", "")],
        ),
    ] {
        let res = moderator.post(&path, &fields).await;
        let status = res.status_code().as_u16();
        assert!((400..500).contains(&status), "{path} {fields:?} → {status}");
    }
    assert!(app.reload_question(q.id).await.locked_at.is_none());
    assert!(audit::Entity::find()
        .all(&app.ctx.db)
        .await
        .unwrap()
        .is_empty());
}
