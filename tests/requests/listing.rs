//! Lists, sorting, tags, search, pagination and the home page.
use crate::support::{
    client::{queries, Client},
    html::{main_for_snapshot, text, texts},
    TestApp,
};

#[tokio::test]
async fn sorts_order_the_list() {
    let app = TestApp::new().await;
    let a = app.create_user("alpha").await;
    let old = app
        .question(&a, "The oldest question here", "sorting")
        .await;
    let mid = app
        .question(&a, "The middle question here", "sorting")
        .await;
    let new = app
        .question(&a, "The newest question here", "sorting")
        .await;
    nightcoder::db::Sql::new("UPDATE questions SET score = 7 WHERE id = ?")
        .push_bind("", [sea_orm::Value::from(mid.id)])
        .execute(&app.ctx.db)
        .await
        .unwrap();
    app.answer(&a, &old, "an answer makes it active").await;
    let client = app.client();
    let titles = |html: String| texts(&html, ".question-row .question-title a");
    assert_eq!(
        titles(client.get("/questions").await.text()),
        [
            "The newest question here",
            "The middle question here",
            "The oldest question here"
        ]
    );
    assert_eq!(
        titles(client.get("/questions?sort=votes").await.text())[0],
        "The middle question here"
    );
    assert_eq!(
        titles(client.get("/questions?sort=active").await.text())[0],
        "The oldest question here"
    );
    assert_eq!(
        titles(client.get("/questions?sort=unanswered").await.text()),
        ["The newest question here", "The middle question here"]
    );
    // nonsense falls back instead of failing
    assert_eq!(
        client.get("/questions?sort=%27;DROP").await.status_code(),
        200
    );
    let _ = new;
}

#[tokio::test]
async fn tags_have_counts_and_their_own_lists() {
    let app = TestApp::new().await;
    let a = app.create_user("tagger").await;
    let only = app.question(&a, "Question about rust only", "rust").await;
    app.question(&a, "Question about rust and async", "rust async")
        .await;
    app.question(&a, "Question about python here", "python")
        .await;
    let client = app.client();
    let tags = client.get("/tags").await.text();
    assert_eq!(texts(&tags, ".tag"), ["rust", "async", "python"]);
    assert!(tags.contains("2 questions"));
    let rust = client.get("/tags/rust").await;
    assert_eq!(rust.status_code(), 200);
    assert_eq!(
        texts(&rust.text(), ".question-row .question-title a").len(),
        2
    );
    assert_eq!(text(&rust.text(), "h1"), "Questions tagged [rust]");
    assert!(text(&rust.text(), "main").contains("2 questions"));
    // the tag's kept count stands in for counting its questions; a
    // search or the unanswered filter within the tag still counts
    app.answer(&a, &only, "An answer to the rust-only question")
        .await;
    let unanswered = client.get("/tags/rust?sort=unanswered").await.text();
    assert!(text(&unanswered, "main").contains("1 question"));
    let searched = client.get("/tags/rust?q=async").await.text();
    assert!(text(&searched, "main").contains("1 question"));
    assert_eq!(client.get("/tags/RUST").await.status_code(), 200);
    assert_eq!(client.get("/tags/nonexistent").await.status_code(), 404);
    assert_eq!(client.get("/tags/%3Cscript%3E").await.status_code(), 404);
    let filtered = client.get("/questions?tag=async").await.text();
    assert_eq!(
        texts(&filtered, ".question-row .question-title a"),
        ["Question about rust and async"]
    );
}

