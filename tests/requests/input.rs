//! Bytes no form of ours sends never reach the database: a `%00` (or an
//! invalid UTF-8 sequence) in any path segment or query value of any GET
//! route is a 4xx, never a 500, on both databases.
use axum::http::Method;
use loco_rs::app::Hooks;
use nightcoder::app::App;

use crate::support::TestApp;

/// Every query parameter some page reads.
const PARAMS: &[&str] = &[
    "q", "tag", "sort", "page", "period", "status", "action", "actor", "next",
];

/// `uri` with segment `i` (a `{param}` or a fixed name) replaced by `value`.
fn with_segment(uri: &str, i: usize, value: &str) -> String {
    uri.split('/')
        .enumerate()
        .map(|(j, seg)| {
            if j == i {
                value.to_string()
            } else if seg.starts_with('{') {
                "1".to_string()
            } else {
                seg.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[tokio::test]
async fn nul_and_invalid_bytes_in_any_get_route_are_never_a_server_error() {
    let app = TestApp::new().await;
    let author = app.create_user("author").await;
    app.question(&author, "A question the walk can find", "walk")
        .await;
    app.create_user_with_role("boss", "admin").await;
    let admin = app.client();
    admin.login("boss", crate::support::PASSWORD).await;
    let anonymous = app.client();
    let routes: Vec<_> = App::routes(&app.ctx)
        .collect()
        .into_iter()
        .filter(|r| r.actions.contains(&Method::GET))
        .collect();
    assert!(routes.len() > 30, "{} GET routes", routes.len());
    let mut tried = 0;
    for route in &routes {
        let segments = route.uri.split('/').count();
        let mut paths = Vec::new();
        for i in 1..segments {
            for bad in ["%00", "a%00b", "%FF%FE"] {
                paths.push(with_segment(&route.uri, i, bad));
            }
        }
        let plain = with_segment(&route.uri, usize::MAX, "");
        for param in PARAMS {
            for bad in ["%00", "a%00b", "%C3%28"] {
                paths.push(format!("{plain}?{param}={bad}"));
            }
        }
        for path in paths {
            for client in [&anonymous, &admin] {
                let res = client.get(&path).await;
                assert!(
                    res.status_code().as_u16() < 500,
                    "{path}: {}",
                    res.status_code()
                );
                tried += 1;
            }
        }
    }
    eprintln!(
        "{tried} requests over {} GET routes, none ≥ 500",
        routes.len()
    );
    // the walk did not break anything either
    assert_eq!(admin.get("/questions").await.status_code(), 200);
}
