//! What search engines and feed readers get: robots.txt, the sitemap,
//! Atom feeds (read with an XML parser), canonical links, cards and noindex.
use sea_orm::ConnectionTrait;

use crate::support::{client::queries, html::attr, TestApp};

/// Deletes a question as a moderator would, straight in the database.
async fn soft_delete(app: &TestApp, id: i64) {
    app.ctx
        .db
        .execute_unprepared(&format!(
            "UPDATE questions SET deleted_at = created_at WHERE id = {id}"
        ))
        .await
        .unwrap();
}

const ATOM: &str = "http://www.w3.org/2005/Atom";
const SITEMAP: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

fn children<'a>(
    node: roxmltree::Node<'a, 'a>,
    ns: &str,
    name: &str,
) -> Vec<roxmltree::Node<'a, 'a>> {
    node.children()
        .filter(|n| n.has_tag_name((ns, name)))
        .collect()
}

fn text(node: roxmltree::Node<'_, '_>, ns: &str, name: &str) -> String {
    children(node, ns, name)
        .first()
        .and_then(|n| n.text())
        .unwrap_or_default()
        .to_string()
}

/// Checks what RFC 4287 requires of a feed and of each entry; returns the
/// entries' titles.
fn atom_titles(xml: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(xml).expect("the feed is well-formed XML");
    let feed = doc.root_element();
    assert!(feed.has_tag_name((ATOM, "feed")), "root is atom:feed");
    for required in ["id", "title", "updated"] {
        assert_eq!(
            children(feed, ATOM, required).len(),
            1,
            "feed has one {required}"
        );
    }
    assert!(children(feed, ATOM, "link")
        .iter()
        .any(|l| l.attribute("rel") == Some("self")));
    let updated = text(feed, ATOM, "updated");
    chrono::DateTime::parse_from_rfc3339(&updated).expect("updated is RFC 3339");
    children(feed, ATOM, "entry")
        .into_iter()
        .map(|e| {
            for required in ["id", "title", "updated", "author", "content", "link"] {
                assert!(
                    !children(e, ATOM, required).is_empty(),
                    "entry has {required}"
                );
            }
            chrono::DateTime::parse_from_rfc3339(&text(e, ATOM, "updated")).expect("RFC 3339");
            assert!(
                text(e, ATOM, "id").starts_with("http"),
                "ids are absolute IRIs"
            );
            text(e, ATOM, "title")
        })
        .collect()
}