/// The whole list takes its count from the site's kept question count
/// instead of counting rows on every view; the count follows deletions,
/// and what the counter says is what the list shows.
#[tokio::test]
async fn the_whole_list_shows_the_kept_question_count() {
    let app = TestApp::new().await;
    let (owner, client) = app.login_as("counting").await;
    let gone = app
        .question(&owner, "A question that will be deleted", "counting")
        .await;
    app.question(&owner, "A question that stays in the list", "counting")
        .await;
    app.question(&owner, "Another question that stays listed", "counting")
        .await;
    assert!(text(&client.get("/questions").await.text(), "main").contains("3 questions"));
    let res = client
        .post(&format!("/questions/{}/delete", gone.id), &[])
        .await;
    assert_eq!(res.status_code(), 303);
    for path in [
        "/questions",
        "/questions?sort=votes",
        "/questions?sort=active",
    ] {
        assert!(
            text(&client.get(path).await.text(), "main").contains("2 questions"),
            "{path} counts the live questions"
        );
    }
    nightcoder::db::Sql::new("UPDATE site_counters SET value = 12345 WHERE name = 'questions'")
        .execute(&app.ctx.db)
        .await
        .unwrap();
    let page = client.get("/questions?page=2").await.text();
    assert!(
        text(&page, "main").contains("more than 10"),
        "the list reads the kept count"
    );
    assert!(
        text(
            &client.get("/questions?sort=unanswered").await.text(),
            "main"
        )
        .contains("2 questions"),
        "unanswered questions are counted"
    );
}

/// A search in relevance order ranks only the newest matches (so its cost
/// does not grow with the data) and says that there are more.
#[tokio::test]
async fn a_ranked_search_ranks_the_newest_matches_and_says_there_are_more() {
    use nightcoder::forum::questions::SEARCH_CANDIDATES;
    let app = TestApp::new().await;
    let a = app.create_user("haystack").await;
    let oldest = app
        .question(&a, "Needle needle needle in the oldest title", "search")
        .await;
    for i in 0..SEARCH_CANDIDATES {
        app.question(
            &a,
            &format!("Newer question number {i} with a needle"),
            "search",
        )
        .await;
    }
    let client = app.client();
    let page = client.get("/questions?q=needle").await.text();
    let hits = texts(&page, ".question-row .question-title a");
    assert_eq!(hits.len(), 20);
    assert!(
        !hits.contains(&oldest.title),
        "the best title is older than the newest {SEARCH_CANDIDATES} matches"
    );
    assert!(
        text(&page, "main").contains("more than 1"),
        "the count says there are more"
    );
    // narrower words reach it
    let hits = texts(
        &client.get("/questions?q=needle+oldest").await.text(),
        ".question-row .question-title a",
    );
    assert_eq!(hits, std::slice::from_ref(&oldest.title));
    // the other orders still see every match
    let votes = client
        .get("/questions?q=needle&sort=votes&page=51")
        .await
        .text();
    assert_eq!(texts(&votes, ".question-row .question-title a").len(), 1);
}

/// A search ranking is kept, and every change to a question's text, made
/// through any process, is seen by the next search in every process.
#[tokio::test]
async fn a_kept_ranking_follows_every_change_to_the_texts_in_every_process() {
    async fn found(reader: &Client) -> (Vec<String>, u32) {
        let res = reader.get("/questions?q=closure").await;
        assert_eq!(res.status_code(), 200);
        (
            texts(&res.text(), ".question-row .question-title a"),
            queries(&res),
        )
    }
    let app = TestApp::new().await;
    let other = app.another_process(|_| {}).await;
    let (author, writer) = app.login_as("writer").await;
    let first = app
        .question(&author, "Closure borrows self mutably", "rust")
        .await;
    let plain = app
        .question(&author, "Lifetimes in struct fields", "rust")
        .await;
    // signed in, so no page cache answers for the search
    let (_, reader) = other.login_as("reader").await;
    let (hits, ranked) = found(&reader).await;
    assert_eq!(hits, std::slice::from_ref(&first.title));
    let (hits, kept) = found(&reader).await;
    assert_eq!(hits, std::slice::from_ref(&first.title));
    assert!(kept < ranked, "kept: {kept} queries, ranked: {ranked}");

    let second = app
        .question(
            &author,
            "Closure closure everywhere: moving a closure",
            "rust",
        )
        .await;
    assert_eq!(
        found(&reader).await.0,
        [second.title.clone(), first.title.clone()]
    );
    app.answer(&author, &plain, "A closure could capture it instead")
        .await;
    assert_eq!(
        found(&reader).await.0,
        [
            second.title.clone(),
            first.title.clone(),
            plain.title.clone()
        ]
    );
    let res = writer
        .post(&format!("/questions/{}/delete", second.id), &[])
        .await;
    assert_eq!(res.status_code(), 303);
    assert_eq!(found(&reader).await.0, [first.title.clone(), plain.title]);
}

