//! `sessions:purge` — deletes expired session rows.
use loco_rs::{
    app::AppContext,
    task::{Task, TaskInfo, Vars},
    Error, Result,
};
use tower_sessions::session_store::ExpiredDeletion;

use crate::web::session_store::DbSessionStore;

pub struct Purge;

#[async_trait::async_trait]
impl Task for Purge {
    fn task(&self) -> TaskInfo {
        TaskInfo {
            name: "sessions:purge".to_string(),
            detail: "delete expired sessions (also done now and then at session creation)"
                .to_string(),
        }
    }

    async fn run(&self, ctx: &AppContext, _vars: &Vars) -> Result<()> {
        DbSessionStore::new(ctx.db.clone())
            .delete_expired()
            .await
            .map_err(|e| Error::Message(e.to_string()))
    }
}
