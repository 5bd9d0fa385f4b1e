//! `sessions:purge` — deletes expired session rows and lifts suspensions
//! that ran out (the server also does both hourly).
use loco_rs::{
    app::AppContext,
    task::{Task, TaskInfo, Vars},
    Result,
};

pub struct Purge;

#[async_trait::async_trait]
impl Task for Purge {
    fn task(&self) -> TaskInfo {
        TaskInfo {
            name: "sessions:purge".to_string(),
            detail:
                "delete expired sessions and lift expired suspensions (the server does it hourly)"
                    .to_string(),
        }
    }

    async fn run(&self, ctx: &AppContext, _vars: &Vars) -> Result<()> {
        crate::housekeeping::run_once(ctx).await
    }
}
