//! Background work kept in the database: it survives restarts, works the
//! same on SQLite and PostgreSQL, and is done by one process at a time.
//!
//! A job is written in the same transaction as the event that causes it
//! (so an e-mail goes out only for something that happened). A worker
//! *claims* the oldest due job with one conditional `UPDATE`: the row gets
//! the worker's name and a lease, and a second worker's `UPDATE` finds the
//! condition false and takes the next job instead. After the work the job
//! is marked done; on failure it is retried later, up to [`MAX_ATTEMPTS`].
//! A worker that dies mid-job leaves a lease that runs out, and the job is
//! claimed again.
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ConnectionTrait, DatabaseBackend, DbErr, FromQueryResult, Value};
use serde::{de::DeserializeOwned, Serialize};

use crate::db::Sql;

/// After this many failed attempts a job is given up (and logged).
pub const MAX_ATTEMPTS: i32 = 5;
/// How long a claim lasts before another worker may take the job.
pub const LEASE_SECS: i64 = 300;

/// A claimed job.
#[derive(Debug, Clone, FromQueryResult)]
pub struct Claimed {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub attempts: i32,
}

impl Claimed {
    /// The payload as `T`.
    ///
    /// # Errors
    /// When the payload does not fit `T`.
    pub fn payload<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(&self.payload)
    }
}

fn json(payload: &impl Serialize) -> Result<String, DbErr> {
    serde_json::to_string(payload).map_err(|e| DbErr::Json(e.to_string()))
}

/// Queues `kind` with `payload`, due now.
///
/// # Errors
/// On database errors.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    kind: &str,
    payload: &impl Serialize,
) -> Result<(), DbErr> {
    enqueue_at(db, kind, payload, None, Utc::now()).await
}

/// Queues `kind` due at `run_at`; with a `dedup_key`, only once per key
/// (a second enqueue with the same key does nothing).
///
/// # Errors
/// On database errors.
pub async fn enqueue_at(
    db: &impl ConnectionTrait,
    kind: &str,
    payload: &impl Serialize,
    dedup_key: Option<&str>,
    run_at: DateTime<Utc>,
) -> Result<(), DbErr> {
    let now = Utc::now().fixed_offset();
    Sql::new(
        "INSERT INTO jobs (kind, payload, dedup_key, run_at, attempts, created_at, updated_at) \
         VALUES (?, ?, ?, ?, 0, ?, ?) ON CONFLICT DO NOTHING",
    )
    .push_bind(
        "",
        [
            Value::from(kind.to_string()),
            Value::from(json(payload)?),
            Value::from(dedup_key.map(str::to_string)),
            Value::from(run_at.fixed_offset()),
            Value::from(now),
            Value::from(now),
        ],
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Claims the oldest due job for `worker`, if there is one.
///
/// # Errors
/// On database errors.
pub async fn claim(db: &impl ConnectionTrait, worker: &str) -> Result<Option<Claimed>, DbErr> {
    let now = Utc::now().fixed_offset();
    let lease = now + Duration::seconds(LEASE_SECS);
    let backend = db.get_database_backend();
    let mut q = Sql::new(
        "UPDATE jobs SET locked_by = ?, locked_until = ?, attempts = attempts + 1, updated_at = ? \
         WHERE id = (SELECT id FROM jobs WHERE done_at IS NULL AND failed_at IS NULL AND run_at <= ? \
         AND (locked_until IS NULL OR locked_until < ?) ORDER BY run_at, id LIMIT 1",
    );
    q.push_bind(
        "",
        [
            Value::from(worker.to_string()),
            Value::from(lease),
            Value::from(now),
            Value::from(now),
            Value::from(now),
        ],
    );
    if backend == DatabaseBackend::Postgres {
        // workers skip each other's rows instead of queueing on them
        q.push(" FOR UPDATE SKIP LOCKED");
    }
    // checked again on the row itself: on PostgreSQL a worker that waited
    // for another's lock re-reads the row and finds it taken
    q.push_bind(
        ") AND done_at IS NULL AND failed_at IS NULL AND (locked_until IS NULL OR locked_until < ?) \
         RETURNING id, kind, payload, attempts",
        [Value::from(now)],
    );
    Claimed::find_by_statement(q.build(backend)).one(db).await
}

/// Marks a job done (only while `worker` still holds it).
///
/// # Errors
/// On database errors.
pub async fn complete(db: &impl ConnectionTrait, id: i64, worker: &str) -> Result<bool, DbErr> {
    let now = Utc::now().fixed_offset();
    let n = Sql::new(
        "UPDATE jobs SET done_at = ?, locked_until = NULL, updated_at = ? WHERE id = ? AND locked_by = ?",
    )
    .push_bind(
        "",
        [
            Value::from(now),
            Value::from(now),
            Value::from(id),
            Value::from(worker.to_string()),
        ],
    )
    .execute(db)
    .await?;
    Ok(n == 1)
}

/// Records a failure: the job runs again later (1, 4, 16 … minutes), or is
/// given up after [`MAX_ATTEMPTS`].
///
/// # Errors
/// On database errors.
pub async fn fail(
    db: &impl ConnectionTrait,
    job: &Claimed,
    worker: &str,
    error: &str,
) -> Result<(), DbErr> {
    let now = Utc::now();
    let give_up = job.attempts >= MAX_ATTEMPTS;
    let delay =
        Duration::minutes(4_i64.pow(u32::try_from(job.attempts.clamp(1, 5) - 1).unwrap_or(0)));
    let error: String = error.chars().take(2_000).collect();
    Sql::new(
        "UPDATE jobs SET locked_until = NULL, locked_by = NULL, run_at = ?, last_error = ?, failed_at = ?, \
         updated_at = ? WHERE id = ? AND locked_by = ?",
    )
    .push_bind(
        "",
        [
            Value::from((now + delay).fixed_offset()),
            Value::from(error),
            Value::from(give_up.then(|| now.fixed_offset())),
            Value::from(now.fixed_offset()),
            Value::from(job.id),
            Value::from(worker.to_string()),
        ],
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Jobs not done yet, and when the oldest of them was due.
#[derive(Debug, Clone, Copy, Default, FromQueryResult)]
pub struct Depth {
    pub waiting: i64,
    pub oldest_due: Option<DateTime<chrono::FixedOffset>>,
}

/// How much work is queued (for metrics and alerts).
///
/// # Errors
/// On database errors.
pub async fn depth(db: &impl ConnectionTrait) -> Result<Depth, DbErr> {
    let q = Sql::new(
        "SELECT COUNT(*) AS waiting, MIN(run_at) AS oldest_due FROM jobs \
         WHERE done_at IS NULL AND failed_at IS NULL",
    );
    Ok(Depth::find_by_statement(q.build(db.get_database_backend()))
        .one(db)
        .await?
        .unwrap_or_default())
}

/// Deletes jobs finished more than `days` ago.
///
/// # Errors
/// On database errors.
pub async fn purge_done(db: &impl ConnectionTrait, days: i64) -> Result<u64, DbErr> {
    Sql::new("DELETE FROM jobs WHERE (done_at IS NOT NULL AND done_at < ?) OR (failed_at IS NOT NULL AND failed_at < ?)")
        .push_bind(
            "",
            [
                Value::from((Utc::now() - Duration::days(days)).fixed_offset()),
                Value::from((Utc::now() - Duration::days(days)).fixed_offset()),
            ],
        )
        .execute(db)
        .await
}
