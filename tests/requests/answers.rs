//! Answers and accepting.
use std::sync::Arc;

use nightcoder::forum::answers;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::support::{
    client::location,
    forum::body,
    html::{count, text},
    TestApp,
};

#[tokio::test]
async fn posting_an_answer_redirects_to_it_and_bumps_the_counts() {
    let app = TestApp::new().await;
    let asker = app.create_user("asker").await;
    let q = app
        .question(&asker, "Why is my build so slow?", "cargo")
        .await;
    let (_, client) = app.login_as("helper").await;
    client.get(&q.url()).await;
    let res = client
        .post(
            &format!("/questions/{}/answers", q.id),
            &[("body", &body("Use `cargo build --timings`."))],
        )
        .await;
    assert_eq!(res.status_code(), 303);
    let loc = location(&res);
    assert!(loc.starts_with(&format!("{}#answer-", q.url())), "{loc}");
    let q = app.reload_question(q.id).await;
    assert_eq!(q.answer_count, 1);
    assert!(q.last_activity_at > q.created_at);
    let html = client.get(&q.url()).await.text();
    assert_eq!(count(&html, "article.answer"), 1);
    assert!(html.contains("<code>cargo build --timings</code>"));
}

#[tokio::test]
async fn an_empty_answer_rerenders_with_a_message_not_a_500() {
    let app = TestApp::new().await;
    let asker = app.create_user("asker").await;
    let q = app
        .question(&asker, "Empty answers should fail nicely", "errors")
        .await;
    let (_, client) = app.login_as("helper").await;
    client.get(&q.url()).await;
    for bad in ["", "   ", "too short"] {
        let res = client
            .post(&format!("/questions/{}/answers", q.id), &[("body", bad)])
            .await;
        assert_eq!(res.status_code(), 422, "{bad:?}");
        let html = res.text();
        assert!(!text(&html, "#e-body").is_empty());
        assert_eq!(
            text(&html, "h1"),
            "Empty answers should fail nicely",
            "the question page re-renders"
        );
    }
    assert_eq!(app.reload_question(q.id).await.answer_count, 0);
}

#[tokio::test]
async fn answering_a_missing_or_deleted_question_is_a_404_page() {
    let app = TestApp::new().await;
    let (asker, client) = app.login_as("asker").await;
    let q = app
        .question(&asker, "This question will be deleted", "gone")
        .await;
    client.get(&q.url()).await;
    client
        .post(&format!("/questions/{}/delete", q.id), &[])
        .await;
    for path in [
        format!("/questions/{}/answers", q.id),
        "/questions/424242/answers".to_string(),
        "/questions/x/answers".to_string(),
    ] {
        let res = client.post(&path, &[("body", &body("an answer"))]).await;
        assert_eq!(res.status_code(), 404, "{path}");
        assert!(res.text().contains("Page not found"));
    }
    assert_eq!(answers::Entity::find().count(&app.ctx.db).await.unwrap(), 0);
    assert_eq!(
        client
            .get(&format!("/questions/{}/answers", q.id))
            .await
            .status_code(),
        405
    );
}

#[tokio::test]
async fn the_owner_may_answer_their_own_question() {
    let app = TestApp::new().await;
    let (asker, client) = app.login_as("self_helper").await;
    let q = app
        .question(&asker, "I found the answer myself", "rust")
        .await;
    client.get(&q.url()).await;
    let res = client
        .post(
            &format!("/questions/{}/answers", q.id),
            &[("body", &body("Here is what worked."))],
        )
        .await;
    assert_eq!(res.status_code(), 303);
}

#[tokio::test]
async fn only_the_author_edits_and_deletes_an_answer() {
    let app = TestApp::new().await;
    let asker = app.create_user("asker").await;
    let q = app
        .question(&asker, "Who may edit this answer?", "perms")
        .await;
    let (author, mine) = app.login_as("author").await;
    let a = app.answer(&author, &q, "original answer").await;
    let (_, other) = app.login_as("other").await;
    other.get("/").await;
    assert_eq!(
        other
            .get(&format!("/answers/{}/edit", a.id))
            .await
            .status_code(),
        403
    );
    assert_eq!(
        other
            .post(
                &format!("/answers/{}/edit", a.id),
                &[("body", &body("hijack"))]
            )
            .await
            .status_code(),
        403
    );
    assert_eq!(
        other
            .post(&format!("/answers/{}/delete", a.id), &[])
            .await
            .status_code(),
        403
    );
    assert_eq!(other.get("/answers/999999/edit").await.status_code(), 404);

    mine.get(&format!("/answers/{}/edit", a.id)).await;
    let res = mine
        .post(&format!("/answers/{}/edit", a.id), &[("body", "")])
        .await;
    assert_eq!(res.status_code(), 422);
    let res = mine
        .post(
            &format!("/answers/{}/edit", a.id),
            &[("body", &body("improved answer"))],
        )
        .await;
    assert_eq!(res.status_code(), 303);
    let a2 = app.reload_answer(a.id).await;
    assert!(a2.body.contains("improved") && a2.edited_at.is_some());
    let res = mine.post(&format!("/answers/{}/delete", a.id), &[]).await;
    assert_eq!(res.status_code(), 303);
    assert!(app.reload_answer(a.id).await.deleted_at.is_some());
    assert_eq!(app.reload_question(q.id).await.answer_count, 0);
    assert!(!mine.get(&q.url()).await.text().contains("improved answer"));
}