#[tokio::test]
async fn search_is_ranked_covers_answers_and_survives_hostile_input() {
    let app = TestApp::new().await;
    let a = app.create_user("searcher").await;
    let title_hit = app
        .question(&a, "Tokio runtime panics on shutdown", "tokio")
        .await;
    let other = app
        .question(&a, "Unrelated question about css grids", "css")
        .await;
    app.answer(&a, &other, "Mentions tokio in passing only")
        .await;
    app.question(&a, "Cyrillic: как настроить логирование", "logging")
        .await;
    let client = app.client();
    let hits = texts(
        &client.get("/questions?q=tokio").await.text(),
        ".question-row .question-title a",
    );
    assert_eq!(
        hits,
        [
            "Tokio runtime panics on shutdown",
            "Unrelated question about css grids"
        ],
        "title beats answer"
    );
    let hits = texts(
        &client.get("/questions?q=%22runtime+panics%22").await.text(),
        ".question-row .question-title a",
    );
    assert_eq!(hits, ["Tokio runtime panics on shutdown"]);
    let hits = texts(
        &client
            .get("/questions?q=%D0%BB%D0%BE%D0%B3%D0%B8%D1%80%D0%BE%D0%B2%D0%B0%D0%BD%D0%B8%D0%B5")
            .await
            .text(),
        ".question-row .question-title a",
    );
    assert_eq!(hits, ["Cyrillic: как настроить логирование"]);
    for hostile in [
        "%27+OR+1%3D1+--",
        "%25%27%3BDROP+TABLE+questions%3B--",
        "%5C",
        "%22",
        "NEAR(%22a%22",
        "*",
        "-",
        "a%20OR%20",
    ] {
        let res = client.get(&format!("/questions?q={hostile}")).await;
        assert_eq!(res.status_code(), 200, "{hostile}");
    }
    // no form sends a NUL: such a request is refused before any handler
    assert_eq!(client.get("/questions?q=%00").await.status_code(), 400);
    assert_eq!(
        app.reload_question(title_hit.id).await.id,
        title_hit.id,
        "table still there"
    );
    // search results keep the query in pagination links, encoded
    let html = client
        .get("/questions?q=tokio%20%26%20friends")
        .await
        .text();
    assert!(html.contains(r#"value="tokio &amp; friends""#));
}

#[tokio::test]
async fn deep_pages_are_clamped() {
    let app = TestApp::new().await;
    let a = app.create_user("pager").await;
    for i in 0..25 {
        app.question(&a, &format!("Paginated question number {i:02}"), "paging")
            .await;
    }
    let client = app.client();
    let p2 = client.get("/questions?page=2").await.text();
    assert_eq!(texts(&p2, ".question-row").len(), 5);
    for page in ["99999999999999999999999", "-3", "abc", "3", "0"] {
        let res = client.get(&format!("/questions?page={page}")).await;
        assert_eq!(res.status_code(), 200, "{page}");
    }
    let last = client.get("/questions?page=987654321").await.text();
    assert_eq!(
        texts(&last, ".question-row").len(),
        5,
        "clamped to the last page"
    );
    assert!(last.contains(r#"aria-current="page">2<"#));
}

#[tokio::test]
async fn the_home_page_shows_latest_questions_top_users_and_stats() {
    let app = TestApp::new().await;
    let a = app.create_user("homer").await;
    let q = app.question(&a, "Shown on the home page", "home").await;
    app.answer(&a, &q, "and answered").await;
    let html = app.client().get("/").await.text();
    assert_eq!(
        texts(&html, "#latest-questions .question-row .question-title a"),
        ["Shown on the home page"]
    );
    assert_eq!(texts(&html, "#top-contributors li a"), ["homer"]);
    assert_eq!(
        texts(&html, "#community-stats dd"),
        ["1", "1", "1", "0", "0"]
    );
    insta::assert_snapshot!("home_en", main_for_snapshot(&html));
}
