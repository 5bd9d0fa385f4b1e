//! The sea-orm `VoteRepository`: one database transaction per unit of work.
use std::sync::Arc;

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveValue::Set, ConnectionTrait, DatabaseBackend, DatabaseConnection, DatabaseTransaction,
    DbErr, EntityTrait, FromQueryResult, Statement, Value,
};

use super::{
    repository::{
        AcceptState, Click, LedgerEntry, Reason, Scope, Source, StoredVote, TargetInfo, VoteChange,
        VoteContext, VoteRepository, VoteState, VoteTx,
    },
    rules::VoterInfo,
    Direction, Kind, Tally, Target,
};
use crate::{
    db::entities::reputation_events,
    db::{write_txn, Sql},
    limits::Tick,
    users::Role,
};

/// SQLite has one writer at a time. Votes on SQLite take turns here, in
/// arrival order, before they take a connection and the write lock: left
/// to SQLite's busy handler, whoever retried at the right moment won, and
/// 16 voters at once had a p99 three times their mean while 10 of them
/// each held a pool connection idle. Other writers, and other processes,
/// still meet at SQLite's lock.
#[derive(Clone, Debug)]
pub struct SqlVoteRepository {
    db: DatabaseConnection,
    turn: Option<Arc<tokio::sync::Mutex<()>>>,
}

impl SqlVoteRepository {
    #[must_use]
    pub fn new(db: DatabaseConnection) -> Self {
        let turn = (db.get_database_backend() == DatabaseBackend::Sqlite)
            .then(|| Arc::new(tokio::sync::Mutex::new(())));
        Self { db, turn }
    }
}

/// A unit of work reads and writes rows by key only, so on PostgreSQL it
/// plans index scans only. Otherwise the plans a connection caches for
/// the vote statements keep the sequential scan of `users` chosen while
/// the table was a page or two (a small forum), and the table does not
/// stay small: every vote changes the author's indexed reputation, so no
/// such update is HOT, and until a vacuum the dead line pointers (at most
/// 291 a page) add a page every few hundred votes, which every one of
/// those scans crosses. `LOCAL` ends with the transaction: the pooled
/// connection plans pages as before. Not covered: the foreign-key checks
/// of a vote's inserts, whose plans PostgreSQL caches per connection for
/// whichever transaction ran them first (a forum accept plans them with
/// scans allowed), and the session read, which runs before the unit.
const INDEX_SCANS_ONLY: &str = "SET LOCAL enable_seqscan = off";

enum Conn<'a> {
    Owned(DatabaseTransaction),
    Borrowed(&'a DatabaseTransaction),
}

/// A unit of work: its own transaction, or a caller's (the forum's accept
/// and delete run their changes and the ledger's in one transaction).
pub struct SqlTx<'a> {
    conn: Conn<'a>,
    /// Held until the transaction ends (see [`SqlVoteRepository`]).
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl<'a> SqlTx<'a> {
    /// Joins a transaction the caller commits.
    #[must_use]
    pub const fn borrowed(txn: &'a DatabaseTransaction) -> Self {
        Self {
            conn: Conn::Borrowed(txn),
            _turn: None,
        }
    }

    #[must_use]
    pub fn conn(&self) -> &DatabaseTransaction {
        match &self.conn {
            Conn::Owned(t) => t,
            Conn::Borrowed(t) => t,
        }
    }

    fn backend(&self) -> DatabaseBackend {
        self.conn().get_database_backend()
    }
}

impl VoteRepository for SqlVoteRepository {
    type Tx = SqlTx<'static>;

    async fn begin(&self) -> Result<SqlTx<'static>, DbErr> {
        let turn = match &self.turn {
            Some(turn) => Some(Arc::clone(turn).lock_owned().await),
            None => None,
        };
        let txn = write_txn(&self.db).await?;
        if txn.get_database_backend() == DatabaseBackend::Postgres {
            // as a counted statement, not `execute_unprepared`, which the
            // per-request statement count would not see
            txn.execute_raw(Statement::from_string(
                DatabaseBackend::Postgres,
                INDEX_SCANS_ONLY,
            ))
            .await?;
        }
        Ok(SqlTx {
            conn: Conn::Owned(txn),
            _turn: turn,
        })
    }
}

#[derive(FromQueryResult)]
struct TargetRow {
    author_id: i64,
    live: bool,
    locked: bool,
}

