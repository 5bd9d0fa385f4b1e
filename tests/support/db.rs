//! A database per test: a file in a temporary directory for SQLite, a new
//! database for PostgreSQL (dropped afterwards). Which one comes from
//! `DATABASE_URL`; an unreachable PostgreSQL fails the test loudly.
use sea_orm::{ConnectionTrait, Database};

pub struct TestDb {
    url: String,
    kind: Kind,
}

enum Kind {
    Sqlite(tempfile_dir::Dir),
    Postgres {
        admin_url: String,
        name: String,
    },
    /// Another process's handle on a database some other `TestDb` owns.
    Shared,
}

mod tempfile_dir {
    /// A directory removed on drop.
    pub struct Dir(pub std::path::PathBuf);
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

fn random_suffix() -> String {
    let n: u64 = rand::random();
    format!("{n:016x}")
}

impl TestDb {
    pub async fn create() -> Self {
        let base = std::env::var("DATABASE_URL").unwrap_or_default();
        if base.starts_with("postgres://") || base.starts_with("postgresql://") {
            Self::postgres(&base).await
        } else {
            Self::sqlite()
        }
    }

    fn sqlite() -> Self {
        let dir = std::env::temp_dir().join(format!("nightcoder-test-{}", random_suffix()));
        std::fs::create_dir_all(&dir).expect("create temp dir");
        let url = format!("sqlite://{}?mode=rwc", dir.join("test.sqlite").display());
        Self {
            url,
            kind: Kind::Sqlite(tempfile_dir::Dir(dir)),
        }
    }

    async fn postgres(base: &str) -> Self {
        let mut admin = url::Url::parse(base).expect("DATABASE_URL parses");
        admin.set_path("/postgres");
        let admin_url = admin.to_string();
        let name = format!("nc_test_{}", random_suffix());
        let conn = Database::connect(&admin_url).await.unwrap_or_else(|e| {
            panic!(
                "PostgreSQL is not reachable at {admin_url}: {e}. Start it or unset DATABASE_URL."
            )
        });
        conn.execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .expect("CREATE DATABASE (the role needs CREATEDB)");
        conn.close().await.ok();
        let mut url = url::Url::parse(base).expect("DATABASE_URL parses");
        url.set_path(&format!("/{name}"));
        Self {
            url: url.to_string(),
            kind: Kind::Postgres { admin_url, name },
        }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn is_postgres(&self) -> bool {
        self.url.starts_with("postgres")
    }

    /// The same database for a second app process; the owner cleans up.
    pub fn shared(&self) -> Self {
        Self {
            url: self.url.clone(),
            kind: Kind::Shared,
        }
    }
}

/// The migrated template database of this test run, made once per process.
async fn template(base: &str, admin_url: &str) -> &'static str {
    static TEMPLATE: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    TEMPLATE
        .get_or_init(|| async {
            let name = format!("nc_tpl_{}", random_suffix());
            let conn = Database::connect(admin_url).await.unwrap_or_else(|e| {
                panic!("PostgreSQL is not reachable at {admin_url}: {e}. Start it or unset DATABASE_URL.")
            });
            conn.execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("CREATE DATABASE (the role needs CREATEDB)");
            let mut url = url::Url::parse(base).expect("DATABASE_URL parses");
            url.set_path(&format!("/{name}"));
            let db = Database::connect(url.as_str()).await.expect("connect to the template");
            <migration::Migrator as sea_orm_migration::MigratorTrait>::up(&db, None)
                .await
                .expect("migrations run");
            db.close().await.ok();
            conn.close().await.ok();
            // dropped when the process exits (see `drop_template`)
            TEMPLATE_NAME.set((admin_url.to_string(), name.clone())).ok();
            name
        })
        .await
}

static TEMPLATE_NAME: std::sync::OnceLock<(String, String)> = std::sync::OnceLock::new();

/// Drops this run's template database when the test binary exits.
#[ctor::dtor]
fn drop_template() {
    if let Some((admin_url, name)) = TEMPLATE_NAME.get() {
        drop_database(admin_url.clone(), name.clone());
    }
}

fn drop_database(admin_url: String, name: String) {
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async {
            if let Ok(conn) = Database::connect(&admin_url).await {
                let _ = conn
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await;
                let _ = conn.close().await;
            }
        });
    })
    .join()
    .ok();
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Kind::Postgres { admin_url, name } = &self.kind {
            let (admin_url, name) = (admin_url.clone(), name.clone());
            // Drop runs outside async: a dedicated thread with its own runtime.
            // FORCE ends the app pool's connections, which may still be open.
            std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                rt.block_on(async {
                    if let Ok(conn) = Database::connect(&admin_url).await {
                        let _ = conn
                            .execute_unprepared(&format!(
                                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                            ))
                            .await;
                        let _ = conn.close().await;
                    }
                });
            })
            .join()
            .ok();
        }
    }
}
