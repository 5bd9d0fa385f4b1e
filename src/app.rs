//! The loco application: boot, routes, middleware, tasks.
use std::{path::Path, sync::Arc};

use async_trait::async_trait;
use axum::Router as AxumRouter;
use loco_rs::{
    app::{AppContext, Hooks, Initializer},
    bgworker::Queue,
    boot::{create_app, BootResult, StartMode},
    config::Config,
    controller::{middleware::MiddlewareLayer, AppRoutes},
    environment::Environment,
    storage::{self, Storage},
    task::Tasks,
    Result,
};
use migration::Migrator;
use sea_orm::{ConnectionTrait, DbBackend};

use crate::{
    admin, forum,
    initializers::view_engine::{self, ViewEngineInitializer},
    notifications, reviews,
    settings::Settings,
    tasks, users,
    votes::{self, ReputationRules, SqlVoteRepository, Votes},
    web,
};

pub struct App;

#[async_trait]
impl Hooks for App {
    fn app_name() -> &'static str {
        env!("CARGO_CRATE_NAME")
    }

    fn app_version() -> String {
        env!("CARGO_PKG_VERSION").to_string()
    }

    /// loco's serving, with one line that says where the forum listens (and,
    /// in development, how to log in) instead of the banner.
    async fn serve(
        app: AxumRouter,
        ctx: &AppContext,
        params: &loco_rs::boot::ServeParams,
    ) -> Result<()> {
        let listener =
            tokio::net::TcpListener::bind(format!("{}:{}", params.binding, params.port)).await?;
        let shown = if params.binding == "0.0.0.0" {
            "localhost"
        } else {
            params.binding.as_str()
        };
        let url = format!("http://{shown}:{}", params.port);
        if ctx.environment == Environment::Development && Settings::get(ctx).demo_seed {
            tracing::info!(
                "NightCoder is listening on {url} — demo accounts admin, moderator, alice, boris, \
                 carol; password {}",
                tasks::demo::DEMO_PASSWORD
            );
        } else {
            tracing::info!(%url, "NightCoder is listening");
        }
        let on_stop = ctx.clone();
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            loco_rs::boot::shutdown_signal().await;
            tracing::info!("shutting down");
            Self::on_shutdown(&on_stop).await;
        })
        .await?;
        Ok(())
    }

    async fn boot(
        mode: StartMode,
        environment: &Environment,
        config: Config,
    ) -> Result<BootResult> {
        create_app::<Self, Migrator>(mode, environment, config).await
    }

    async fn after_context(ctx: AppContext) -> Result<AppContext> {
        let mut ctx = ctx;
        // before anything records a metric
        web::metrics::handle();
        ctx.db = crate::db::pool::connect(&ctx.config.database).await?;
        let settings = Settings::from_context(&ctx)?;
        if ctx.environment == Environment::Test {
            ctx.storage = Arc::new(Storage::single(storage::drivers::mem::new()));
        } else {
            std::fs::create_dir_all(&settings.uploads_dir)?;
            ctx.storage = Arc::new(Storage::single(storage::drivers::local::new_with_prefix(
                &settings.uploads_dir,
            )?));
        }
        ctx.db
            .set_metric_callback(|info| crate::db::statements::record(info.statement));
        let votes = Votes::new(
            SqlVoteRepository::new(ctx.db.clone()),
            ReputationRules::new(settings.reputation.clone()),
        );
        ctx.shared_store.insert(Arc::new(votes));
        // a few hundred bytes per question page shown in the last minute
        ctx.shared_store
            .insert(forum::questions::RelatedCache::new(4096));
        // 8 KB per search ranked since the last change to a question's text
        ctx.shared_store
            .insert(forum::questions::KeptRankings::new(2 << 20));
        ctx.shared_store.insert(
            crate::mail::Transport::from_config(ctx.config.mailer.as_ref())
                .map_err(|e| loco_rs::Error::Message(format!("mailer: {e}")))?,
        );
        crate::web::page::set_site_url(&settings.public_url);
        ctx.shared_store.insert(Arc::new(settings));
        // the block as one string: the context is cloned several times per
        // request (axum clones each handler's service with its state), and
        // the JSON tree's deep copies were 8 % of a vote's CPU in a flame
        // graph; loco's `start` runs this hook twice, so it stays readable
        crate::settings::compact(&mut ctx.config.settings);
        ctx.shared_store.insert(view_engine::build()?);
        crate::passwords::warm_up();
        Ok(ctx)
    }

    async fn initializers(_ctx: &AppContext) -> Result<Vec<Box<dyn Initializer>>> {
        Ok(vec![Box::new(ViewEngineInitializer)])
    }

    fn middlewares(ctx: &AppContext) -> Vec<Box<dyn MiddlewareLayer>> {
        web::middleware::stack(ctx)
    }

    async fn before_routes(_ctx: &AppContext) -> Result<AxumRouter<AppContext>> {
        // set first so every layer (session, user, error pages) wraps it
        Ok(AxumRouter::new().fallback(web::error_pages::not_found))
    }

    async fn after_routes(router: AxumRouter, ctx: &AppContext) -> Result<AxumRouter> {
        Ok(web::middleware::outermost(router, ctx))
    }

    fn routes(_ctx: &AppContext) -> AppRoutes {
        AppRoutes::with_default_routes()
            .add_route(forum::routes())
            .add_route(users::routes())
            .add_route(votes::routes())
            .add_route(reviews::routes())
            .add_route(admin::routes())
            .add_route(notifications::routes())
            .add_route(web::metrics::routes())
    }

    async fn before_run(ctx: &AppContext) -> Result<()> {
        // after the migrations: the keys live in the database
        ctx.shared_store
            .insert(crate::keys::Keys::load(&ctx.db).await?);
        if ctx.environment == Environment::Development && Settings::get(ctx).demo_seed {
            tasks::demo::seed_if_empty(ctx).await?;
        }
        let jobs = &Settings::get(ctx).jobs;
        if jobs.worker {
            // tests run both by hand: a chore writing at boot would race
            // the test's own first requests on SQLite
            crate::housekeeping::spawn(ctx.clone());
            crate::workers::spawn(
                ctx.clone(),
                std::time::Duration::from_millis(jobs.poll_ms.max(50)),
            );
        }
        Ok(())
    }

    async fn connect_workers(_ctx: &AppContext, _queue: &Queue) -> Result<()> {
        Ok(())
    }

    fn register_tasks(tasks: &mut Tasks) {
        tasks::register(tasks);
    }

    async fn truncate(ctx: &AppContext) -> Result<()> {
        truncate_all(&ctx.db).await
    }

    async fn seed(ctx: &AppContext, _base: &Path) -> Result<()> {
        tasks::demo::seed_if_empty(ctx).await
    }
}

