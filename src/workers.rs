//! The job runner: hands each job of the `jobs` queue to the module that
//! knows its kind, and the loop that works the queue inside the server.
use std::time::Duration;

use loco_rs::app::AppContext;

use crate::{
    jobs::{self, Claimed},
    notifications, users,
};

async fn dispatch(ctx: &AppContext, job: &Claimed) -> Result<(), String> {
    if let Some(done) = users::jobs::run(ctx, job).await {
        return done;
    }
    if let Some(done) = notifications::jobs::run(ctx, job).await {
        return done;
    }
    Err(format!("unknown job kind {}", job.kind))
}

/// Claims and runs one job. Returns false when none was due.
///
/// # Errors
/// On database errors (a failing job is recorded, not returned).
pub async fn run_one(ctx: &AppContext, worker: &str) -> Result<bool, sea_orm::DbErr> {
    let Some(job) = jobs::claim(&ctx.db, worker).await? else {
        return Ok(false);
    };
    match dispatch(ctx, &job).await {
        Ok(()) => {
            jobs::complete(&ctx.db, job.id, worker).await?;
        }
        Err(error) => {
            tracing::warn!(job = job.id, kind = %job.kind, attempt = job.attempts, %error, "job failed");
            jobs::fail(&ctx.db, &job, worker, &error).await?;
        }
    }
    Ok(true)
}

/// Runs every due job (tests, and the worker loop's inner loop).
///
/// # Errors
/// On database errors.
pub async fn run_pending(ctx: &AppContext, worker: &str) -> Result<usize, sea_orm::DbErr> {
    let mut n = 0;
    while run_one(ctx, worker).await? {
        n += 1;
    }
    Ok(n)
}

/// A name for this process's worker, unique enough among processes (and
/// short enough for `jobs.locked_by`).
#[must_use]
pub fn worker_name() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "local".to_string());
    let host: String = host.chars().take(40).collect();
    let tag: u32 = rand::random();
    format!("{host}:{}:{tag:08x}", std::process::id())
}

/// Starts the worker loop in the background: it polls the queue every
/// `poll`, and works through everything due each time.
pub fn spawn(ctx: AppContext, poll: Duration) {
    let name = worker_name();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(poll);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(error) = run_pending(&ctx, &name).await {
                tracing::warn!(%error, "the job queue cannot be read; retrying");
            }
        }
    });
}