/// The voter, their vote on the target when there is one, and the
/// author's vote income today.
#[derive(FromQueryResult)]
struct VoterRow {
    reputation: i64,
    role: String,
    deleted_at: Option<sea_orm::prelude::DateTimeWithTimeZone>,
    suspended_until: Option<sea_orm::prelude::DateTimeWithTimeZone>,
    vote_id: Option<i64>,
    vote_value: Option<i16>,
    vote_net: Option<i64>,
    earlier_today: Option<i64>,
    ticked: Option<i64>,
}

#[derive(FromQueryResult)]
struct Sum {
    n: Option<i64>,
}

#[derive(FromQueryResult)]
struct TallyRow {
    up_count: i32,
    down_count: i32,
}

#[derive(FromQueryResult)]
struct StateRow {
    vote_id: i64,
    author_id: i64,
    earned: Option<i64>,
    adjusted: Option<i64>,
    counts: i32,
}

#[derive(FromQueryResult)]
struct AcceptRow {
    answer_id: i64,
    author_id: i64,
    net: Option<i64>,
    counts: i32,
}

const fn table(kind: Kind) -> &'static str {
    match kind {
        Kind::Question => "questions",
        Kind::Answer => "answers",
        Kind::Review => "reviews",
    }
}

/// `1` when a vote's voter is active and its post live (SQL fragment; binds
/// `now` once).
const COUNTS: &str =
    "CASE WHEN vu.deleted_at IS NULL AND (vu.suspended_until IS NULL OR vu.suspended_until <= ?) \
    AND CASE v.target_kind \
      WHEN 1 THEN (q.id IS NOT NULL AND q.deleted_at IS NULL) \
      WHEN 2 THEN (a.id IS NOT NULL AND a.deleted_at IS NULL AND aq.deleted_at IS NULL) \
      WHEN 3 THEN (r.id IS NOT NULL AND r.deleted_at IS NULL) \
      ELSE 1 = 0 END \
    THEN 1 ELSE 0 END";

/// Adds to a post's up/down counts, returning the new ones.
fn push_tally(q: &mut Sql, target: Target, up: i32, down: i32) {
    q.push(" UPDATE ").push(table(target.kind)).push_bind(
        " SET up_count = up_count + ?, down_count = down_count + ?, score = score + ? WHERE id = ? \
         RETURNING up_count, down_count",
        [Value::from(up), Value::from(down), Value::from(up - down), Value::from(target.id)],
    );
}

async fn read_tally(stmt: Statement, db: &impl ConnectionTrait) -> Result<Tally, DbErr> {
    let row = TallyRow::find_by_statement(stmt)
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("vote target".into()))?;
    Ok(Tally {
        up: row.up_count,
        down: row.down_count,
    })
}

/// The click's change to its vote row (the caller ends the statement).
fn push_vote_change(q: &mut Sql, click: &Click<'_>) {
    let now = Value::from(Utc::now().fixed_offset());
    match click.change {
        VoteChange::Cast(dir) => q.push_bind(
            "INSERT INTO votes (user_id, target_kind, target_id, value, created_at, updated_at) \
             VALUES (?, ?, ?, ?, ?, ?)",
            [
                Value::from(click.voter_id),
                Value::from(click.target.kind.code()),
                Value::from(click.target.id),
                Value::from(dir.value()),
                now.clone(),
                now,
            ],
        ),
        VoteChange::Switch { id, to } => q.push_bind(
            "UPDATE votes SET value = ?, updated_at = ? WHERE id = ?",
            [Value::from(to.value()), now, Value::from(id)],
        ),
        VoteChange::Withdraw { id } => {
            q.push_bind("DELETE FROM votes WHERE id = ?", [Value::from(id)])
        }
    };
}

/// A post as the vote rules see it, as `p` (an answer with its question).
const fn post_state(kind: Kind) -> &'static str {
    match kind {
        Kind::Question => {
            "SELECT p.user_id AS author_id, (p.deleted_at IS NULL) AS live, \
             (p.locked_at IS NOT NULL) AS locked FROM questions p"
        }
        Kind::Answer => {
            "SELECT p.user_id AS author_id, (p.deleted_at IS NULL AND q.deleted_at IS NULL) AS live, \
             (q.locked_at IS NOT NULL) AS locked FROM answers p JOIN questions q ON q.id = p.question_id"
        }
        Kind::Review => {
            "SELECT p.user_id AS author_id, (p.deleted_at IS NULL) AS live, (1 = 0) AS locked \
             FROM reviews p"
        }
    }
}

