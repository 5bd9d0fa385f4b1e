//! History and curation: revisions of every kind of edit with diffs,
//! rollback, community editing and suggested edits, closing, reopening and
//! duplicates, related questions.
use std::sync::Arc;

use nightcoder::db::entities::{
    audit_logs as audit, notifications as notes, reputation_events as ledger, revisions,
    suggested_edits,
};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

use crate::support::{
    client::{location, queries},
    forum::body,
    html::{count, main_for_snapshot, redact, text, texts},
    Client, TestApp, PASSWORD,
};

async fn revisions_of(app: &TestApp, kind: i16, id: i64) -> Vec<revisions::Model> {
    revisions::Entity::find()
        .filter(revisions::Column::PostKind.eq(kind))
        .filter(revisions::Column::PostId.eq(id))
        .order_by_asc(revisions::Column::Number)
        .all(&app.ctx.db)
        .await
        .unwrap()
}

async fn edit_question(
    client: &Client,
    id: i64,
    title: &str,
    text: &str,
    tags: &str,
    summary: &str,
) -> axum_test::TestResponse {
    client
        .post(
            &format!("/questions/{id}/edit"),
            &[
                ("title", title),
                ("body", &body(text)),
                ("tags", tags),
                ("summary", summary),
            ],
        )
        .await
}

#[tokio::test]
async fn every_create_and_edit_is_a_revision_and_the_history_shows_the_diff() {
    let app = TestApp::new().await;
    let (asker, asking) = app.login_as("asker").await;
    let q = app
        .question(&asker, "How to sort a vector of structs", "rust")
        .await;
    assert_eq!(revisions_of(&app, 1, q.id).await.len(), 1);
    // the same text again is no edit
    let res = edit_question(
        &asking,
        q.id,
        "How to sort a vector of structs",
        "How to sort a vector of structs",
        "rust",
        "",
    )
    .await;
    assert_eq!(res.status_code(), 303);
    assert_eq!(revisions_of(&app, 1, q.id).await.len(), 1);
    let page = asking.get(&q.url()).await.text();
    assert_eq!(count(&page, "#question .edited-link"), 0, "not edited yet");

    let res = edit_question(
        &asking,
        q.id,
        "How to sort a vector of structs by a field",
        "How to sort a vector of structs by key",
        "rust sorting",
        "clearer title",
    )
    .await;
    assert_eq!(res.status_code(), 303);
    let revs = revisions_of(&app, 1, q.id).await;
    assert_eq!(revs.len(), 2);
    assert_eq!(revs[1].kind, "edit");
    assert_eq!(revs[1].summary.as_deref(), Some("clearer title"));
    assert_eq!(revs[1].tags.as_deref(), Some("rust sorting"));
    let page = asking.get(&format!("/questions/{}", q.id)).await;
    let page = asking.get(&location(&page)).await.text();
    assert_eq!(
        crate::support::html::attr(&page, "#question .edited-link", "href").as_deref(),
        Some(format!("/questions/{}/revisions", q.id).as_str())
    );
    assert!(text(&page, "#question .edited-link").contains("by asker"));

    let history = app
        .client()
        .get(&format!("/questions/{}/revisions", q.id))
        .await;
    assert_eq!(history.status_code(), 200);
    let html = history.text();
    assert_eq!(count(&html, ".revision"), 2);
    assert!(html.contains("<ins> by a field</ins>"), "{html}");
    assert!(html.contains("<ins> sorting</ins>"), "{html}");
    assert!(html.contains("clearer title"));
    insta::assert_snapshot!("revision_history_en", redact(&main_for_snapshot(&html)));

    // answers and reviews keep theirs too
    let a = app.answer(&asker, &q, "Use sort_by_key").await;
    asking
        .post(
            &format!("/answers/{}/edit", a.id),
            &[
                ("body", &body("Use sort_by_key or sort_unstable_by_key")),
                ("summary", ""),
            ],
        )
        .await;
    assert_eq!(
        revisions_of(&app, 2, a.id)
            .await
            .iter()
            .map(|r| r.kind.as_str())
            .collect::<Vec<_>>(),
        ["create", "edit"]
    );
    let r = app
        .review(&asker, "Rust Book", "A great free book", 5)
        .await;
    asking
        .post(
            &format!("/reviews/{}/edit", r.id),
            &[
                ("course", "Rust Book"),
                ("title", "A great free book"),
                ("body", &body("A great free book")),
                ("rating", "4"),
                ("summary", "one star less"),
            ],
        )
        .await;
    let review_revs = revisions_of(&app, 3, r.id).await;
    assert_eq!(review_revs.len(), 2);
    assert_eq!(
        (review_revs[0].rating, review_revs[1].rating),
        (Some(5), Some(4))
    );
    let html = app
        .client()
        .get(&format!("/reviews/{}/revisions", r.id))
        .await
        .text();
    assert!(
        html.contains("Rust Book · <del>5/5</del><ins>4/5</ins>"),
        "{html}"
    );
    for missing in [
        "/questions/999/revisions",
        "/answers/999/revisions",
        "/reviews/999/revisions",
        "/questions/x/revisions",
    ] {
        assert_eq!(
            app.client().get(missing).await.status_code(),
            404,
            "{missing}"
        );
    }
}

