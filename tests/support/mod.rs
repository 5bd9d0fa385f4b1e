//! Test harness: one fresh database per test, the real app booted on it,
//! and clients that keep cookies and know their CSRF token.
#![allow(dead_code)]

pub mod client;
pub mod db;
pub mod forum;
pub mod html;
pub mod proxy;

use std::net::SocketAddr;

use axum::Router;
use axum_test::{TestServer, TestServerConfig, Transport};
use loco_rs::{
    app::{AppContext, Hooks},
    boot::StartMode,
    environment::Environment,
};
use nightcoder::{app::App, users};
use sea_orm::{ActiveModelTrait, ActiveValue::Set};

pub use client::Client;

/// Password of every account the harness creates.
pub const PASSWORD: &str = "correct horse battery staple";

/// A booted app on its own database.
pub struct TestApp {
    pub ctx: AppContext,
    pub router: Router,
    db: db::TestDb,
}

impl TestApp {
    /// Boots the app on a new, migrated, empty database.
    pub async fn new() -> Self {
        Self::with_settings(|_| {}).await
    }

    /// Like [`Self::new`], with the `settings:` block of config/test.yaml
    /// changed by `change` first (limits a test proves, say).
    pub async fn with_settings(change: impl FnOnce(&mut serde_json::Value)) -> Self {
        Self::boot(change, None).await
    }

    /// Like [`Self::new`] on PostgreSQL, reaching the database through
    /// `proxy` (outage tests cut it).
    pub async fn through(proxy: &proxy::Proxy) -> Self {
        Self::boot(|_| {}, Some(proxy.addr)).await
    }

    /// A second app process on this app's database, booted with the same
    /// settings change (an app behind a load balancer has several).
    pub async fn another_process(&self, change: impl FnOnce(&mut serde_json::Value)) -> TestApp {
        let mut config = App::load_config(&Environment::Test)
            .await
            .expect("config/test.yaml loads");
        config.database.uri = self.db.url().to_string();
        change(config.settings.get_or_insert_with(|| serde_json::json!({})));
        let boot = App::boot(StartMode::ServerOnly, &Environment::Test, config)
            .await
            .expect("the second process boots");
        TestApp {
            ctx: boot.app_context.clone(),
            router: boot.router.expect("server mode has a router"),
            db: self.db.shared(),
        }
    }