#[tokio::test]
async fn atom_feeds_of_questions_tags_and_answers_parse_and_hide_deleted_posts() {
    let app = TestApp::new().await;
    let asker = app.create_user("asker").await;
    let rust = app
        .question(&asker, "Borrowing <T> & lifetimes in loops", "rust")
        .await;
    app.question(&asker, "Centering a div with grid", "css")
        .await;
    let gone = app
        .question(&asker, "A question a moderator removed", "rust")
        .await;
    soft_delete(&app, gone.id).await;
    let helper = app.create_user("helper").await;
    app.answer(&helper, &rust, "Use an index & <b>split_at_mut</b>.")
        .await;

    let client = app.client();
    let res = client.get("/feeds/questions.atom").await;
    assert_eq!(res.status_code(), 200);
    assert!(res
        .header("content-type")
        .to_str()
        .unwrap()
        .starts_with("application/atom+xml"));
    assert_eq!(
        atom_titles(&res.text()),
        [
            "Centering a div with grid",
            "Borrowing <T> & lifetimes in loops"
        ]
    );
    assert!(queries(&res) <= 2, "one query for the feed");

    let tag = client.get("/feeds/tags/rust.atom").await;
    assert_eq!(
        atom_titles(&tag.text()),
        ["Borrowing <T> & lifetimes in loops"]
    );
    assert_eq!(
        client.get("/feeds/tags/nosuchtag.atom").await.status_code(),
        404
    );

    let answers = client
        .get(&format!("/questions/{}/feed.atom", rust.id))
        .await;
    assert_eq!(answers.status_code(), 200);
    let xml = answers.text();
    assert_eq!(atom_titles(&xml).len(), 1);
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let entry = children(doc.root_element(), ATOM, "entry")[0];
    assert!(
        text(entry, ATOM, "content").contains("split_at_mut"),
        "the answer's HTML, escaped once"
    );
    assert_eq!(
        client
            .get(&format!("/questions/{}/feed.atom", gone.id))
            .await
            .status_code(),
        404
    );

    // the pages point to their feeds
    let page = client.get("/questions").await.text();
    assert_eq!(
        attr(
            &page,
            "link[rel=alternate][type='application/atom+xml']",
            "href"
        )
        .as_deref(),
        Some("/feeds/questions.atom")
    );
    let page = client.get(&rust.url()).await.text();
    assert_eq!(
        attr(
            &page,
            "link[rel=alternate][type='application/atom+xml']",
            "href"
        ),
        Some(format!("/questions/{}/feed.atom", rust.id))
    );
    // a tag with a `#` links a feed that resolves
    app.question(&asker, "Pattern matching on records in C#", "c#")
        .await;
    let page = client.get("/tags/c%23").await.text();
    let href = attr(
        &page,
        "link[rel=alternate][type='application/atom+xml']",
        "href",
    )
    .unwrap();
    assert_eq!(href, "/feeds/tags/c%23.atom");
    assert_eq!(
        atom_titles(&client.get(&href).await.text()),
        ["Pattern matching on records in C#"]
    );
    let page = client.get("/tags/css").await.text();
    assert_eq!(
        attr(
            &page,
            "link[rel=alternate][type='application/atom+xml']",
            "href"
        )
        .as_deref(),
        Some("/feeds/tags/css.atom")
    );
}

#[tokio::test]
async fn robots_and_the_sitemap_list_public_questions_only() {
    let app = TestApp::new().await;
    let asker = app.create_user("asker").await;
    let kept = app
        .question(&asker, "A question search engines may see", "seo")
        .await;
    let gone = app
        .question(&asker, "A question that was deleted later", "seo")
        .await;
    soft_delete(&app, gone.id).await;
    let client = app.client();
    let robots = client.get("/robots.txt").await;
    assert_eq!(robots.status_code(), 200);
    let robots = robots.text();
    assert!(robots.contains("User-agent: *"));
    assert!(robots.contains("Disallow: /admin"));
    assert!(robots.contains("Sitemap: http://localhost:5150/sitemap.xml"));

    let res = client.get("/sitemap.xml").await;
    assert_eq!(res.status_code(), 200);
    assert!(
        queries(&res) <= 2,
        "a count and one page: {}",
        queries(&res)
    );
    let xml = res.text();
    let doc = roxmltree::Document::parse(&xml).expect("well-formed");
    assert!(doc.root_element().has_tag_name((SITEMAP, "urlset")));
    let locs: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name((SITEMAP, "loc")))
        .filter_map(|n| n.text().map(str::to_string))
        .collect();
    assert!(locs.contains(&format!("http://localhost:5150{}", kept.url())));
    assert!(!locs
        .iter()
        .any(|l| l.contains(&format!("/questions/{}/", gone.id))));
    let lastmods = doc
        .descendants()
        .filter(|n| n.has_tag_name((SITEMAP, "lastmod")))
        .count();
    assert_eq!(lastmods, 1, "every question has its lastmod");
    assert_eq!(
        client.get("/sitemaps/questions-2.xml").await.status_code(),
        404
    );
    assert_eq!(client.get("/sitemaps/other.xml").await.status_code(), 404);
}