#[tokio::test]
async fn the_author_or_a_moderator_rolls_back_and_the_rollback_is_a_revision() {
    let app = TestApp::new().await;
    let (asker, asking) = app.login_as("asker").await;
    let (_, other) = app.login_as("other").await;
    let q = app
        .question(&asker, "A question that will be vandalised", "rust")
        .await;
    edit_question(
        &asking,
        q.id,
        "A question that was changed",
        "Changed text",
        "rust",
        "",
    )
    .await;
    let rollback = format!("/questions/{}/revisions/1/rollback", q.id);
    assert_eq!(other.post(&rollback, &[]).await.status_code(), 403);
    let res = asking.post(&rollback, &[]).await;
    assert_eq!(res.status_code(), 303);
    let q = app.reload_question(q.id).await;
    assert_eq!(q.title, "A question that will be vandalised");
    let revs = revisions_of(&app, 1, q.id).await;
    assert_eq!(revs.len(), 3);
    assert_eq!(
        (revs[2].kind.as_str(), revs[2].rolled_back_to),
        ("rollback", Some(1))
    );
    assert_eq!(
        asking
            .post(&format!("/questions/{}/revisions/9/rollback", q.id), &[])
            .await
            .status_code(),
        404
    );
    // a moderator may roll back anyone's answer
    let a = app.answer(&asker, &q, "First version of the answer").await;
    asking
        .post(
            &format!("/answers/{}/edit", a.id),
            &[("body", &body("Second version")), ("summary", "")],
        )
        .await;
    let moderator = app.create_user_with_role("mod", "moderator").await;
    let moderating = app.login_existing(&moderator).await;
    let res = moderating
        .post(&format!("/answers/{}/revisions/1/rollback", a.id), &[])
        .await;
    assert_eq!(res.status_code(), 303);
    assert!(app
        .reload_answer(a.id)
        .await
        .body
        .starts_with("First version"));
    let html = app
        .client()
        .get(&format!("/answers/{}/revisions", a.id))
        .await
        .text();
    assert!(texts(&html, ".revision .badge")
        .iter()
        .any(|b| b.contains("rollback")));
}

