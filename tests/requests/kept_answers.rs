//! Answers are rendered once and kept (`src/web/fragments.rs`): every viewer
//! still gets their own form token, rights and votes, and a change to an
//! answer shows at once.
use crate::support::{
    forum::body,
    html::{count, text},
    Client, TestApp,
};

/// Every form token on `page` is `token`, and the kept fragments'
/// placeholder is nowhere.
fn assert_only_token(page: &str, token: &str, who: &str) {
    let all = count(page, "input[name=csrf_token]");
    let own = count(page, &format!("input[name=csrf_token][value=\"{token}\"]"));
    assert!(all > 0, "{who}: the page has forms");
    assert_eq!(own, all, "{who}: every form carries the viewer's own token");
    assert!(!page.contains("nc-token-"), "{who}: no placeholder left");
}

#[tokio::test]
async fn kept_answers_carry_each_viewers_token_rights_and_votes() {
    let app = TestApp::new().await;
    let (asker, asker_client) = app.login_as("asker").await;
    let q = app
        .question(&asker, "Which parts of an answer are whose?", "cache")
        .await;
    let (answerer, answerer_client) = app.login_as("answerer").await;
    let a = app
        .answer(&answerer, &q, "an answer that every viewer reads")
        .await;
    let (_, voter) = app.login_as("voter").await;
    let (_, reader) = app.login_as("reader").await;
    let res = voter
        .post(&format!("/answers/{}/vote", a.id), &[("direction", "up")])
        .await;
    assert_eq!(res.status_code(), 303);

    let accept = format!("#answer-{} form[action=\"/answers/{}/accept\"]", a.id, a.id);
    let delete = format!("#answer-{} form[action=\"/answers/{}/delete\"]", a.id, a.id);
    let active = format!("#answer-{} .btn-vote.active[data-direction=up]", a.id);
    let viewers: [(&str, &Client, usize, usize, usize); 4] = [
        ("asker", &asker_client, 1, 0, 0),
        ("answerer", &answerer_client, 0, 1, 0),
        ("voter", &voter, 0, 0, 1),
        ("reader", &reader, 0, 0, 0),
    ];
    // twice round, so that the second views are served from what the
    // first ones kept
    for _ in 0..2 {
        for (who, client, accepts, deletes, actives) in &viewers {
            let page = client.get(&q.url()).await.text();
            assert_only_token(&page, &client.token().await, who);
            assert_eq!(count(&page, &accept), *accepts, "{who}: accept");
            assert_eq!(count(&page, &delete), *deletes, "{who}: delete");
            assert_eq!(count(&page, &active), *actives, "{who}: own vote");
            assert_eq!(
                text(&page, &format!("#answer-{} [data-score]", a.id)),
                "1",
                "{who}: score"
            );
        }
    }
    // a visitor's vote widget sends them to sign in and back
    let page = app.client().get(&q.url()).await.text();
    let back = format!(
        "#answer-{} a.vote-login[href=\"/login?next=%2Fquestions%2F{}%2F{}\"]",
        a.id, q.id, q.slug
    );
    assert_eq!(count(&page, &back), 1, "{page}");

    // the author's edit is on everyone's page at once
    let res = answerer_client
        .post(
            &format!("/answers/{}/edit", a.id),
            &[("body", &body("an answer rewritten by its own author"))],
        )
        .await;
    assert_eq!(res.status_code(), 303);
    for (who, client, ..) in &viewers {
        let page = client.get(&q.url()).await.text();
        assert!(
            text(&page, &format!("#answer-{} .md-body", a.id)).contains("rewritten"),
            "{who} sees the edit"
        );
    }
}

#[tokio::test]
async fn kept_list_rows_follow_votes_and_answers_at_once() {
    let app = TestApp::new().await;
    let (asker, _) = app.login_as("asker").await;
    let q = app
        .question(&asker, "Does a kept row follow its votes?", "cache")
        .await;
    let (answerer, reader) = app.login_as("answerer").await;
    let stats = |page: &str| text(page, ".question-row .stats");
    for path in ["/", "/questions", "/tags/cache", "/users/asker"] {
        let page = reader.get(path).await.text();
        assert!(
            stats(&page).starts_with("0 votes 0 answers"),
            "{path}: {}",
            stats(&page)
        );
    }
    let res = reader
        .post(&format!("/questions/{}/vote", q.id), &[("direction", "up")])
        .await;
    assert_eq!(res.status_code(), 303);
    app.answer(&answerer, &q, "an answer that the rows count at once")
        .await;
    for path in ["/", "/questions", "/tags/cache", "/users/asker"] {
        let page = reader.get(path).await.text();
        assert!(
            stats(&page).starts_with("1 vote 1 answer"),
            "{path}: {}",
            stats(&page)
        );
    }
}