#[tokio::test]
async fn accepting_toggles_moves_and_follows_solved() {
    let app = TestApp::new().await;
    let (asker, owner) = app.login_as("asker").await;
    let q = app
        .question(&asker, "Which answer is right here?", "choice")
        .await;
    let h1 = app.create_user("first").await;
    let h2 = app.create_user("second").await;
    let a1 = app.answer(&h1, &q, "first answer").await;
    let a2 = app.answer(&h2, &q, "second answer").await;
    owner.get(&q.url()).await;

    let res = owner.post(&format!("/answers/{}/accept", a1.id), &[]).await;
    assert_eq!(res.status_code(), 303);
    assert_eq!(location(&res), format!("{}#answer-{}", q.url(), a1.id));
    assert_eq!(
        app.reload_question(q.id).await.accepted_answer_id,
        Some(a1.id)
    );
    assert!(app.reload_answer(a1.id).await.is_accepted);
    let html = owner.get(&q.url()).await.text();
    assert!(text(&html, "h1").contains("Solved"));
    assert!(
        html.find(&format!("answer-{}", a1.id)) < html.find(&format!("answer-{}", a2.id)),
        "accepted first"
    );

    owner.post(&format!("/answers/{}/accept", a2.id), &[]).await;
    assert!(!app.reload_answer(a1.id).await.is_accepted);
    assert!(app.reload_answer(a2.id).await.is_accepted);
    assert_eq!(
        app.reload_question(q.id).await.accepted_answer_id,
        Some(a2.id)
    );

    owner.post(&format!("/answers/{}/accept", a2.id), &[]).await;
    assert!(!app.reload_answer(a2.id).await.is_accepted);
    let q2 = app.reload_question(q.id).await;
    assert_eq!(q2.accepted_answer_id, None);
    assert!(!text(&owner.get(&q.url()).await.text(), "h1").contains("Solved"));
}

#[tokio::test]
async fn only_the_question_owner_accepts() {
    let app = TestApp::new().await;
    let asker = app.create_user("asker").await;
    let q = app
        .question(&asker, "Nobody else may accept here", "perms")
        .await;
    let (helper, client) = app.login_as("helper").await;
    let a = app.answer(&helper, &q, "my own answer").await;
    client.get("/").await;
    let res = client.post(&format!("/answers/{}/accept", a.id), &[]).await;
    assert_eq!(res.status_code(), 403);
    assert!(!app.reload_answer(a.id).await.is_accepted);
    assert_eq!(
        client
            .post("/answers/77777/accept", &[])
            .await
            .status_code(),
        404
    );
    let res = client
        .send(
            client
                .request(
                    axum::http::Method::POST,
                    &format!("/answers/{}/accept", a.id),
                )
                .add_header("accept", "application/json")
                .form(&[("csrf_token", client.token().await)]),
        )
        .await;
    assert_eq!(res.status_code(), 403);
    assert!(res.json::<serde_json::Value>()["error"].is_string());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_accept_clicks_leave_exactly_one_accepted_answer() {
    let app = TestApp::new().await;
    let asker = app.create_user("asker").await;
    let q = app
        .question(&asker, "Race to accept an answer", "race")
        .await;
    let mut ids = Vec::new();
    for i in 0..4 {
        let h = app.create_user(&format!("helper{i}")).await;
        ids.push(app.answer(&h, &q, &format!("answer {i}")).await.id);
    }
    let client = Arc::new(app.http_client());
    client.login("asker", crate::support::PASSWORD).await;
    client.get(&q.url()).await;
    let token = client.token().await;
    // all requests in flight at once over real HTTP; the server handles them
    // on the multi-threaded runtime
    let clicks = (0..16).map(|i| {
        let (client, token) = (client.clone(), token.clone());
        let id = ids[i % ids.len()];
        async move {
            client
                .post_raw(&format!("/answers/{id}/accept"), &[("csrf_token", &token)])
                .await
                .status_code()
        }
    });
    for status in futures_util::future::join_all(clicks).await {
        assert_eq!(status, 303, "no errors under concurrency");
    }
    let accepted = answers::Entity::find()
        .filter(answers::Column::QuestionId.eq(q.id))
        .filter(answers::Column::IsAccepted.eq(true))
        .all(&app.ctx.db)
        .await
        .unwrap();
    let q = app.reload_question(q.id).await;
    assert!(accepted.len() <= 1);
    assert_eq!(
        q.accepted_answer_id,
        accepted.first().map(|a| a.id),
        "solved follows the accepted answer"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_concurrent_clicks_on_different_answers_leave_one_accepted() {
    let app = TestApp::new().await;
    let asker = app.create_user("asker").await;
    let q = app
        .question(&asker, "Two clicks at the same time", "race")
        .await;
    let h1 = app.create_user("one").await;
    let h2 = app.create_user("two").await;
    let a1 = app.answer(&h1, &q, "answer one").await;
    let a2 = app.answer(&h2, &q, "answer two").await;
    let client = Arc::new(app.http_client());
    client.login("asker", crate::support::PASSWORD).await;
    client.get(&q.url()).await;
    let token = client.token().await;
    let clicks = [a1.id, a2.id].map(|id| {
        let (client, token) = (client.clone(), token.clone());
        async move {
            client
                .post_raw(&format!("/answers/{id}/accept"), &[("csrf_token", &token)])
                .await
                .status_code()
        }
    });
    for status in futures_util::future::join_all(clicks).await {
        assert_eq!(status, 303);
    }
    let accepted = answers::Entity::find()
        .filter(answers::Column::QuestionId.eq(q.id))
        .filter(answers::Column::IsAccepted.eq(true))
        .count(&app.ctx.db)
        .await
        .unwrap();
    assert_eq!(accepted, 1);
    assert!(app.reload_question(q.id).await.accepted_answer_id.is_some());
}
