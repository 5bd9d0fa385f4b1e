//! Command-line tasks.
use loco_rs::task::Vars;
use nightcoder::{app::App, models::users};
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