#[tokio::test]
async fn trusted_users_edit_newcomers_suggest_and_reviewers_decide() {
    let app = TestApp::new().await;
    let (asker, _) = app.login_as("asker").await;
    let (editor, editing) = app.login_as("editor").await;
    let (newcomer, suggesting) = app.login_as("newbie").await;
    let (_, novice) = app.login_as("novice").await;
    let (reviewer, reviewing) = app.login_as("reviewer").await;
    app.grant(&editor, 1_999).await;
    app.grant(&newcomer, 4).await;
    app.grant(&reviewer, 1_999).await;
    let q = app
        .question(&asker, "A question others can improve", "rust")
        .await;

    // 1 reputation: nothing; 5: a suggestion; 2,000: a direct edit
    assert_eq!(
        novice
            .get(&format!("/questions/{}/edit", q.id))
            .await
            .status_code(),
        403
    );
    let form = suggesting
        .get(&format!("/questions/{}/edit", q.id))
        .await
        .text();
    assert!(
        form.contains("review queue"),
        "the form says it is a suggestion"
    );
    let res = edit_question(
        &suggesting,
        q.id,
        "A question others can improve a lot",
        "Better text",
        "rust",
        "typo",
    )
    .await;
    assert_eq!(res.status_code(), 303);
    assert_eq!(
        app.reload_question(q.id).await.title,
        "A question others can improve"
    );
    // one pending suggestion per post
    let res = edit_question(
        &suggesting,
        q.id,
        "Another try at the title",
        "More text",
        "rust",
        "",
    )
    .await;
    assert_eq!(res.status_code(), 403);
    assert!(res.text().contains("already has a suggested edit"));

    // the queue: only for the review privilege
    assert_eq!(editing.get("/review/edits").await.status_code(), 200);
    app.grant(&reviewer, 1).await;
    let queue = reviewing.get("/review/edits").await;
    let html = queue.text();
    assert_eq!(count(&html, ".suggestion"), 1);
    assert!(html.contains("<ins> a lot</ins>"), "{html}");
    assert_eq!(suggesting.get("/review/edits").await.status_code(), 403);
    let s = suggested_edits::Entity::find()
        .one(&app.ctx.db)
        .await
        .unwrap()
        .unwrap();
    // rejecting needs a reason; the suggester may not decide
    let path = format!("/review/edits/{}", s.id);
    let res = reviewing
        .post(&path, &[("decision", "reject"), ("reason", "")])
        .await;
    assert_eq!(location(&res), "/review/edits");
    assert_eq!(
        suggested_edits::Entity::find_by_id(s.id)
            .one(&app.ctx.db)
            .await
            .unwrap()
            .unwrap()
            .status,
        "pending"
    );
    let before = app.reload_user(newcomer.id).await.reputation;
    reviewing
        .post(&path, &[("decision", "approve"), ("reason", "")])
        .await;
    let q2 = app.reload_question(q.id).await;
    assert_eq!(q2.title, "A question others can improve a lot");
    let revs = revisions_of(&app, 1, q.id).await;
    assert_eq!(
        (revs[1].kind.as_str(), revs[1].user_id),
        ("suggestion", newcomer.id)
    );
    assert_eq!(app.reload_user(newcomer.id).await.reputation, before + 2);
    app.assert_ledger_consistent().await;
    // deciding again changes nothing
    reviewing
        .post(&path, &[("decision", "reject"), ("reason", "late")])
        .await;
    assert_eq!(app.reload_user(newcomer.id).await.reputation, before + 2);
    let to_newcomer = notes::Entity::find()
        .filter(notes::Column::UserId.eq(newcomer.id))
        .all(&app.ctx.db)
        .await
        .unwrap();
    assert_eq!(to_newcomer.len(), 1);
    assert_eq!(to_newcomer[0].detail.as_deref(), Some("approved"));

    // a rejection with its reason
    let answer = app.answer(&asker, &q, "An answer with a typpo").await;
    suggesting
        .post(
            &format!("/answers/{}/edit", answer.id),
            &[
                ("body", &body("An answer with a typo")),
                ("summary", "spelling"),
            ],
        )
        .await;
    let s = suggested_edits::Entity::find()
        .filter(suggested_edits::Column::Status.eq("pending"))
        .one(&app.ctx.db)
        .await
        .unwrap()
        .unwrap();
    reviewing
        .post(
            &format!("/review/edits/{}", s.id),
            &[("decision", "reject"), ("reason", "changes the meaning")],
        )
        .await;
    let inbox = suggesting.get("/notifications").await.text();
    assert!(inbox.contains("rejected your suggested edit"), "{inbox}");
    assert!(inbox.contains("changes the meaning"));
    assert!(app.reload_answer(answer.id).await.body.contains("typpo"));

    // a direct edit by the trusted user tells the author
    app.grant(&editor, 1).await;
    let res = edit_question(
        &editing,
        q.id,
        "A question others improved",
        "Better text",
        "rust",
        "",
    )
    .await;
    assert_eq!(res.status_code(), 303);
    assert_eq!(
        app.reload_question(q.id).await.title,
        "A question others improved"
    );
    let edited = notes::Entity::find()
        .filter(notes::Column::UserId.eq(asker.id))
        .filter(notes::Column::Kind.eq("edited"))
        .count(&app.ctx.db)
        .await
        .unwrap();
    assert_eq!(edited, 1, "folded while unread: suggestion and direct edit");
}