impl SqlTx<'_> {
    async fn read_target(&self, q: &Sql) -> Result<Option<TargetInfo>, DbErr> {
        let row = TargetRow::find_by_statement(q.build(self.backend()))
            .one(self.conn())
            .await?;
        Ok(row.map(|r| TargetInfo {
            author_id: r.author_id,
            live: r.live,
            locked: r.locked,
        }))
    }
}

impl VoteTx for SqlTx<'_> {
    async fn target(&mut self, target: Target) -> Result<Option<TargetInfo>, DbErr> {
        let mut q = Sql::new(post_state(target.kind));
        q.push_bind(" WHERE p.id = ?", [Value::from(target.id)]);
        if self.backend() == DatabaseBackend::Postgres {
            // the voted row only: concurrent votes on it queue here
            q.push(crate::db::ROW_LOCK).push(" OF p");
        }
        self.read_target(&q).await
    }

    async fn target_and_author(&mut self, target: Target) -> Result<Option<TargetInfo>, DbErr> {
        if self.backend() != DatabaseBackend::Postgres {
            // SQLite's BEGIN IMMEDIATE already holds the whole database
            return self.target(target).await;
        }
        // both rows locked by one statement, the post first as before:
        // votes on one post queue on the post, votes for one author on them
        let mut q = Sql::new(post_state(target.kind));
        q.push_bind(
            " JOIN users u ON u.id = p.user_id WHERE p.id = ?",
            [Value::from(target.id)],
        )
        .push(crate::db::ROW_LOCK)
        .push(" OF p, u");
        self.read_target(&q).await
    }

    async fn vote_context(
        &mut self,
        voter_id: i64,
        target: Target,
        author_id: i64,
        day: NaiveDate,
        tick: Option<&Tick>,
    ) -> Result<VoteContext, DbErr> {
        // the tick's upsert goes first: a WITH clause on PostgreSQL, whose
        // count the read returns; on SQLite a statement of the same call,
        // whose row the read reads back
        let postgres = self.backend() == DatabaseBackend::Postgres;
        let mut q = Sql::new("");
        match tick {
            Some(tick) if postgres => {
                q.push("WITH t AS (")
                    .push_bind(Tick::UPSERT, tick.values())
                    .push(
                        " RETURNING hits) SELECT (SELECT CAST(hits AS BIGINT) FROM t) AS ticked, ",
                    );
            }
            Some(tick) => {
                q.push_bind(Tick::UPSERT, tick.values()).push_bind(
                        "; SELECT (SELECT hits FROM rate_limits WHERE bucket = ? AND window_start = ?) \
                         AS ticked, ",
                        tick.row_key(),
                    );
            }
            None => {
                q.push("SELECT CAST(NULL AS BIGINT) AS ticked, ");
            }
        }
        q.push_bind(
            "u.reputation, u.role, u.deleted_at, u.suspended_until, v.id AS vote_id, \
             v.value AS vote_value, (SELECT CAST(SUM(e.delta) AS BIGINT) FROM reputation_events e \
             WHERE e.vote_id = v.id) AS vote_net, (SELECT d.vote_total FROM reputation_daily d \
             WHERE d.user_id = ? AND d.day = ?) AS earlier_today FROM users u LEFT JOIN votes v \
             ON v.user_id = u.id AND v.target_kind = ? AND v.target_id = ? WHERE u.id = ?",
            [
                Value::from(author_id),
                Value::from(day),
                Value::from(target.kind.code()),
                Value::from(target.id),
                Value::from(voter_id),
            ],
        );
        let now = Utc::now();
        let Some(row) = VoterRow::find_by_statement(q.build(self.backend()))
            .one(self.conn())
            .await?
        else {
            return Ok(VoteContext {
                voter: None,
                current: None,
                earlier_today: 0,
                ticked: None,
            });
        };
        let voter = VoterInfo {
            reputation: row.reputation,
            staff: Role::parse(&row.role).is_some_and(|r| r >= Role::Moderator),
            active: row.deleted_at.is_none() && row.suspended_until.is_none_or(|t| t <= now),
        };
        let current = row
            .vote_id
            .zip(row.vote_value)
            .map(|(id, value)| StoredVote {
                id,
                direction: Direction::from_value(value),
                net: row.vote_net.unwrap_or(0),
            });
        Ok(VoteContext {
            voter: Some(voter),
            current,
            earlier_today: row.earlier_today.unwrap_or(0),
            ticked: row.ticked,
        })
    }

    async fn lock_user(&mut self, user_id: i64) -> Result<(), DbErr> {
        if self.backend() == DatabaseBackend::Postgres {
            Sql::new("SELECT id FROM users WHERE id = ?")
                .push_bind("", [Value::from(user_id)])
                .push(crate::db::ROW_LOCK)
                .execute(self.conn())
                .await?;
        }
        Ok(())
    }

    async fn earned(&mut self, user_id: i64, reason: Reason) -> Result<i64, DbErr> {
        let mut q = Sql::new(
            "SELECT COALESCE(SUM(delta), 0) AS n FROM reputation_events WHERE user_id = ? AND reason = ?",
        );
        q.push_bind("", [Value::from(user_id), Value::from(reason.as_str())]);
        Ok(Sum::find_by_statement(q.build(self.backend()))
            .one(self.conn())
            .await?
            .and_then(|s| s.n)
            .unwrap_or(0))
    }

    async fn append(&mut self, entries: &[LedgerEntry], day: NaiveDate) -> Result<(), DbErr> {
        append_rows(self.conn(), entries, day).await
    }

    async fn record_click(&mut self, click: &Click<'_>, day: NaiveDate) -> Result<Tally, DbErr> {
        // one round trip: the vote row, the ledger and the tally
        let backend = self.backend();
        let pg = backend == DatabaseBackend::Postgres;
        // a new vote has no id yet: its rows take the one this call gives it
        let (vote_id, inserted) = match click.change {
            VoteChange::Cast(_) => (None, Some(click)),
            VoteChange::Switch { id, .. } | VoteChange::Withdraw { id } => (Some(id), None),
        };
        let entries = click.entries(vote_id);
        let deltas = checked_deltas(&entries)?;
        let mut q = Sql::new(if pg { "WITH v AS (" } else { "" });
        push_vote_change(&mut q, click);
        q.push(match (pg, inserted.is_some()) {
            (true, true) => " RETURNING id)",
            (true, false) => ")",
            (false, _) => ";",
        });
        // every row is the author's: one user's totals, or none to write
        if let [totals] = per_user_totals(&entries)[..] {
            q.push(if pg { ", " } else { " " });
            one_user_ledger(&mut q, &entries, &deltas, totals, day, pg, inserted);
        }
        push_tally(&mut q, click.target, click.tally.0, click.tally.1);
        let tally = read_tally(q.build(backend), self.conn()).await?;
        metrics::counter!("nightcoder_ledger_rows_total").increment(entries.len() as u64);
        Ok(tally)
    }

    async fn vote_states(&mut self, scope: &Scope) -> Result<Vec<VoteState>, DbErr> {
        let mut q = Sql::new(
            "SELECT v.id AS vote_id, e.user_id AS author_id, \
             CAST(SUM(CASE WHEN e.source = 'vote' THEN e.delta ELSE 0 END) AS BIGINT) AS earned, \
             CAST(SUM(CASE WHEN e.source = 'vote' THEN 0 ELSE e.delta END) AS BIGINT) AS adjusted, \
             MAX(",
        );
        q.push_bind(COUNTS, [Value::from(Utc::now().fixed_offset())]);
        q.push(
            ") AS counts FROM votes v JOIN reputation_events e ON e.vote_id = v.id \
             JOIN users vu ON vu.id = v.user_id \
             LEFT JOIN questions q ON v.target_kind = 1 AND q.id = v.target_id \
             LEFT JOIN answers a ON v.target_kind = 2 AND a.id = v.target_id \
             LEFT JOIN questions aq ON aq.id = a.question_id \
             LEFT JOIN reviews r ON v.target_kind = 3 AND r.id = v.target_id WHERE ",
        );
        match scope {
            Scope::Voter(id) => {
                q.push_bind("v.user_id = ?", [Value::from(*id)]);
            }
            Scope::Targets(targets) => {
                if targets.is_empty() {
                    return Ok(Vec::new());
                }
                q.push("(");
                for (i, t) in targets.iter().enumerate() {
                    q.push(if i == 0 { "" } else { " OR " });
                    q.push_bind(
                        "(v.target_kind = ? AND v.target_id = ?)",
                        [Value::from(t.kind.code()), Value::from(t.id)],
                    );
                }
                q.push(")");
            }
        }
        q.push(" GROUP BY v.id, e.user_id ORDER BY v.id");
        let rows = StateRow::find_by_statement(q.build(self.backend()))
            .all(self.conn())
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| VoteState {
                vote_id: r.vote_id,
                author_id: r.author_id,
                earned: r.earned.unwrap_or(0),
                adjusted: r.adjusted.unwrap_or(0),
                counts: r.counts == 1,
            })
            .collect())
    }

    async fn accept_states(&mut self, answer_ids: &[i64]) -> Result<Vec<AcceptState>, DbErr> {
        if answer_ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut q = Sql::new(
            "SELECT a.id AS answer_id, a.user_id AS author_id, \
             CASE WHEN a.is_accepted AND a.deleted_at IS NULL AND q.deleted_at IS NULL AND a.user_id <> q.user_id \
             THEN 1 ELSE 0 END AS counts, \
             (SELECT CAST(SUM(e.delta) AS BIGINT) FROM reputation_events e WHERE e.target_kind = 2 \
             AND e.target_id = a.id AND e.vote_id IS NULL AND e.source IN ('accept', 'moderation')) AS net \
             FROM answers a JOIN questions q ON q.id = a.question_id WHERE a.id IN ",
        );
        q.push_in(answer_ids.iter().map(|id| Value::from(*id)));
        let rows = AcceptRow::find_by_statement(q.build(self.backend()))
            .all(self.conn())
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| AcceptState {
                answer_id: r.answer_id,
                author_id: r.author_id,
                net: r.net.unwrap_or(0),
                counts: r.counts == 1,
            })
            .collect())
    }

    async fn commit(self) -> Result<(), DbErr> {
        match self.conn {
            Conn::Owned(t) => t.commit().await,
            Conn::Borrowed(_) => Ok(()),
        }
    }
}

