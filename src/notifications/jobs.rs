//! Notification e-mails, sent by the queue's worker.
//!
//! * `notify.instant` carries the notifications one event wrote; each
//!   recipient whose setting for that kind is `instant` gets one mail.
//! * `notify.digests` runs once a day (queued by the housekeeping with the
//!   day as its key) and queues one `notify.digest` per user with unread,
//!   unmailed notifications of `daily` kinds.
//!
//! A notification is mailed at most once whatever the number of workers or
//! retries: it is *claimed* (`emailed_at` set where it was null) before the
//! mail goes out, and released again if sending fails. Only confirmed
//! addresses of live accounts get mail.
use chrono::{DateTime, NaiveTime, Utc};
use loco_rs::app::AppContext;
use sea_orm::{prelude::DateTimeWithTimeZone, ConnectionTrait, DbErr, FromQueryResult, Value};
use serde::{Deserialize, Serialize};

use super::{mails, prefs};
use crate::{
    db::{DbResult, Sql},
    jobs::{self, Claimed},
};

pub const INSTANT: &str = "notify.instant";
pub const DIGESTS: &str = "notify.digests";
pub const DIGEST: &str = "notify.digest";
/// The hour (UTC) the daily digests go out.
pub const DIGEST_HOUR: u32 = 7;

