//! Course reviews and courses.
use std::sync::Arc;

use nightcoder::reviews::{self, courses};
use sea_orm::{EntityTrait, PaginatorTrait};

use crate::support::{
    client::location,
    forum::body,
    html::{attr, count, main_for_snapshot, text, texts},
    TestApp, PASSWORD,
};

fn review_fields<'a>(
    course: &'a str,
    title: &'a str,
    body: &'a str,
    rating: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("course", course),
        ("title", title),
        ("body", body),
        ("rating", rating),
    ]
}

#[tokio::test]
async fn a_first_review_creates_the_course() {
    let app = TestApp::new().await;
    let (_, client) = app.login_as("reviewer").await;
    client.get("/reviews/new").await;
    let text_body = body("Great course about ownership.");
    let res = client
        .post(
            "/reviews",
            &review_fields("Rust in Action", "Clear and practical", &text_body, "5"),
        )
        .await;
    assert_eq!(res.status_code(), 303, "{}", res.text());
    let url = location(&res);
    assert!(url.starts_with("/reviews/"));
    let page = client.get(&url).await.text();
    assert_eq!(text(&page, "h1"), "Clear and practical");
    assert_eq!(
        attr(&page, "#review a[href^='/courses/']", "href").as_deref(),
        Some("/courses/rust-in-action")
    );
    let course = client.get("/courses/rust-in-action").await;
    assert_eq!(course.status_code(), 200);
    assert_eq!(text(&course.text(), "#course .display-6"), "5.0");
    assert_eq!(client.get("/courses/nope").await.status_code(), 404);
}

#[tokio::test]
async fn course_names_match_whatever_the_case_and_spacing() {
    let app = TestApp::new().await;
    let a = app.create_user("anna").await;
    let b = app.create_user("boris").await;
    let c = app.create_user("clara").await;
    app.review(&a, "Django Mastery", "Good introduction overall", 4)
        .await;
    app.review(&b, " django  mastery ", "A bit dated in places", 2)
        .await;
    app.review(&c, "DJANGO MASTERY", "Worth the money in the end", 5)
        .await;
    assert_eq!(courses::Entity::find().count(&app.ctx.db).await.unwrap(), 1);
    let course = courses::Entity::find()
        .one(&app.ctx.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (course.name.as_str(), course.review_count, course.rating_sum),
        ("Django Mastery", 3, 11)
    );
    assert_eq!(course.histogram(), [0, 1, 0, 1, 1]);
    let html = app.client().get("/courses/django-mastery").await.text();
    assert_eq!(text(&html, "#course .display-6"), "3.7");
    assert_eq!(count(&html, "#course-reviews .review-row"), 3);
    insta::assert_snapshot!("course_show_en", main_for_snapshot(&html));
}