#[tokio::test]
async fn approved_suggestions_stop_paying_at_the_cap() {
    let app = TestApp::new().await;
    let (asker, _) = app.login_as("asker").await;
    let (newcomer, suggesting) = app.login_as("newbie").await;
    let reviewer = app.create_user_with_role("mod", "moderator").await;
    let reviewing = app.login_existing(&reviewer).await;
    app.grant(&newcomer, 4).await;
    let q = app
        .question(&asker, "A question to edit many times", "rust")
        .await;
    let votes = nightcoder::votes::Votes::get(&app.ctx);
    // 999 points from earlier suggestions, through the ledger
    let txn = nightcoder::db::write_txn(&app.ctx.db).await.unwrap();
    for _ in 0..499 {
        nightcoder::votes::suggested_edit_approved(
            &votes,
            &txn,
            newcomer.id,
            nightcoder::votes::Target::question(q.id),
            reviewer.id,
        )
        .await
        .unwrap();
    }
    txn.commit().await.unwrap();
    let base = app.reload_user(newcomer.id).await.reputation;
    for title in [
        "A question to edit many times, take one",
        "A question to edit many times, take two",
    ] {
        edit_question(&suggesting, q.id, title, "New text", "rust", "").await;
        let s = suggested_edits::Entity::find()
            .filter(suggested_edits::Column::Status.eq("pending"))
            .one(&app.ctx.db)
            .await
            .unwrap()
            .unwrap();
        reviewing
            .post(
                &format!("/review/edits/{}", s.id),
                &[("decision", "approve"), ("reason", "")],
            )
            .await;
        // 998 earned before: the first approval pays 2, the second nothing
        let gained = app.reload_user(newcomer.id).await.reputation - base;
        assert_eq!(gained, 2, "{title}");
    }
    let earned: i64 = ledger::Entity::find()
        .filter(ledger::Column::UserId.eq(newcomer.id))
        .filter(ledger::Column::Reason.eq("suggested_edit"))
        .all(&app.ctx.db)
        .await
        .unwrap()
        .iter()
        .map(|e| i64::from(e.delta))
        .sum();
    assert_eq!(earned, 1_000, "the lifetime cap");
    app.assert_ledger_consistent().await;
}

async fn close(client: &Client, id: i64, fields: &[(&str, &str)]) -> axum_test::TestResponse {
    client.post(&format!("/questions/{id}/close"), fields).await
}

#[tokio::test]
async fn three_votes_close_a_question_that_then_takes_no_answers() {
    let app = TestApp::new().await;
    let (asker, asking) = app.login_as("asker").await;
    let q = app
        .question(&asker, "What is the best editor ever made", "editors")
        .await;
    let mut voters = Vec::new();
    for name in ["vera", "vlad", "vova", "vika"] {
        let (user, client) = app.login_as(name).await;
        app.grant(&user, 499).await;
        voters.push(client);
    }
    let (_, low) = app.login_as("lowrep").await;
    let res = close(&low, q.id, &[("reason", "opinion-based")]).await;
    assert_eq!(res.status_code(), 403);
    assert!(res.text().contains("500"));
    assert_eq!(
        close(&voters[0], q.id, &[("reason", "opinion-based")])
            .await
            .status_code(),
        303
    );
    let again = close(&voters[0], q.id, &[("reason", "opinion-based")]).await;
    assert_eq!(again.status_code(), 403);
    close(&voters[1], q.id, &[("reason", "off-topic")]).await;
    assert!(app.reload_question(q.id).await.closed_at.is_none());
    let html = voters[2].get(&q.url()).await.text();
    assert!(text(&html, "#close-vote summary").contains("(2/3)"));
    close(&voters[2], q.id, &[("reason", "opinion-based")]).await;
    let closed = app.reload_question(q.id).await;
    assert!(closed.closed_at.is_some());
    assert_eq!(closed.close_reason.as_deref(), Some("opinion-based"));
    assert_eq!(closed.closed_by, None, "the community closed it");

    // no new answers; the form says why; votes and comments go on
    let res = voters[3]
        .post(
            &format!("/questions/{}/answers", q.id),
            &[("body", &body("my favourite"))],
        )
        .await;
    assert_eq!(res.status_code(), 403);
    assert!(res.text().contains("closed"));
    let page = voters[3].get(&q.url()).await.text();
    assert!(text(&page, "#closed").contains("opinion-based"));
    assert_eq!(count(&page, "#closed-answer-note"), 1);
    assert_eq!(count(&page, "#answer-form textarea"), 0);
    let vote = voters[3]
        .post(&format!("/questions/{}/vote", q.id), &[("direction", "up")])
        .await;
    assert_eq!(vote.status_code(), 303);
    assert_eq!(app.reload_question(q.id).await.score, 1);
    asking
        .post(
            &format!("/questions/{}/comments", q.id),
            &[("body", "I see, it was too broad.")],
        )
        .await;
    assert_eq!(count(&asking.get(&q.url()).await.text(), ".comment"), 1);

    // audited and the asker hears of it; reopening takes three votes too
    let logged = audit::Entity::find()
        .filter(audit::Column::Action.eq("question.close"))
        .count(&app.ctx.db)
        .await
        .unwrap();
    assert_eq!(logged, 1);
    let inbox = asking.get("/notifications").await.text();
    assert!(inbox.contains("Your question was closed"), "{inbox}");
    assert_eq!(
        close(&voters[3], q.id, &[("reason", "off-topic")])
            .await
            .status_code(),
        403
    );
    for v in &voters[..3] {
        v.post(&format!("/questions/{}/reopen", q.id), &[]).await;
    }
    assert!(app.reload_question(q.id).await.closed_at.is_none());
    assert!(asking
        .get("/notifications")
        .await
        .text()
        .contains("reopened"));
}