#[derive(Debug, Serialize, Deserialize)]
struct Instant {
    ids: Vec<i64>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Digests {
    day: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct Digest {
    user_id: i64,
}

/// Queues the instant mails of the notifications `ids` (one job).
///
/// # Errors
/// On database errors.
pub async fn instant(db: &impl ConnectionTrait, ids: &[i64]) -> DbResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    jobs::enqueue(db, INSTANT, &Instant { ids: ids.to_vec() }).await
}

/// Queues today's digest run (once per day, whoever asks).
///
/// # Errors
/// On database errors.
pub async fn schedule_digests(db: &impl ConnectionTrait, now: DateTime<Utc>) -> DbResult<()> {
    let day = now.date_naive();
    let at = day
        .and_time(NaiveTime::from_hms_opt(DIGEST_HOUR, 0, 0).unwrap_or_default())
        .and_utc();
    let key = day.to_string();
    jobs::enqueue_at(db, DIGESTS, &Digests { day: key.clone() }, Some(&key), at).await
}

/// A notification on its way to a mailbox.
#[derive(Debug, Clone, FromQueryResult)]
pub struct Outgoing {
    pub id: i64,
    pub user_id: i64,
    pub kind: String,
    pub count: i32,
    pub url: String,
    pub title: String,
    pub detail: Option<String>,
    pub reason: Option<String>,
    pub actor: Option<String>,
    pub email: String,
    pub username: String,
    pub lang: String,
    pub created_at: DateTimeWithTimeZone,
}

const OUTGOING: &str = "SELECT n.id, n.user_id, n.kind, n.count, n.url, n.title, n.detail, n.reason, \
     a.username AS actor, u.email, u.username, u.lang, n.created_at FROM notifications n \
     JOIN users u ON u.id = n.user_id AND u.deleted_at IS NULL AND u.email_confirmed_at IS NOT NULL \
     LEFT JOIN users a ON a.id = n.actor_id \
     LEFT JOIN notification_prefs p ON p.user_id = n.user_id AND p.kind = n.kind \
     WHERE n.read_at IS NULL AND n.emailed_at IS NULL AND COALESCE(p.mode, ";

/// Unread, unmailed notifications whose kind's setting is `mode`, with
/// their recipient; `filter` narrows them down.
async fn outgoing(
    db: &impl ConnectionTrait,
    mode: &'static str,
    filter: impl FnOnce(&mut Sql),
) -> DbResult<Vec<Outgoing>> {
    let mut q = Sql::new(OUTGOING);
    prefs::push_default_mode(&mut q);
    q.push_bind(") = ?", [Value::from(mode)]);
    filter(&mut q);
    q.push(" ORDER BY n.id");
    Outgoing::find_by_statement(q.build(db.get_database_backend()))
        .all(db)
        .await
}

/// Claims notifications `ids` for mailing; returns the ones this caller got.
async fn claim(db: &impl ConnectionTrait, ids: &[i64]) -> DbResult<Vec<i64>> {
    #[derive(FromQueryResult)]
    struct Id {
        id: i64,
    }
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q =
        Sql::new("UPDATE notifications SET emailed_at = ? WHERE emailed_at IS NULL AND id IN ");
    q.push_bind("", [Value::from(Utc::now().fixed_offset())]);
    q.push_in(ids.iter().map(|id| Value::from(*id)));
    q.push(" RETURNING id");
    Ok(Id::find_by_statement(q.build(db.get_database_backend()))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect())
}

/// Gives claimed notifications back after a failed send.
async fn release(db: &impl ConnectionTrait, ids: &[i64]) -> Result<(), DbErr> {
    let mut q = Sql::new("UPDATE notifications SET emailed_at = NULL WHERE id IN ");
    q.push_in(ids.iter().map(|id| Value::from(*id)));
    q.execute(db).await?;
    Ok(())
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

async fn instant_job(ctx: &AppContext, job: &Claimed) -> Result<(), String> {
    let req: Instant = job.payload().map_err(err)?;
    let ids: Vec<Value> = req.ids.iter().map(|id| Value::from(*id)).collect();
    let due = outgoing(&ctx.db, "instant", |q| {
        q.push(" AND n.id IN ").push_in(ids);
    })
    .await
    .map_err(err)?;
    for note in due {
        if claim(&ctx.db, &[note.id]).await.map_err(err)?.is_empty() {
            continue;
        }
        if let Err(error) = mails::instant(ctx, &note).await {
            release(&ctx.db, &[note.id]).await.map_err(err)?;
            return Err(error);
        }
    }
    Ok(())
}

async fn digests_job(ctx: &AppContext, job: &Claimed) -> Result<(), String> {
    let req: Digests = job.payload().map_err(err)?;
    let due = outgoing(&ctx.db, "daily", |_| {}).await.map_err(err)?;
    let mut users: Vec<i64> = due.iter().map(|n| n.user_id).collect();
    users.sort_unstable();
    users.dedup();
    for user_id in users {
        let key = format!("{}:{user_id}", req.day);
        jobs::enqueue_at(&ctx.db, DIGEST, &Digest { user_id }, Some(&key), Utc::now())
            .await
            .map_err(err)?;
    }
    Ok(())
}

async fn digest_job(ctx: &AppContext, job: &Claimed) -> Result<(), String> {
    let req: Digest = job.payload().map_err(err)?;
    let due = outgoing(&ctx.db, "daily", |q| {
        q.push_bind(" AND n.user_id = ?", [Value::from(req.user_id)]);
    })
    .await
    .map_err(err)?;
    let ids: Vec<i64> = due.iter().map(|n| n.id).collect();
    let mine = claim(&ctx.db, &ids).await.map_err(err)?;
    let claimed: Vec<Outgoing> = due.into_iter().filter(|n| mine.contains(&n.id)).collect();
    if claimed.is_empty() {
        return Ok(());
    }
    if let Err(error) = mails::digest(ctx, &claimed).await {
        release(&ctx.db, &mine).await.map_err(err)?;
        return Err(error);
    }
    Ok(())
}

/// Runs `job` if it is one of ours.
pub async fn run(ctx: &AppContext, job: &Claimed) -> Option<Result<(), String>> {
    Some(match job.kind.as_str() {
        INSTANT => instant_job(ctx, job).await,
        DIGESTS => digests_job(ctx, job).await,
        DIGEST => digest_job(ctx, job).await,
        _ => return None,
    })
}
