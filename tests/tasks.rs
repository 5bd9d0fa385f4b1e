//! Command-line tasks.
use loco_rs::task::Vars;
use nightcoder::{app::App, users};
use sea_orm::{EntityTrait, PaginatorTrait};

use crate::support::TestApp;

async fn run(app: &TestApp, name: &str, args: &[(&str, &str)]) -> loco_rs::Result<()> {
    let vars = Vars::from_cli_args(
        args.iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect(),
    );
    loco_rs::boot::run_task::<App>(&app.ctx, Some(&name.to_string()), &vars).await
}

#[tokio::test]
async fn user_admin_promotes_an_existing_user() {
    let app = TestApp::new().await;
    let user = app.create_user("alice").await;
    run(&app, "user:admin", &[("username", "alice")])
        .await
        .unwrap();
    let user = users::Entity::find_by_id(user.id)
        .one(&app.ctx.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.role, "admin");
    run(
        &app,
        "user:admin",
        &[("username", "ALICE"), ("role", "moderator")],
    )
    .await
    .unwrap();
    let user = users::Entity::find_by_id(user.id)
        .one(&app.ctx.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.role, "moderator");
}

#[tokio::test]
async fn user_admin_creates_an_account_only_with_an_email() {
    let app = TestApp::new().await;
    assert!(run(&app, "user:admin", &[("username", "root_admin")])
        .await
        .is_err());
    assert_eq!(users::Entity::find().count(&app.ctx.db).await.unwrap(), 0);
    run(
        &app,
        "user:admin",
        &[("username", "root_admin"), ("email", "root@example.org")],
    )
    .await
    .unwrap();
    let user = users::Model::find_by_username(&app.ctx.db, "root_admin")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.role, "admin");
    assert!(user.password_hash.starts_with("$argon2id$"));
    assert!(
        user.email_confirmed_at.is_some(),
        "an operator's account is confirmed"
    );
    assert!(
        run(&app, "user:admin", &[("username", "x"), ("role", "king")])
            .await
            .is_err()
    );
}

#[tokio::test]
async fn no_account_exists_by_default() {
    let app = TestApp::new().await;
    assert_eq!(users::Entity::find().count(&app.ctx.db).await.unwrap(), 0);
}

#[tokio::test]
async fn reputation_verify_fails_on_drift_and_rebuild_repairs_it() {
    let app = TestApp::new().await;
    let author = app.create_user("author").await;
    let voter = app.create_user("voter").await;
    let q = app
        .question(&author, "A question for the integrity tasks", "tasks")
        .await;
    nightcoder::votes::Votes::get(&app.ctx)
        .cast(
            voter.id,
            nightcoder::votes::Target::question(q.id),
            nightcoder::votes::Direction::Up,
        )
        .await
        .unwrap();
    run(&app, "reputation:verify", &[]).await.unwrap();
    // drift: a cached total and a tally edited behind the ledger's back
    nightcoder::db::Sql::new("UPDATE users SET reputation = reputation + 7 WHERE id = ?")
        .push_bind("", [sea_orm::Value::from(author.id)])
        .execute(&app.ctx.db)
        .await
        .unwrap();
    nightcoder::db::Sql::new("UPDATE questions SET up_count = 9 WHERE id = ?")
        .push_bind("", [sea_orm::Value::from(q.id)])
        .execute(&app.ctx.db)
        .await
        .unwrap();
    assert!(run(&app, "reputation:verify", &[]).await.is_err());
    run(&app, "reputation:rebuild", &[]).await.unwrap();
    run(&app, "reputation:verify", &[]).await.unwrap();
    assert_eq!(app.reload_user(author.id).await.reputation, 6);
    assert_eq!(app.reload_question(q.id).await.up_count, 1);
    // the kept number of ledger rows alone
    assert_eq!(app.reload_user(author.id).await.ledger_rows, 1);
    nightcoder::db::Sql::new("UPDATE users SET ledger_rows = 40 WHERE id = ?")
        .push_bind("", [sea_orm::Value::from(author.id)])
        .execute(&app.ctx.db)
        .await
        .unwrap();
    assert!(run(&app, "reputation:verify", &[]).await.is_err());
    run(&app, "reputation:rebuild", &[]).await.unwrap();
    assert_eq!(app.reload_user(author.id).await.ledger_rows, 1);
}