#[tokio::test]
async fn a_moderator_closes_alone_and_duplicates_link_both_ways() {
    let app = TestApp::new().await;
    let (asker, _) = app.login_as("asker").await;
    let original = app
        .question(&asker, "How do I reverse a string in Rust", "rust strings")
        .await;
    let copy = app
        .question(&asker, "Reverse a String in Rust please", "rust")
        .await;
    // the title matches are kept a minute; the duplicate must not wait
    let before = app.client().get(&original.url()).await.text();
    assert!(text(&before, "#related").contains("Reverse a String in Rust please"));
    let moderator = app.create_user_with_role("mod", "moderator").await;
    let moderating = app.login_existing(&moderator).await;
    for bad in [
        vec![("reason", "duplicate"), ("duplicate_of", "")],
        vec![("reason", "duplicate"), ("duplicate_of", "99999")],
        vec![("reason", "duplicate")],
    ] {
        let res = close(&moderating, copy.id, &bad).await;
        assert_eq!(res.status_code(), 403, "{bad:?}");
    }
    let self_ref = copy.id.to_string();
    assert_eq!(
        close(
            &moderating,
            copy.id,
            &[("reason", "duplicate"), ("duplicate_of", &self_ref)]
        )
        .await
        .status_code(),
        403
    );
    assert_eq!(
        close(&moderating, copy.id, &[("reason", "nonsense")])
            .await
            .status_code(),
        400
    );
    let res = close(
        &moderating,
        copy.id,
        &[("reason", "duplicate"), ("duplicate_of", &original.url())],
    )
    .await;
    assert_eq!(res.status_code(), 303);
    let closed = app.reload_question(copy.id).await;
    assert_eq!(closed.duplicate_of, Some(original.id));
    assert_eq!(closed.closed_by, Some(moderator.id));
    let html = app.client().get(&copy.url()).await.text();
    assert_eq!(
        crate::support::html::attr(&html, "#closed a", "href").as_deref(),
        Some(original.url().as_str())
    );
    let html = app.client().get(&original.url()).await.text();
    assert!(text(&html, "#linked").contains("Reverse a String in Rust please"));
    assert!(
        !text(&html, "#related").contains("Reverse a String"),
        "listed once, as linked"
    );
    let client = app.client();
    client.set_cookie("lang", "ru");
    let html = client.get(&copy.url()).await.text();
    assert!(text(&html, "#closed").contains("дубликат"));
}