#[tokio::test]
async fn pages_carry_canonical_links_cards_and_noindex_where_private() {
    let app = TestApp::new().await;
    let asker = app.create_user("asker").await;
    let q = app
        .question(&asker, "What does a search engine file this under?", "seo")
        .await;
    let client = app.client();
    let page = client
        .get(&format!("{}?answers=votes", q.url()))
        .await
        .text();
    assert_eq!(
        attr(&page, "link[rel=canonical]", "href"),
        Some(format!("http://localhost:5150{}", q.url()))
    );
    assert_eq!(
        attr(&page, "meta[property='og:title']", "content").as_deref(),
        Some("What does a search engine file this under?")
    );
    assert_eq!(
        attr(&page, "meta[property='og:type']", "content").as_deref(),
        Some("article")
    );
    assert!(attr(&page, "meta[name='twitter:card']", "content").is_some());
    assert!(
        attr(&page, "meta[name=robots]", "content").is_none(),
        "public pages are indexed"
    );

    let list = client.get("/questions?sort=votes&page=2").await.text();
    assert_eq!(
        attr(&list, "link[rel=canonical]", "href").as_deref(),
        Some("http://localhost:5150/questions?sort=votes&page=2")
    );
    for private in [
        "/login",
        "/register",
        "/questions?q=search",
        &format!("/questions/{}/revisions", q.id),
    ] {
        let html = client.get(private).await.text();
        assert_eq!(
            attr(&html, "meta[name=robots]", "content").as_deref(),
            Some("noindex"),
            "{private} is not for search engines"
        );
    }
    let (_, member) = app.login_as("member").await;
    let settings = member.get("/settings/profile").await.text();
    assert_eq!(
        attr(&settings, "meta[name=robots]", "content").as_deref(),
        Some("noindex")
    );
}