#[tokio::test]
async fn seed_bulk_fills_an_empty_database_consistently() {
    let app = TestApp::new().await;
    run(
        &app,
        "seed:bulk",
        &[
            ("users", "30"),
            ("questions", "60"),
            ("answers", "150"),
            ("votes", "400"),
        ],
    )
    .await
    .unwrap();
    assert_eq!(users::Entity::find().count(&app.ctx.db).await.unwrap(), 30);
    app.assert_ledger_consistent().await;
    // every post has its first revision
    let revisions = nightcoder::db::entities::revisions::Entity::find()
        .count(&app.ctx.db)
        .await
        .unwrap();
    let reviews = nightcoder::reviews::Entity::find()
        .count(&app.ctx.db)
        .await
        .unwrap();
    assert_eq!(revisions, 60 + 150 + reviews);
    assert_eq!(
        app.client()
            .get("/questions/1/revisions")
            .await
            .status_code(),
        200
    );
    let client = app.client();
    for path in [
        "/",
        "/questions?q=rust",
        "/leaderboard?period=month",
        "/tags",
        "/users/user3",
    ] {
        assert_eq!(client.get(path).await.status_code(), 200, "{path}");
    }
    assert!(
        run(&app, "seed:bulk", &[("users", "3")]).await.is_err(),
        "refuses a non-empty database"
    );
}

#[tokio::test]
async fn posts_rerender_brings_stored_html_up_to_date() {
    let app = TestApp::new().await;
    let author = app.create_user("author").await;
    let bob = app.create_user("bob").await;
    let q = app
        .question(&author, "Old posts get today's rendering", "tasks")
        .await;
    let a = app.answer(&bob, &q, "Thanks @author, this works").await;
    // as an older release stored them: no highlighting, no mention link,
    // an excerpt with the old spacing
    let old_body = "```rust\nfn main() {}\n```\n\nSee `x` .";
    nightcoder::db::Sql::new(
        "UPDATE questions SET body = ?, body_html = ?, excerpt = ? WHERE id = ?",
    )
    .push_bind(
        "",
        [
            old_body.into(),
            "<pre><code class=\"language-rust\">fn main() {}</code></pre>".into(),
            "fn main() {} See x  .".into(),
            sea_orm::Value::from(q.id),
        ],
    )
    .execute(&app.ctx.db)
    .await
    .unwrap();
    nightcoder::db::Sql::new("UPDATE answers SET body_html = 'stale' WHERE id = ?")
        .push_bind("", [sea_orm::Value::from(a.id)])
        .execute(&app.ctx.db)
        .await
        .unwrap();
    let generation = || async {
        let row = nightcoder::db::Sql::new("SELECT generation FROM page_cache_generation")
            .build(app.ctx.db.get_database_backend());
        let row = sea_orm::ConnectionTrait::query_one_raw(&app.ctx.db, row)
            .await
            .unwrap()
            .unwrap();
        row.try_get_by_index::<i64>(0).unwrap()
    };
    let before = generation().await;
    run(&app, "posts:rerender", &[]).await.unwrap();
    let q = app.reload_question(q.id).await;
    assert!(
        q.body_html
            .contains(r#"<span class="hl-k">fn</span> main() {}"#),
        "{}",
        q.body_html
    );
    assert_eq!(q.excerpt, "fn main() {} See x .");
    let a = app.reload_answer(a.id).await;
    assert!(a.body_html.contains(r#"href="/users/"#), "{}", a.body_html);
    assert!(a.body_html.contains(">@author</a>"), "{}", a.body_html);
    assert!(generation().await > before, "the page caches hear of it");
    // a second run finds nothing left to do and changes nothing
    let html = q.body_html.clone();
    run(&app, "posts:rerender", &[]).await.unwrap();
    assert_eq!(app.reload_question(q.id).await.body_html, html);
}