    async fn boot(
        change: impl FnOnce(&mut serde_json::Value),
        through: Option<std::net::SocketAddr>,
    ) -> Self {
        // errors (and RUST_LOG, if set) reach the test output: a failing test
        // shows why a request answered 500
        let _ = tracing_subscriber::fmt()
            .with_env_filter(
                tracing_subscriber::EnvFilter::try_from_default_env()
                    .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("error")),
            )
            .with_test_writer()
            .try_init();
        let db = db::TestDb::create().await;
        let mut config = App::load_config(&Environment::Test)
            .await
            .expect("config/test.yaml loads");
        config.database.uri = db.url().to_string();
        if let Some(addr) = through {
            let mut url = url::Url::parse(db.url()).expect("a database URL");
            url.set_host(Some(&addr.ip().to_string())).unwrap();
            url.set_port(Some(addr.port())).unwrap();
            config.database.uri = url.to_string();
            // as in production: a lost link shows within seconds
            config.database.acquire_timeout = Some(2_000);
            config.database.connect_timeout = 2_000;
        }
        change(config.settings.get_or_insert_with(|| serde_json::json!({})));
        let boot = App::boot(StartMode::ServerOnly, &Environment::Test, config)
            .await
            .expect("the app boots");
        Self {
            ctx: boot.app_context.clone(),
            router: boot.router.expect("server mode has a router"),
            db,
        }
    }

    fn server(&self, transport: Transport) -> TestServer {
        let config = TestServerConfig {
            save_cookies: false,
            default_content_type: None,
            transport: Some(transport),
            ..Default::default()
        };
        let server = match transport {
            // in-process: the router itself (ConnectInfo needs a real socket)
            Transport::MockHttp => TestServer::new_with_config(self.router.clone(), config),
            _ => TestServer::new_with_config(
                self.router
                    .clone()
                    .into_make_service_with_connect_info::<SocketAddr>(),
                config,
            ),
        };
        server.expect("test server starts")
    }

    /// An anonymous browser (in-process transport).
    pub fn client(&self) -> Client {
        Client::new(self.server(Transport::MockHttp))
    }

    /// An anonymous browser talking real HTTP to a server on a random port.
    pub fn http_client(&self) -> Client {
        Client::new(self.server(Transport::HttpRandomPort))
    }

    /// Creates a user straight in the database (role `user`, reputation 1).
    pub async fn create_user(&self, name: &str) -> users::Model {
        let hash = nightcoder::passwords::hash(PASSWORD).await.expect("hash");
        let now = chrono::Utc::now().fixed_offset();
        let user = users::ActiveModel {
            username: Set(name.to_string()),
            email: Set(format!("{}@example.org", name.to_lowercase())),
            password_hash: Set(hash),
            role: Set("user".to_string()),
            reputation: Set(1),
            bio: Set(String::new()),
            session_version: Set(0),
            email_confirmed_at: Set(Some(now)),
            // as in `register`: not left to the defaults
            ledger_rows: Set(0),
            question_count: Set(0),
            answer_count: Set(0),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&self.ctx.db)
        .await
        .expect("insert user");
        nightcoder::counters::add(&self.ctx.db, nightcoder::counters::USERS, 1)
            .await
            .unwrap();
        user
    }

    /// Creates a user with `role`.
    pub async fn create_user_with_role(&self, name: &str, role: &str) -> users::Model {
        let user = self.create_user(name).await;
        let mut active: users::ActiveModel = user.into();
        active.role = Set(role.to_string());
        active.update(&self.ctx.db).await.expect("set role")
    }

    /// A browser logged in as a new user `name`.
    pub async fn login_as(&self, name: &str) -> (users::Model, Client) {
        let user = self.create_user(name).await;
        let client = self.client();
        client.login(name, PASSWORD).await;
        (user, client)
    }

    /// A browser logged in as an existing user.
    pub async fn login_existing(&self, user: &users::Model) -> Client {
        let client = self.client();
        client.login(&user.username, PASSWORD).await;
        client
    }

    /// The URL of this test's own database.
    pub fn database_url(&self) -> &str {
        self.db.url()
    }

    pub fn is_postgres(&self) -> bool {
        self.db.is_postgres()
    }
}

impl TestApp {
    /// Runs every queued job (mails), as the server's worker would.
    pub async fn run_jobs(&self) -> usize {
        nightcoder::workers::run_pending(&self.ctx, "test-worker")
            .await
            .expect("jobs run")
    }

    /// Every mail the stub transport took, as raw messages.
    pub fn mails(&self) -> Vec<String> {
        nightcoder::mail::Transport::get(&self.ctx).sent()
    }

    /// `reputation:verify`: every cached total matches the ledger and every
    /// tally its votes.
    pub async fn assert_ledger_consistent(&self) {
        let (users, posts) = nightcoder::votes::ledger::verify(&self.ctx.db)
            .await
            .expect("verify runs");
        assert!(
            users.is_empty(),
            "cached reputation differs from the ledger: {users:?}"
        );
        assert!(posts.is_empty(), "tallies differ from votes: {posts:?}");
    }

    /// Gives `user` reputation through the ledger (a moderator adjustment).
    pub async fn grant(&self, user: &nightcoder::users::Model, points: i64) {
        use nightcoder::votes::{repository::VoteRepository, Votes};
        let votes = Votes::get(&self.ctx);
        let mut tx = votes.repo().begin().await.unwrap();
        votes
            .adjust(
                &mut tx,
                user.id,
                points,
                "test setup",
                user.id,
                chrono::Utc::now().date_naive(),
            )
            .await
            .unwrap();
        nightcoder::votes::repository::VoteTx::commit(tx)
            .await
            .unwrap();
    }
}
