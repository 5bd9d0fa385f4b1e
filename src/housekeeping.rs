//! Chores the running server does by itself every hour, so an operator
//! without cron still gets them: expired sessions, rate-limit windows and
//! old finished jobs and read notifications are deleted, the day's e-mail
//! digest is queued (once, whoever asks first), and suspensions that ran out are lifted
//! (their votes pay again). Several app
//! processes may run it at once; each chore is safe to repeat.
use std::time::Duration;

use chrono::Utc;
use loco_rs::app::AppContext;

use crate::{admin::moderation, users::sessions, votes::Votes};

const EVERY: Duration = Duration::from_secs(3600);

/// Runs the chores once.
///
/// # Errors
/// On database errors.
pub async fn run_once(ctx: &AppContext) -> loco_rs::Result<()> {
    sessions::delete_expired(&ctx.db).await?;
    crate::limits::purge_expired(&ctx.db).await?;
    crate::jobs::purge_done(&ctx.db, 14).await?;
    crate::notifications::jobs::schedule_digests(&ctx.db, Utc::now()).await?;
    crate::notifications::purge_read(&ctx.db, 90).await?;
    let lifted = moderation::lift_expired(&ctx.db, &Votes::get(ctx), None, Utc::now()).await?;
    if lifted > 0 {
        tracing::info!(lifted, "suspensions lifted");
    }
    Ok(())
}

/// Starts the hourly loop in the background.
pub fn spawn(ctx: AppContext) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(EVERY);
        loop {
            tick.tick().await;
            if let Err(err) = run_once(&ctx).await {
                tracing::warn!(error = %err, "housekeeping failed; retrying in an hour");
            }
        }
    });
}
