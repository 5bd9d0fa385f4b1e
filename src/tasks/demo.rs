//! The small demo data set offered by the development start: a few accounts
//! (password `nightcoder-demo` for all) so a newcomer can log in at once.
//! It is loaded only in development, and only into an empty database.
use chrono::Utc;
use loco_rs::{
    app::AppContext,
    environment::Environment,
    task::{Task, TaskInfo, Vars},
    Error, Result,
};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, PaginatorTrait};

use crate::models::users::{self, Role};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "nightcoder-demo";

const ACCOUNTS: &[(&str, Role, &str)] = &[
    (
        "admin",
        Role::Admin,
        "Runs the place. Ask me about moderation.",
    ),
    (
        "moderator",
        Role::Moderator,
        "Keeps the questions on topic.",
    ),
    ("alice", Role::User, "Rust and databases. Night owl."),
    ("boris", Role::User, "Пишу на Go и Rust, люблю PostgreSQL."),
    ("carol", Role::User, "Frontend by day, compilers by night."),
];

/// Seeds the demo accounts when the database has no users.
///
/// # Errors
/// On database errors, or when called outside development.
pub async fn seed_if_empty(ctx: &AppContext) -> Result<()> {
    if ctx.environment == Environment::Production {
        return Err(Error::Message(
            "demo data is never loaded in production".into(),
        ));
    }
    if users::Entity::find().count(&ctx.db).await? > 0 {
        return Ok(());
    }
    let hash = crate::passwords::hash(DEMO_PASSWORD).await?;
    let now = Utc::now().fixed_offset();
    for (name, role, bio) in ACCOUNTS {
        users::ActiveModel {
            username: Set((*name).to_string()),
            email: Set(format!("{name}@demo.nightcoder.local")),
            password_hash: Set(hash.clone()),
            role: Set(role.as_str().to_string()),
            reputation: Set(1),
            bio: Set((*bio).to_string()),
            session_version: Set(0),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&ctx.db)
        .await?;
    }
    tracing::info!(
        accounts = ACCOUNTS.len(),
        password = DEMO_PASSWORD,
        "demo data loaded (development only)"
    );
    Ok(())
}

pub struct SeedDemo;

#[async_trait::async_trait]
impl Task for SeedDemo {
    fn task(&self) -> TaskInfo {
        TaskInfo {
            name: "seed:demo".to_string(),
            detail: "load the small demo data set into an empty database (not in production)"
                .to_string(),
        }
    }

    async fn run(&self, ctx: &AppContext, _vars: &Vars) -> Result<()> {
        seed_if_empty(ctx).await
    }
}
