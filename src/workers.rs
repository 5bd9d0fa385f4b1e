//! The job runner: what each kind of job in the `jobs` queue does, and the
//! loop that works the queue inside the server process.
//!
//! Requests only *queue* mail: a password-reset request does the same work
//! (one insert) whether or not the address has an account, and a slow
//! mail server never slows a page down.
use std::time::Duration;

use loco_rs::app::AppContext;
use serde::{Deserialize, Serialize};

use crate::{
    i18n::Lang,
    jobs::{self, Claimed},
    limits,
    mailers::auth as account_mails,
    models::{
        account_tokens::{self, Purpose},
        users,
    },
    settings::Settings,
};

/// A password-reset request for whatever account has `email`.
pub const RESET: &str = "mail.password_reset";
/// The confirmation link of a new (or re-confirming) account.
pub const CONFIRM: &str = "mail.confirm";
/// The notice to the owner of an address someone tried to register.
pub const ADDRESS_TAKEN: &str = "mail.address_taken";

#[derive(Debug, Serialize, Deserialize)]
pub struct ResetRequest {
    pub email: String,
    pub lang: Lang,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct ConfirmRequest {
    pub user_id: i64,
    pub lang: Lang,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct AddressTaken {
    pub email: String,
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// Whether one more mail of `kind` may go to `user_id` now; the limit is
/// silent (the page that asked for it answered the same either way). Only
/// a job's first attempt counts: a retry after a mail server's hiccup is
/// the same mail.
async fn may_mail(
    ctx: &AppContext,
    job: &Claimed,
    kind: &str,
    user_id: i64,
) -> Result<bool, String> {
    if job.attempts > 1 {
        return Ok(true);
    }
    let rules = &Settings::get(ctx).limits.account_mail;
    let decision = limits::hit(&ctx.db, &format!("mail-{kind}:{user_id}"), rules)
        .await
        .map_err(err)?;
    if decision.is_refused() {
        tracing::info!(user_id, kind, "account mail skipped: one was sent recently");
    }
    Ok(!decision.is_refused())
}

async fn reset(ctx: &AppContext, job: &Claimed) -> Result<(), String> {
    let req: ResetRequest = job.payload().map_err(err)?;
    let Some(user) = users::Model::find_by_email(&ctx.db, &req.email)
        .await
        .map_err(err)?
    else {
        return Ok(());
    };
    if !may_mail(ctx, job, "reset", user.id).await? {
        return Ok(());
    }
    let token = account_tokens::Model::issue(&ctx.db, user.id, Purpose::Reset)
        .await
        .map_err(err)?;
    account_mails::password_reset(ctx, req.lang, &user, &token).await
}

async fn confirm(ctx: &AppContext, job: &Claimed) -> Result<(), String> {
    let req: ConfirmRequest = job.payload().map_err(err)?;
    let user = users::Model::find_live(&ctx.db, req.user_id)
        .await
        .map_err(err)?;
    let Some(user) = user.filter(|u| u.email_confirmed_at.is_none()) else {
        return Ok(());
    };
    let token = account_tokens::Model::issue(&ctx.db, user.id, Purpose::Confirm)
        .await
        .map_err(err)?;
    account_mails::confirm(ctx, req.lang, &user, &token).await
}

async fn address_taken(ctx: &AppContext, job: &Claimed) -> Result<(), String> {
    let req: AddressTaken = job.payload().map_err(err)?;
    let Some(user) = users::Model::find_by_email(&ctx.db, &req.email)
        .await
        .map_err(err)?
    else {
        return Ok(());
    };
    if !may_mail(ctx, job, "taken", user.id).await? {
        return Ok(());
    }
    account_mails::address_taken(ctx, &user).await
}

async fn dispatch(ctx: &AppContext, job: &Claimed) -> Result<(), String> {
    match job.kind.as_str() {
        RESET => reset(ctx, job).await,
        CONFIRM => confirm(ctx, job).await,
        ADDRESS_TAKEN => address_taken(ctx, job).await,
        other => Err(format!("unknown job kind {other}")),
    }
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
