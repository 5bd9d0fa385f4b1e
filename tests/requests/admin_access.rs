//! Who may open what under `/admin`. The matrix is built from the router's
//! own route list, so a new admin route is checked the day it is added.
use axum::http::Method;
use loco_rs::app::Hooks;
use nightcoder::{admin::ADMIN_ONLY, app::App};

use crate::support::{client::location, html::count, Client, TestApp};

/// Ids that make every admin route do real work.
struct Targets {
    user: i64,
    question: i64,
    answer: i64,
    review: i64,
    flag: i64,
}

impl Targets {
    fn path(&self, uri: &str) -> String {
        let id = if uri.starts_with("/admin/users/") {
            self.user
        } else if uri.starts_with("/admin/questions/") {
            self.question
        } else if uri.starts_with("/admin/answers/") {
            self.answer
        } else if uri.starts_with("/admin/reviews/") {
            self.review
        } else if uri.starts_with("/admin/flags/") {
            self.flag
        } else {
            assert!(
                !uri.contains('{'),
                "the matrix does not know {uri}: add it to Targets"
            );
            0
        };
        uri.replace("{id}", &id.to_string())
    }
}

/// A valid form for each action (forms refuse unknown fields, so a route the
/// matrix does not know fails loudly instead of passing by accident).
fn fields(uri: &str) -> Vec<(&'static str, String)> {
    let fields: Vec<(&str, &str)> = match uri.rsplit('/').next().unwrap_or_default() {
        "suspend" => return vec![("until", in_days(30)), ("reason", "matrix".into())],
        "role" => vec![("role", "user"), ("reason", "matrix")],
        "reputation" => vec![("delta", "5"), ("reason", "matrix")],
        "resolve" => vec![("outcome", "declined"), ("followup", "none"), ("note", "")],
        _ => vec![("reason", "matrix")],
    };
    fields
        .into_iter()
        .map(|(k, v)| (k, v.to_string()))
        .collect()
}

/// A date `days` from today, as the date input sends it.
pub fn in_days(days: i64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(days)).to_string()
}

async fn call(client: &Client, method: &Method, path: &str, uri: &str) -> axum_test::TestResponse {
    if *method == Method::GET {
        client.get(path).await
    } else {
        let fields = fields(uri);
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        client.post(path, &fields).await
    }
}

#[tokio::test]
async fn every_admin_route_is_closed_to_anonymous_users_and_members() {
    let app = TestApp::new().await;
    let target = app.create_user("target").await;
    let author = app.create_user("author").await;
    let flagger = app.create_user("flagger").await;
    app.grant(&flagger, 20).await;
    let q = app
        .question(&author, "A question for the access matrix", "matrix")
        .await;
    let a = app
        .answer(&author, &q, "an answer for the access matrix")
        .await;
    let r = app
        .review(&author, "Matrix course", "A review for the matrix", 4)
        .await;
    let flagging = app.login_existing(&flagger).await;
    assert_eq!(
        flagging
            .post(
                &format!("/questions/{}/flag", q.id),
                &[("reason", "spam"), ("note", "")]
            )
            .await
            .status_code(),
        303
    );
    let flag = nightcoder::admin::flags::by_user(&app.ctx.db, flagger.id, 1)
        .await
        .unwrap()[0]
        .id;
    let targets = Targets {
        user: target.id,
        question: q.id,
        answer: a.id,
        review: r.id,
        flag,
    };

    app.create_user_with_role("mod", "moderator").await;
    app.create_user_with_role("boss", "admin").await;
    let anonymous = app.client();
    let (_, member) = app.login_as("member").await;
    let moderator = app.client();
    moderator.login("mod", crate::support::PASSWORD).await;
    let admin = app.client();
    admin.login("boss", crate::support::PASSWORD).await;

    let routes: Vec<_> = App::routes(&app.ctx)
        .collect()
        .into_iter()
        .filter(|r| r.uri.starts_with("/admin"))
        .collect();
    assert!(
        routes.len() >= 20,
        "the admin routes are listed: {}",
        routes.len()
    );
    for known in ADMIN_ONLY {
        assert!(
            routes.iter().any(|r| r.uri == *known),
            "ADMIN_ONLY names a route that does not exist: {known}"
        );
    }
    let mut checked = 0;
    for route in &routes {
        let path = targets.path(&route.uri);
        for method in &route.actions {
            assert!(
                *method == Method::GET || *method == Method::POST,
                "{method} {}",
                route.uri
            );
            let res = call(&anonymous, method, &path, &route.uri).await;
            assert_eq!(res.status_code(), 303, "anonymous {method} {path}");
            assert!(
                location(&res).starts_with("/login"),
                "anonymous {method} {path} → {}",
                location(&res)
            );

            let res = call(&member, method, &path, &route.uri).await;
            assert_eq!(res.status_code(), 403, "member {method} {path}");
            assert!(
                res.text().contains("Access denied"),
                "a 403 page, not a bare status"
            );

            let admin_only = ADMIN_ONLY.contains(&route.uri.as_str());
            let res = call(&moderator, method, &path, &route.uri).await;
            if admin_only {
                assert_eq!(res.status_code(), 403, "moderator {method} {path}");
            } else {
                assert!(
                    matches!(res.status_code().as_u16(), 200 | 303),
                    "moderator {method} {path}: {}",
                    res.status_code()
                );
            }
            let res = call(&admin, method, &path, &route.uri).await;
            assert!(
                matches!(res.status_code().as_u16(), 200 | 303),
                "admin {method} {path}: {}",
                res.status_code()
            );
            if res.status_code() == 200 {
                // usable on a phone: wide tables scroll inside their own box
                let html = res.text();
                assert_eq!(
                    count(&html, "table"),
                    count(&html, ".table-responsive > table"),
                    "{path}"
                );
                assert_eq!(
                    count(&html, "html[data-bs-theme=dark]"),
                    1,
                    "{path} keeps the dark theme"
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 20);
    // after all of that the ledger still adds up
    app.assert_ledger_consistent().await;
}

#[tokio::test]
async fn the_admin_link_shows_only_for_staff_and_the_403_page_is_translated() {
    let app = TestApp::new().await;
    let (_, member) = app.login_as("member").await;
    assert!(!member.get("/").await.text().contains("href=\"/admin\""));
    member.set_cookie("lang", "ru");
    let res = member.get("/admin").await;
    assert_eq!(res.status_code(), 403);
    assert!(res.text().contains("Доступ запрещён"));

    app.create_user_with_role("mod", "moderator").await;
    let moderator = app.client();
    moderator.login("mod", crate::support::PASSWORD).await;
    assert!(moderator.get("/").await.text().contains("href=\"/admin\""));
}