/// A user's cached reputation and ledger row count, moved by an increment
/// (binds: change, rows, user id).
const TOTALS: &str = "UPDATE users SET reputation = reputation + ?, ledger_rows = ledger_rows + ? \
    WHERE id = ?";
/// The user's rollup of the day, created or moved by an increment (binds:
/// user id, day, change, vote-only change).
const DAILY: &str =
    "INSERT INTO reputation_daily (user_id, day, total, vote_total) VALUES (?, ?, ?, ?) \
    ON CONFLICT (user_id, day) DO UPDATE SET total = reputation_daily.total + excluded.total, \
    vote_total = reputation_daily.vote_total + excluded.vote_total";

/// Appends ledger rows and moves the cached totals with them: the user's
/// reputation and their per-day rollup, both by atomic increments.
///
/// # Errors
/// On database errors.
pub async fn append_rows(
    db: &impl ConnectionTrait,
    entries: &[LedgerEntry],
    day: NaiveDate,
) -> Result<(), DbErr> {
    if entries.is_empty() {
        return Ok(());
    }
    let now = Utc::now().fixed_offset();
    let deltas = checked_deltas(entries)?;
    let per_user = per_user_totals(entries);
    if let [one] = per_user[..] {
        let pg = db.get_database_backend() == DatabaseBackend::Postgres;
        let mut q = Sql::new(if pg { "WITH " } else { "" });
        one_user_ledger(&mut q, entries, &deltas, one, day, pg, None);
        q.push(" SELECT 1");
        q.execute(db).await?;
        metrics::counter!("nightcoder_ledger_rows_total").increment(entries.len() as u64);
        return Ok(());
    }
    let rows = entries
        .iter()
        .zip(deltas)
        .map(|(e, delta)| reputation_events::ActiveModel {
            user_id: Set(e.user_id),
            delta: Set(delta),
            reason: Set(e.reason.as_str().to_string()),
            source: Set(e.source.as_str().to_string()),
            vote_id: Set(e.vote_id),
            target_kind: Set(e.target.map(|t| t.kind.code())),
            target_id: Set(e.target.map(|t| t.id)),
            actor_id: Set(e.actor_id),
            note: Set(e.note.clone()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        });
    reputation_events::Entity::insert_many(rows)
        .exec_without_returning(db)
        .await?;
    for (user_id, total, vote_total, rows) in per_user {
        Sql::new("")
            .push_bind(
                TOTALS,
                [Value::from(total), Value::from(rows), Value::from(user_id)],
            )
            .execute(db)
            .await?;
        Sql::new("")
            .push_bind(
                DAILY,
                [
                    Value::from(user_id),
                    Value::from(day),
                    Value::from(total),
                    Value::from(vote_total),
                ],
            )
            .execute(db)
            .await?;
    }
    metrics::counter!("nightcoder_ledger_rows_total").increment(entries.len() as u64);
    Ok(())
}

/// The deltas as stored. A delta outside i32 is a bug or an absurd
/// adjustment: refuse it rather than store a different number.
fn checked_deltas(entries: &[LedgerEntry]) -> Result<Vec<i32>, DbErr> {
    entries
        .iter()
        .map(|e| {
            i32::try_from(e.delta)
                .map_err(|_| DbErr::Custom(format!("ledger delta {} is out of range", e.delta)))
        })
        .collect()
}

/// Each user's change, vote-only change and number of rows, in id order
/// (one cached-total update per user).
fn per_user_totals(entries: &[LedgerEntry]) -> Vec<(i64, i64, i64, i64)> {
    let mut per_user: Vec<(i64, i64, i64, i64)> = Vec::new();
    for e in entries {
        let vote = if e.source == Source::Vote { e.delta } else { 0 };
        match per_user.iter_mut().find(|(u, ..)| *u == e.user_id) {
            Some(row) => {
                row.1 += e.delta;
                row.2 += vote;
                row.3 += 1;
            }
            None => per_user.push((e.user_id, e.delta, vote, 1)),
        }
    }
    per_user.sort_unstable();
    per_user
}

/// [`append_rows`] for one user (every vote) in one round trip instead of
/// three: the ledger rows, the cached reputation and the day's rollup. On
/// PostgreSQL they are clauses `e`, `u` and `d` of a WITH (the caller
/// writes `WITH` or the comma before them), on SQLite three statements of
/// one call (sqlx runs them in order, binding the values in order). The
/// caller adds the main, last statement. With `inserted`, the rows belong
/// to the vote that click inserted earlier in the same call: on
/// PostgreSQL clause `v` returns its id, on SQLite it is found by its
/// unique key.
fn one_user_ledger(
    q: &mut Sql,
    entries: &[LedgerEntry],
    deltas: &[i32],
    (user_id, total, vote_total, rows): (i64, i64, i64, i64),
    day: NaiveDate,
    pg: bool,
    inserted: Option<&Click<'_>>,
) {
    const COLUMNS: &str =
        "INSERT INTO reputation_events (user_id, delta, reason, source, vote_id, \
        target_kind, target_id, actor_id, note, created_at, updated_at) VALUES ";
    let now = Utc::now().fixed_offset();
    q.push(if pg { "e AS (" } else { "" });
    q.push(COLUMNS);
    for (i, (e, delta)) in entries.iter().zip(deltas).enumerate() {
        q.push_bind(
            if i == 0 {
                "(?, ?, ?, ?, "
            } else {
                ", (?, ?, ?, ?, "
            },
            [
                Value::from(e.user_id),
                Value::from(*delta),
                Value::from(e.reason.as_str()),
                Value::from(e.source.as_str()),
            ],
        );
        match inserted {
            None => q.push_bind("?", [Value::from(e.vote_id)]),
            Some(_) if pg => q.push("(SELECT id FROM v)"),
            Some(click) => q.push_bind(
                "(SELECT id FROM votes WHERE user_id = ? AND target_kind = ? AND target_id = ?)",
                [
                    Value::from(click.voter_id),
                    Value::from(click.target.kind.code()),
                    Value::from(click.target.id),
                ],
            ),
        };
        q.push_bind(
            ", ?, ?, ?, ?, ?, ?)",
            [
                Value::from(e.target.map(|t| t.kind.code())),
                Value::from(e.target.map(|t| t.id)),
                Value::from(e.actor_id),
                Value::from(e.note.clone()),
                Value::from(now),
                Value::from(now),
            ],
        );
    }
    q.push(if pg { "), u AS (" } else { "; " });
    q.push_bind(
        TOTALS,
        [Value::from(total), Value::from(rows), Value::from(user_id)],
    );
    q.push(if pg { "), d AS (" } else { "; " });
    q.push_bind(
        DAILY,
        [
            Value::from(user_id),
            Value::from(day),
            Value::from(total),
            Value::from(vote_total),
        ],
    );
    q.push(if pg { ")" } else { ";" });
}
