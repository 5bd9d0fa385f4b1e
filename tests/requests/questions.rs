//! Questions: ask, read, edit, delete, slugs, owner checks.
use crate::support::{
    client::location,
    html::{count, main_for_snapshot, text, texts},
    TestApp,
};

fn ask_fields<'a>(title: &'a str, body: &'a str, tags: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![("title", title), ("body", body), ("tags", tags)]
}

#[tokio::test]
async fn asking_creates_the_question_with_tags_and_redirects_to_its_slug() {
    let app = TestApp::new().await;
    let (_, client) = app.login_as("asker").await;
    client.get("/questions/new").await;
    let body = "How do I **borrow** twice?\n\n```rust\nlet a = &mut x;\n```";
    let res = client
        .post(
            "/questions",
            &ask_fields(
                "Borrowing a value twice in Rust?",
                body,
                "Rust borrow-checker rust",
            ),
        )
        .await;
    assert_eq!(res.status_code(), 303, "{}", res.text());
    let url = location(&res);
    assert!(
        url.starts_with("/questions/") && url.ends_with("/borrowing-a-value-twice-in-rust"),
        "{url}"
    );
    let page = client.get(&url).await;
    assert_eq!(page.status_code(), 200);
    let html = page.text();
    assert_eq!(text(&html, "h1"), "Borrowing a value twice in Rust?");
    assert!(html.contains("<strong>borrow</strong>"));
    assert!(html.contains(r#"<code class="language-rust">"#));
    assert_eq!(texts(&html, "#question .tag"), ["borrow-checker", "rust"]);
    assert_eq!(
        count(&html, "#question .badge:not(.tag)"),
        0,
        "no 'edited' or 'solved' badge"
    );
    assert!(!html.contains("edited"), "a new question is not 'edited'");
}

#[tokio::test]
async fn ask_form_errors_keep_the_input() {
    let app = TestApp::new().await;
    let (_, client) = app.login_as("asker").await;
    client.get("/questions/new").await;
    let res = client
        .post("/questions", &ask_fields("short", "tiny", "a b c d e f"))
        .await;
    assert_eq!(res.status_code(), 422);
    let html = res.text();
    assert_eq!(text(&html, "#e-title"), "Use 10–150 characters.");
    assert_eq!(text(&html, "#e-body"), "Use 20–30000 characters.");
    assert_eq!(text(&html, "#e-tags"), "Use at most 5 tags.");
    assert!(html.contains(r#"value="short""#) && html.contains(">tiny</textarea>"));
    let res = client
        .post(
            "/questions",
            &ask_fields("A fine question title", &"x ".repeat(20), ""),
        )
        .await;
    assert_eq!(text(&res.text(), "#e-tags"), "Add at least one tag.");
    let res = client
        .post(
            "/questions",
            &ask_fields("A fine question title", &"x ".repeat(20), "<b>"),
        )
        .await;
    assert!(text(&res.text(), "#e-tags").starts_with("Tags use lower-case"));
    let deep = "> ".repeat(5000);
    let res = client
        .post(
            "/questions",
            &ask_fields("A fine question title", &deep, "rust"),
        )
        .await;
    assert_eq!(res.status_code(), 422);
    assert!(text(&res.text(), "#e-body").starts_with("Nesting is too deep"));
    let res = client
        .post(
            "/questions",
            &ask_fields("A fine question title", &"y".repeat(30_001), "rust"),
        )
        .await;
    assert_eq!(res.status_code(), 422);
    let res = client
        .post(
            "/questions",
            &ask_fields("Title with\u{0}NUL inside", &"z ".repeat(20), "rust"),
        )
        .await;
    assert_eq!(
        text(&res.text(), "#e-title"),
        "Control characters are not allowed."
    );
}

#[tokio::test]
async fn asking_needs_a_login() {
    let app = TestApp::new().await;
    let client = app.client();
    let res = client.get("/questions/new").await;
    assert_eq!(res.status_code(), 303);
    assert_eq!(location(&res), "/login?next=%2Fquestions%2Fnew");
    client.get("/login").await;
    let res = client
        .post(
            "/questions",
            &ask_fields("A fine question title", &"x ".repeat(20), "rust"),
        )
        .await;
    assert_eq!(res.status_code(), 303);
    assert_eq!(location(&res), "/login");
}

#[tokio::test]
async fn wrong_or_missing_slugs_redirect_and_unknown_ids_are_404() {
    let app = TestApp::new().await;
    let author = app.create_user("author").await;
    let q = app
        .question(&author, "What is a lifetime in Rust?", "rust")
        .await;
    let client = app.client();
    let res = client.get(&format!("/questions/{}", q.id)).await;
    assert_eq!(res.status_code(), 308);
    assert_eq!(location(&res), q.url());
    let res = client.get(&format!("/questions/{}/wrong-slug", q.id)).await;
    assert_eq!(location(&res), q.url());
    for path in [
        "/questions/999999",
        "/questions/abc",
        "/questions/-1/x",
        "/questions/99999999999999999999999",
    ] {
        assert_eq!(client.get(path).await.status_code(), 404, "{path}");
    }
}

#[tokio::test]
async fn edited_shows_only_after_a_real_change() {
    let app = TestApp::new().await;
    let (user, client) = app.login_as("editor").await;
    let q = app
        .question(&user, "An unchanged question title", "rust")
        .await;
    let edit = format!("/questions/{}/edit", q.id);
    client.get(&edit).await;
    // same content: not edited
    let res = client
        .post(&edit, &ask_fields(&q.title, &q.body, "rust"))
        .await;
    assert_eq!(res.status_code(), 303);
    assert!(app.reload_question(q.id).await.edited_at.is_none());
    // tags differ: edited
    client
        .post(&edit, &ask_fields(&q.title, &q.body, "rust cargo"))
        .await;
    let after = app.reload_question(q.id).await;
    assert!(after.edited_at.is_some());
    let html = client.get(&after.url()).await.text();
    assert!(html.contains("edited"));
    assert_eq!(texts(&html, "#question .tag"), ["cargo", "rust"]);
    // new title: new slug, old url redirects
    client
        .post(
            &edit,
            &ask_fields("A changed question title", &q.body, "rust"),
        )
        .await;
    let renamed = app.reload_question(q.id).await;
    assert_eq!(renamed.slug, "a-changed-question-title");
    assert_eq!(location(&client.get(&q.url()).await), renamed.url());
}

#[tokio::test]
async fn only_the_owner_edits_and_deletes() {
    let app = TestApp::new().await;
    let owner = app.create_user("owner").await;
    let q = app
        .question(&owner, "Whose question is this one?", "rust")
        .await;
    let (_, other) = app.login_as("intruder").await;
    other.get("/").await;
    assert_eq!(
        other
            .get(&format!("/questions/{}/edit", q.id))
            .await
            .status_code(),
        403
    );
    let res = other
        .post(
            &format!("/questions/{}/edit", q.id),
            &ask_fields("Hijacked question title", &q.body, "rust"),
        )
        .await;
    assert_eq!(res.status_code(), 403);
    let res = other
        .post(&format!("/questions/{}/delete", q.id), &[])
        .await;
    assert_eq!(res.status_code(), 403);
    assert!(res.text().contains("not allowed"));
    let q2 = app.reload_question(q.id).await;
    assert_eq!(q2.title, q.title);
    assert!(q2.deleted_at.is_none());
    let page = other.get(&q.url()).await.text();
    assert_eq!(
        count(&page, "form[action$='/delete']"),
        0,
        "no delete button for others"
    );
}

#[tokio::test]
async fn deleting_hides_the_question_everywhere() {
    let app = TestApp::new().await;
    let (owner, client) = app.login_as("owner").await;
    let q = app
        .question(&owner, "A question about to vanish", "vanishing")
        .await;
    let keep = app
        .question(&owner, "A question that stays put", "staying")
        .await;
    client.get(&q.url()).await;
    let res = client
        .post(&format!("/questions/{}/delete", q.id), &[])
        .await;
    assert_eq!(res.status_code(), 303);
    assert!(
        app.reload_question(q.id).await.deleted_at.is_some(),
        "soft delete keeps the row"
    );
    assert_eq!(client.get(&q.url()).await.status_code(), 404);
    let list = client.get("/questions").await.text();
    assert!(!list.contains("about to vanish") && list.contains("stays put"));
    assert!(!client
        .get("/questions?q=vanish")
        .await
        .text()
        .contains("about to vanish"));
    let vanishing = client.get("/tags/vanishing").await;
    assert_eq!(vanishing.status_code(), 200);
    assert!(
        text(&vanishing.text(), "main").contains("0 questions"),
        "the tag's count follows the deletion"
    );
    assert!(
        !client.get("/tags").await.text().contains(">vanishing<"),
        "empty tags are hidden"
    );
    assert!(!client.get("/").await.text().contains("about to vanish"));
    assert_eq!(
        text(
            &client.get("/").await.text(),
            "#community-stats dd:nth-of-type(2)"
        ),
        "1"
    );
    let _ = keep;
    // a moderator still sees it
    let moderator = app.create_user_with_role("moddy", "moderator").await;
    let m = app.login_existing(&moderator).await;
    let page = m.get(&q.url()).await;
    assert_eq!(page.status_code(), 200);
    assert!(page.text().contains("This post is deleted"));
}

#[tokio::test]
async fn question_page_snapshot() {
    let app = TestApp::new().await;
    let author = app.create_user("snapper").await;
    let q = app
        .question(&author, "How do snapshots stay stable?", "insta testing")
        .await;
    let answerer = app.create_user("helper").await;
    app.answer(&answerer, &q, "Redact the *volatile* parts.")
        .await;
    let html = app.client().get(&q.url()).await.text();
    insta::assert_snapshot!("question_show_en", main_for_snapshot(&html));
    let ru = app
        .client()
        .get_with(&q.url(), ("accept-language", "ru"))
        .await
        .text();
    insta::assert_snapshot!("question_show_ru", main_for_snapshot(&ru));
}