#[tokio::test]
async fn a_second_review_of_the_same_course_gets_a_message_and_a_link() {
    let app = TestApp::new().await;
    let (user, client) = app.login_as("twice").await;
    let first = app
        .review(&user, "Go by Example", "Short and sweet examples", 4)
        .await;
    client.get("/reviews/new").await;
    let res = client
        .post(
            "/reviews",
            &review_fields(
                "go BY example",
                "Trying to review again",
                &body("again"),
                "2",
            ),
        )
        .await;
    assert_eq!(res.status_code(), 422);
    let html = res.text();
    assert_eq!(
        text(&html, "#e-course"),
        "You have already reviewed this course."
    );
    assert_eq!(
        attr(&html, "#duplicate a", "href"),
        Some(format!("/reviews/{}", first.id))
    );
    assert!(html.contains(r#"value="2" checked"#), "the rating survives");
    assert_eq!(reviews::Entity::find().count(&app.ctx.db).await.unwrap(), 1);
}

#[tokio::test]
async fn the_rating_survives_a_failed_submission_and_is_checked() {
    let app = TestApp::new().await;
    let (_, client) = app.login_as("stars").await;
    client.get("/reviews/new").await;
    let res = client
        .post(
            "/reviews",
            &review_fields("Some Course", "short", &body("fine"), "4"),
        )
        .await;
    assert_eq!(res.status_code(), 422);
    let html = res.text();
    assert!(
        html.contains(r#"id="rating-4" name="rating" value="4" checked"#),
        "{html}"
    );
    assert_eq!(
        count(&html, "input[type=radio][name=rating]"),
        5,
        "works without JavaScript"
    );
    for bad in ["0", "6", "abc", "", "3.5", "-1"] {
        let res = client
            .post(
                "/reviews",
                &review_fields("Some Course", "A fine title here", &body("fine"), bad),
            )
            .await;
        assert_eq!(res.status_code(), 422, "{bad:?}");
        assert_eq!(
            text(&res.text(), "#e-rating"),
            "Pick a rating from 1 to 5 stars."
        );
    }
}

#[tokio::test]
async fn only_the_author_edits_and_deleting_frees_the_course() {
    let app = TestApp::new().await;
    let (author, mine) = app.login_as("author").await;
    let r = app
        .review(&author, "Kotlin Koans", "Fun puzzles for learning", 5)
        .await;
    let (_, other) = app.login_as("other").await;
    other.get("/").await;
    assert_eq!(
        other
            .get(&format!("/reviews/{}/edit", r.id))
            .await
            .status_code(),
        403
    );
    assert_eq!(
        other
            .post(&format!("/reviews/{}/delete", r.id), &[])
            .await
            .status_code(),
        403
    );
    mine.get(&format!("/reviews/{}/edit", r.id)).await;
    let res = mine
        .post(
            &format!("/reviews/{}/edit", r.id),
            &review_fields("Kotlin Koans", "Fun puzzles for learning", &r.body, "3"),
        )
        .await;
    assert_eq!(res.status_code(), 303);
    let course = courses::Entity::find()
        .one(&app.ctx.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            course.review_count,
            course.rating_sum,
            course.rating_3,
            course.rating_5
        ),
        (1, 3, 1, 0)
    );
    let res = mine.post(&format!("/reviews/{}/delete", r.id), &[]).await;
    assert_eq!(res.status_code(), 303);
    assert_eq!(
        mine.get(&format!("/reviews/{}", r.id)).await.status_code(),
        404
    );
    let course = courses::Entity::find()
        .one(&app.ctx.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(course.review_count, 0);
    assert!(
        !mine.get("/courses").await.text().contains("Kotlin Koans"),
        "unreviewed courses are hidden"
    );
    // the slot is free again
    app.review(&author, "kotlin koans", "Second opinion after a year", 4)
        .await;
    assert_eq!(mine.get("/reviews/abc").await.status_code(), 404);
}

#[tokio::test]
async fn reviews_are_searchable_by_course_title_and_body() {
    let app = TestApp::new().await;
    let a = app.create_user("searcher").await;
    let b = app.create_user("other").await;
    app.review(&a, "Haskell Programming", "Monads without tears", 5)
        .await;
    app.review(&b, "Elixir School", "Processes everywhere, nicely done", 4)
        .await;
    let client = app.client();
    let titles = |html: String| texts(&html, ".review-row .review-title a");
    assert_eq!(
        titles(client.get("/reviews?q=haskell").await.text()),
        ["Monads without tears"]
    );
    assert_eq!(
        titles(client.get("/reviews?q=processes").await.text()),
        ["Processes everywhere, nicely done"]
    );
    assert_eq!(
        titles(client.get("/reviews?q=nothing-like-this").await.text()),
        Vec::<String>::new()
    );
    assert_eq!(
        client
            .get("/reviews?q=%27%3B--&page=-9")
            .await
            .status_code(),
        200
    );
    assert_eq!(titles(client.get("/reviews").await.text()).len(), 2);
}

#[tokio::test]
async fn a_users_reviews_show_their_average_and_unknown_users_are_404() {
    let app = TestApp::new().await;
    let a = app.create_user("critic").await;
    app.review(&a, "Course One", "First course I reviewed", 5)
        .await;
    app.review(&a, "Course Two", "Second course I reviewed", 2)
        .await;
    let client = app.client();
    let html = client.get("/users/critic/reviews").await.text();
    assert_eq!(
        text(&html, "#user-review-stats"),
        "2 reviews · average rating 3.5 · ← Back to the profile"
    );
    assert_eq!(count(&html, ".review-row"), 2);
    assert_eq!(client.get("/users/ghost/reviews").await.status_code(), 404);
    let profile = client.get("/users/critic").await.text();
    assert!(profile.contains("/users/critic/reviews"));
}

#[tokio::test]
async fn helpful_votes_pay_three_and_sort_the_course_page() {
    let app = TestApp::new().await;
    let a = app.create_user("helpful").await;
    let b = app.create_user("meh").await;
    let ra = app
        .review(&a, "Same Course", "The helpful review here", 5)
        .await;
    let rb = app
        .review(&b, "Same Course", "The less helpful review", 4)
        .await;
    let (voter, client) = app.login_as("voter").await;
    app.grant(&voter, 20).await;
    client.get(&format!("/reviews/{}", ra.id)).await;
    let res = client
        .post(&format!("/reviews/{}/vote", ra.id), &[("direction", "up")])
        .await;
    assert_eq!(res.status_code(), 303);
    assert_eq!(location(&res), format!("/reviews/{}#review", ra.id));
    client
        .post(
            &format!("/reviews/{}/vote", rb.id),
            &[("direction", "down")],
        )
        .await;
    assert_eq!(app.reload_user(a.id).await.reputation, 1 + 3);
    assert_eq!(app.reload_user(b.id).await.reputation, 1 - 1);
    let html = client.get("/courses/same-course?sort=helpful").await.text();
    assert_eq!(
        texts(&html, ".review-row .review-title a")[0],
        "The helpful review here"
    );
    let newest = client.get("/courses/same-course").await.text();
    assert_eq!(
        texts(&newest, ".review-row .review-title a")[0],
        "The less helpful review"
    );
    // deleting the review takes its points back
    let (_, owner) = (a.clone(), app.login_existing(&a).await);
    owner.get("/").await;
    owner.post(&format!("/reviews/{}/delete", ra.id), &[]).await;
    assert_eq!(app.reload_user(a.id).await.reputation, 1);
    let history = client.get("/users/meh/reputation").await.text();
    assert!(history.contains("review"));
    app.assert_ledger_consistent().await;
}

#[tokio::test]
async fn courses_sort_by_rating_or_number_of_reviews() {
    let app = TestApp::new().await;
    let mut users = Vec::new();
    for i in 0..3 {
        users.push(app.create_user(&format!("u{i}")).await);
    }
    app.review(&users[0], "Popular Course", "Reviewed by many people", 3)
        .await;
    app.review(
        &users[1],
        "Popular Course",
        "Reviewed by many people too",
        3,
    )
    .await;
    app.review(&users[2], "Niche Gem", "Only one review but perfect", 5)
        .await;
    let client = app.client();
    let by_rating = texts(&client.get("/courses").await.text(), "#courses h2 a");
    assert_eq!(by_rating, ["Niche Gem", "Popular Course"]);
    let by_count = texts(
        &client.get("/courses?sort=reviews").await.text(),
        "#courses h2 a",
    );
    assert_eq!(by_count, ["Popular Course", "Niche Gem"]);
    let home = client.get("/").await.text();
    assert_eq!(count(&home, "#latest-reviews .review-row"), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_duplicate_reviews_leave_exactly_one() {
    let app = TestApp::new().await;
    let user = app.create_user("racer").await;
    let client = Arc::new(app.http_client());
    client.login(&user.username, PASSWORD).await;
    client.get("/reviews/new").await;
    let token = client.token().await;
    let text_body = body("same review sent twice");
    let sends = (0..6).map(|i| {
        let (c, token, text_body) = (client.clone(), token.clone(), text_body.clone());
        async move {
            let title = format!("Concurrent review number {i}");
            c.post_raw(
                "/reviews",
                &[
                    ("csrf_token", &token),
                    ("course", "Race Course"),
                    ("title", &title),
                    ("body", &text_body),
                    ("rating", "4"),
                ],
            )
            .await
            .status_code()
        }
    });
    let statuses = futures_util::future::join_all(sends).await;
    assert_eq!(
        statuses.iter().filter(|s| **s == 303).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 303 || *s == 422),
        "{statuses:?}"
    );
    assert_eq!(reviews::Entity::find().count(&app.ctx.db).await.unwrap(), 1);
    let course = courses::Entity::find()
        .one(&app.ctx.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(course.review_count, 1);
}

#[tokio::test]
async fn review_page_snapshot_in_russian() {
    let app = TestApp::new().await;
    let a = app.create_user("pisatel").await;
    let r = app
        .review(
            &a,
            "Программирование на Rust",
            "Отличная книга для начала",
            5,
        )
        .await;
    let html = app
        .client()
        .get_with(&format!("/reviews/{}", r.id), ("accept-language", "ru"))
        .await
        .text();
    insta::assert_snapshot!("review_show_ru", main_for_snapshot(&html));
}