#[tokio::test]
async fn close_votes_that_arrive_together_close_once() {
    let app = TestApp::new().await;
    let (asker, _) = app.login_as("asker").await;
    let q = app
        .question(&asker, "A question everybody wants closed", "rust")
        .await;
    let mut clients = Vec::new();
    for name in ["ana", "ben", "cal", "dee", "eve"] {
        let user = app.create_user(name).await;
        app.grant(&user, 499).await;
        let client = app.http_client();
        client.login(name, PASSWORD).await;
        let token = client.token().await;
        clients.push((Arc::new(client), token));
    }
    let path = format!("/questions/{}/close", q.id);
    let votes = clients.iter().map(|(client, token)| {
        let (client, token, path) = (client.clone(), token.clone(), path.clone());
        async move {
            client
                .post_raw(&path, &[("csrf_token", &token), ("reason", "off-topic")])
                .await
                .status_code()
        }
    });
    let statuses = futures_util::future::join_all(votes).await;
    assert!(
        statuses.iter().all(|s| *s == 303 || *s == 403),
        "{statuses:?}"
    );
    assert!(app.reload_question(q.id).await.closed_at.is_some());
    let closes = audit::Entity::find()
        .filter(audit::Column::Action.eq("question.close"))
        .count(&app.ctx.db)
        .await
        .unwrap();
    assert_eq!(closes, 1);
    let told = notes::Entity::find()
        .filter(notes::Column::UserId.eq(asker.id))
        .count(&app.ctx.db)
        .await
        .unwrap();
    assert_eq!(told, 1);
}

#[tokio::test]
async fn related_questions_on_the_page_and_similar_ones_while_asking() {
    let app = TestApp::new().await;
    let (asker, asking) = app.login_as("asker").await;
    let q = app
        .question(&asker, "Tokio runtime panics inside async drop", "rust")
        .await;
    app.question(
        &asker,
        "Why does the tokio runtime panic on shutdown",
        "rust",
    )
    .await;
    app.question(&asker, "Django migrations are slow", "python")
        .await;
    let html = app.client().get(&q.url()).await.text();
    let related = texts(&html, "#related li");
    assert_eq!(related.len(), 1, "{related:?}");
    assert!(related[0].contains("tokio runtime panic on shutdown"));
    let json: serde_json::Value = app
        .client()
        .get("/questions/similar?title=tokio%20runtime%20shutdown")
        .await
        .json();
    assert_eq!(json["questions"].as_array().unwrap().len(), 2, "{json}");
    let empty: serde_json::Value = app.client().get("/questions/similar?title=").await.json();
    assert_eq!(empty["questions"].as_array().unwrap().len(), 0);
    // without JavaScript: the check button brings the form back with the list
    let res = asking
        .post(
            "/questions",
            &[
                ("title", "Tokio panics"),
                ("body", "half written"),
                ("tags", ""),
                ("check", "1"),
            ],
        )
        .await;
    assert_eq!(res.status_code(), 200);
    let html = res.text();
    assert_eq!(count(&html, "#similar li"), 2);
    assert!(html.contains("half written"));
    assert_eq!(
        count(&html, ".invalid-feedback"),
        0,
        "checking is not submitting"
    );
}

#[tokio::test]
async fn history_and_queue_pages_run_a_constant_number_of_queries() {
    let app = TestApp::new().await;
    let (asker, asking) = app.login_as("asker").await;
    let reviewer = app.create_user_with_role("mod", "moderator").await;
    let reviewing = app.login_existing(&reviewer).await;
    let q = app
        .question(&asker, "A question edited again and again", "rust")
        .await;
    let history = format!("/questions/{}/revisions", q.id);
    let small = (
        queries(&asking.get(&history).await),
        queries(&reviewing.get("/review/edits").await),
    );
    for i in 0..8 {
        edit_question(
            &asking,
            q.id,
            &format!("A question edited {i} times"),
            &format!("text {i}"),
            "rust",
            "",
        )
        .await;
        let other = app
            .question(&asker, &format!("Another question number {i}"), "rust")
            .await;
        let (user, suggesting) = app.login_as(&format!("sugg{i}")).await;
        app.grant(&user, 4).await;
        edit_question(
            &suggesting,
            other.id,
            &format!("Another question number {i}, improved"),
            "x",
            "rust",
            "",
        )
        .await;
    }
    let big = (
        queries(&asking.get(&history).await),
        queries(&reviewing.get("/review/edits").await),
    );
    assert_eq!(small, big);
    assert!(big.0 <= 6 && big.1 <= 6, "{big:?}");
    assert_eq!(
        count(&reviewing.get("/review/edits").await.text(), ".suggestion"),
        8
    );
}
