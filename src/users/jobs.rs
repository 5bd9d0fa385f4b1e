//! The account mails as background jobs: what a request queues (one insert,
//! in its own transaction) and what the worker then does. A password-reset
//! request does the same work whether or not the address has an account:
//! the job looks the account up.
use loco_rs::app::AppContext;
use sea_orm::{ConnectionTrait, DbErr};
use serde::{Deserialize, Serialize};

use super::{
    accounts::Model,
    tokens::{self, Purpose},
};
use crate::{
    i18n::Lang,
    jobs::{self, Claimed},
    limits,
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

async fn reset_job(ctx: &AppContext, job: &Claimed) -> Result<(), String> {
    let req: ResetRequest = job.payload().map_err(err)?;
    let Some(user) = Model::find_by_email(&ctx.db, &req.email)
        .await
        .map_err(err)?
    else {
        return Ok(());
    };
    if !may_mail(ctx, job, "reset", user.id).await? {
        return Ok(());
    }
    let token = tokens::Model::issue(&ctx.db, user.id, Purpose::Reset)
        .await
        .map_err(err)?;
    super::mails::password_reset(ctx, req.lang, &user, &token).await
}

async fn confirm_job(ctx: &AppContext, job: &Claimed) -> Result<(), String> {
    let req: ConfirmRequest = job.payload().map_err(err)?;
    let user = Model::find_live(&ctx.db, req.user_id).await.map_err(err)?;
    let Some(user) = user.filter(|u| u.email_confirmed_at.is_none()) else {
        return Ok(());
    };
    let token = tokens::Model::issue(&ctx.db, user.id, Purpose::Confirm)
        .await
        .map_err(err)?;
    super::mails::confirm(ctx, req.lang, &user, &token).await
}

async fn address_taken_job(ctx: &AppContext, job: &Claimed) -> Result<(), String> {
    let req: AddressTaken = job.payload().map_err(err)?;
    let Some(user) = Model::find_by_email(&ctx.db, &req.email)
        .await
        .map_err(err)?
    else {
        return Ok(());
    };
    if !may_mail(ctx, job, "taken", user.id).await? {
        return Ok(());
    }
    super::mails::address_taken(ctx, &user).await
}

/// Queues a reset mail for whatever account has `email`.
///
/// # Errors
/// On database errors.
pub async fn reset(db: &impl ConnectionTrait, email: String, lang: Lang) -> Result<(), DbErr> {
    jobs::enqueue(db, RESET, &ResetRequest { email, lang }).await
}

/// Queues the confirmation mail of `user_id`.
///
/// # Errors
/// On database errors.
pub async fn confirm(db: &impl ConnectionTrait, user_id: i64, lang: Lang) -> Result<(), DbErr> {
    jobs::enqueue(db, CONFIRM, &ConfirmRequest { user_id, lang }).await
}

/// Queues the notice to the owner of `email` that someone tried to
/// register with it.
///
/// # Errors
/// On database errors.
pub async fn address_taken(db: &impl ConnectionTrait, email: String) -> Result<(), DbErr> {
    jobs::enqueue(db, ADDRESS_TAKEN, &AddressTaken { email }).await
}

/// Runs `job` if it is one of ours.
pub async fn run(ctx: &AppContext, job: &Claimed) -> Option<Result<(), String>> {
    Some(match job.kind.as_str() {
        RESET => reset_job(ctx, job).await,
        CONFIRM => confirm_job(ctx, job).await,
        ADDRESS_TAKEN => address_taken_job(ctx, job).await,
        _ => return None,
    })
}