/// The JSON-LD of a page (the text of its one `application/ld+json` script).
fn json_ld(html: &str) -> serde_json::Value {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(r#"script[type="application/ld+json"]"#).unwrap();
    let scripts: Vec<String> = doc.select(&sel).map(|s| s.inner_html()).collect();
    assert_eq!(scripts.len(), 1, "one JSON-LD block");
    serde_json::from_str(&scripts[0]).expect("JSON-LD parses")
}

/// What Google's QAPage guidelines require of an answer.
fn check_answer(a: &serde_json::Value) {
    assert_eq!(a["@type"], "Answer");
    assert!(a["text"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(a["upvoteCount"].is_i64());
    assert!(a["url"]
        .as_str()
        .unwrap()
        .starts_with("http://localhost:5150/questions/"));
    assert!(chrono::DateTime::parse_from_rfc3339(a["dateCreated"].as_str().unwrap()).is_ok());
    assert_eq!(a["author"]["@type"], "Person");
}

#[tokio::test]
async fn question_pages_describe_themselves_as_qa_pages() {
    let app = TestApp::new().await;
    let (asker, owner) = app.login_as("asker").await;
    let q = app
        .question(&asker, "How do I close a </script> tag in JSON?", "seo")
        .await;
    let helper = app.create_user("helper").await;
    let other = app.create_user("other").await;
    let good = app
        .answer(&helper, &q, "Escape it: </script><!-- & friends")
        .await;
    app.answer(&other, &q, "Another idea").await;
    owner.get(&q.url()).await;
    owner
        .post(&format!("/answers/{}/accept", good.id), &[])
        .await;

    let page = app.client().get(&q.url()).await.text();
    assert!(
        !page.contains("</script><!--"),
        "the answer's text cannot end the script element"
    );
    let ld = json_ld(&page);
    assert_eq!(ld["@context"], "https://schema.org");
    assert_eq!(ld["@type"], "QAPage");
    let question = &ld["mainEntity"];
    assert_eq!(question["@type"], "Question");
    assert_eq!(question["name"], "How do I close a </script> tag in JSON?");
    assert_eq!(question["answerCount"], 2);
    assert!(question["text"]
        .as_str()
        .unwrap()
        .starts_with("How do I close"));
    assert_eq!(question["author"]["name"], "asker");
    let accepted = &question["acceptedAnswer"];
    check_answer(accepted);
    assert!(accepted["text"]
        .as_str()
        .unwrap()
        .starts_with("Escape it: </script><!-- & friends"));
    assert_eq!(
        accepted["url"],
        format!("http://localhost:5150{}#answer-{}", q.url(), good.id)
    );
    let suggested = question["suggestedAnswer"].as_array().unwrap();
    assert_eq!(suggested.len(), 1);
    check_answer(&suggested[0]);

    // a deleted question is no longer described to search engines
    soft_delete(&app, q.id).await;
    let moderator = app.create_user_with_role("moderator", "moderator").await;
    let page = app.login_existing(&moderator).await.get(&q.url()).await;
    assert_eq!(page.status_code(), 200, "moderators still see it");
    assert!(!page.text().contains("application/ld+json"));
}

/// The `<loc>`s of a sitemap document, and its root element's name.
fn locs(xml: &str) -> (String, Vec<String>) {
    let doc = roxmltree::Document::parse(xml).expect("well-formed");
    let root = doc.root_element().tag_name().name().to_string();
    let locs = doc
        .descendants()
        .filter(|n| n.has_tag_name((SITEMAP, "loc")))
        .filter_map(|n| n.text().map(str::to_string))
        .collect();
    (root, locs)
}

#[tokio::test]
async fn a_hundred_thousand_questions_make_a_sitemap_index_in_constant_queries() {
    let app = TestApp::new().await;
    let asker = app.create_user("asker").await;
    let seed = app
        .question(
            &asker,
            "The question copied a hundred thousand times",
            "seo",
        )
        .await;
    // copies of the first question, straight in SQL (both databases)
    app.ctx
        .db
        .execute_unprepared(&format!(
            "INSERT INTO questions (created_at, updated_at, title, slug, body, body_html, excerpt, \
             score, up_count, down_count, answer_count, last_activity_at, user_id) \
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000) \
             SELECT q.created_at, q.updated_at, q.title, q.slug, q.body, q.body_html, q.excerpt, \
             0, 0, 0, 0, q.last_activity_at, q.user_id FROM n, questions q WHERE q.id = {}",
            seed.id
        ))
        .await
        .unwrap();
    soft_delete(&app, 60_000).await;
    let client = app.client();
    let res = client.get("/sitemap.xml").await;
    assert_eq!(res.status_code(), 200);
    assert_eq!(queries(&res), 1, "the index is one query");
    let (root, files) = locs(&res.text());
    assert_eq!(root, "sitemapindex");
    assert_eq!(
        files,
        (1..=3)
            .map(|n| format!("http://localhost:5150/sitemaps/questions-{n}.xml"))
            .collect::<Vec<_>>()
    );
    assert_eq!(
        roxmltree::Document::parse(&res.text())
            .unwrap()
            .descendants()
            .filter(|n| n.has_tag_name((SITEMAP, "lastmod")))
            .count(),
        3,
        "each file has its lastmod"
    );
    let mut questions = 0;
    for (n, file) in files.iter().enumerate() {
        let res = client
            .get(file.trim_start_matches("http://localhost:5150"))
            .await;
        assert_eq!(res.status_code(), 200);
        assert_eq!(queries(&res), 1, "file {} is one query", n + 1);
        assert!(res
            .headers()
            .get("content-type")
            .is_some_and(|v| v.to_str().unwrap().starts_with("application/xml")));
        let (root, urls) = locs(&res.text());
        assert_eq!(root, "urlset");
        assert!(urls.len() <= 50_000, "file {}: {} URLs", n + 1, urls.len());
        assert!(!urls.iter().any(|u| u.contains("/questions/60000/")));
        questions += urls.iter().filter(|u| u.contains("/questions/")).count();
    }
    assert_eq!(
        questions, 100_000,
        "every public question once, the deleted one not"
    );
    assert_eq!(
        client.get("/sitemaps/questions-4.xml").await.status_code(),
        404
    );

    // with every question of the first file gone, the index still names it:
    // it carries the lists
    app.ctx
        .db
        .execute_unprepared("UPDATE questions SET deleted_at = created_at WHERE id <= 49990")
        .await
        .unwrap();
    let (_, files) = locs(&client.get("/sitemap.xml").await.text());
    assert_eq!(files.len(), 3);
    assert!(files[0].ends_with("/sitemaps/questions-1.xml"));
    let (_, urls) = locs(&client.get("/sitemaps/questions-1.xml").await.text());
    assert_eq!(urls.len(), 5, "the lists only: {urls:?}");
}