/// Every table the app owns, children before parents.
pub const TABLES: &[&str] = &[
    "audit_logs",
    "flags",
    "reputation_daily",
    "reputation_events",
    "votes",
    "reviews",
    "courses",
    "question_tags",
    "tags",
    "answers",
    "questions",
    "account_tokens",
    "jobs",
    "rate_limits",
    "sessions",
    "users",
];

/// Empties every table (tests, `cargo loco db truncate`).
///
/// # Errors
/// On database errors.
pub async fn truncate_all(db: &sea_orm::DatabaseConnection) -> Result<()> {
    match db.get_database_backend() {
        DbBackend::Postgres => {
            db.execute_unprepared(&format!(
                "TRUNCATE {} RESTART IDENTITY CASCADE",
                TABLES.join(", ")
            ))
            .await?;
        }
        _ => {
            // the audit log refuses deletions (TRUNCATE on PostgreSQL skips
            // row triggers); lift that for the reset only
            db.execute_unprepared("DROP TRIGGER IF EXISTS audit_logs_no_delete")
                .await?;
            for table in TABLES {
                db.execute_unprepared(&format!("DELETE FROM {table}"))
                    .await?;
            }
            db.execute_unprepared(migration::SQLITE_AUDIT_NO_DELETE)
                .await?;
        }
    }
    Ok(())
}
