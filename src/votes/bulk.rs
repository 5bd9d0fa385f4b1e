//! Votes for `seed:bulk`: random votes on existing posts, written with the
//! same ledger rows the service would write (daily cap included), then the
//! cached totals derived with `ledger::rebuild`.
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, FixedOffset, Utc};
use loco_rs::{app::AppContext, Result};
use rand::{rngs::SmallRng, Rng};
use sea_orm::{ConnectionTrait, FromQueryResult, TransactionTrait, Value};

use super::{ledger, Direction, Kind, Reason, Source, Votes};
use crate::db::Sql;

#[derive(FromQueryResult)]
struct Post {
    id: i64,
    user_id: i64,
}

#[derive(FromQueryResult)]
struct Accepted {
    id: i64,
    user_id: i64,
    owner: i64,
}

const CHUNK: usize = 1_000;

async fn insert<C: ConnectionTrait>(
    db: &C,
    head: &'static str,
    row: &'static str,
    width: usize,
    values: &[Value],
) -> Result<()> {
    for chunk in values.chunks(CHUNK * width) {
        let mut q = Sql::new(head);
        for (i, row_values) in chunk.chunks(width).enumerate() {
            q.push(if i == 0 { " " } else { ", " });
            q.push_bind(row, row_values.iter().cloned());
        }
        q.execute(db).await?;
    }
    Ok(())
}

/// Seeds `count` votes (plus acceptance rows) into a database that has
/// users, questions and answers but no votes yet.
///
/// # Errors
/// On database errors.
pub async fn seed_votes(
    ctx: &AppContext,
    count: usize,
    users: usize,
    rng: &mut SmallRng,
) -> Result<()> {
    let votes = Votes::get(ctx);
    let rules = votes.rules();
    let backend = ctx.db.get_database_backend();
    let questions = Post::find_by_statement(
        Sql::new("SELECT id, user_id FROM questions ORDER BY id").build(backend),
    )
    .all(&ctx.db)
    .await?;
    let answers = Post::find_by_statement(
        Sql::new("SELECT id, user_id FROM answers ORDER BY id").build(backend),
    )
    .all(&ctx.db)
    .await?;
    if questions.is_empty() || users < 2 {
        return Ok(());
    }
    let origin: DateTime<FixedOffset> = (Utc::now() - Duration::days(2 * 365)).fixed_offset();
    let span = 2 * 365 * 86_400 / i64::try_from(count.max(1)).unwrap_or(1);
    let mut seen: HashSet<(i64, i16, i64)> = HashSet::with_capacity(count);
    let mut daily: HashMap<(i64, chrono::NaiveDate), i64> = HashMap::new();
    let mut vote_rows = Vec::with_capacity(count * 6);
    let mut event_rows = Vec::with_capacity(count * 9);
    let mut id = 0i64;
    let mut attempts = 0;
    while (id as usize) < count && attempts < count * 3 {
        attempts += 1;
        let (kind, post) = if rng.random_bool(0.3) || answers.is_empty() {
            (
                Kind::Question,
                &questions[rng.random_range(0..questions.len())],
            )
        } else {
            (Kind::Answer, &answers[rng.random_range(0..answers.len())])
        };
        let voter = rng.random_range(1..=users) as i64;
        if voter == post.user_id || !seen.insert((voter, kind.code(), post.id)) {
            continue;
        }
        id += 1;
        let at = origin + Duration::seconds(span * id);
        let dir = if rng.random_bool(0.85) {
            Direction::Up
        } else {
            Direction::Down
        };
        let today = daily.entry((post.user_id, at.date_naive())).or_default();
        let applied = rules.capped(rules.points(kind, dir), *today);
        *today += applied;
        vote_rows.extend([
            Value::from(voter),
            Value::from(kind.code()),
            Value::from(post.id),
            Value::from(dir.value()),
            Value::from(at),
            Value::from(at),
        ]);
        let reason = if dir == Direction::Up {
            Reason::Upvote
        } else {
            Reason::Downvote
        };
        event_rows.extend([
            Value::from(post.user_id),
            Value::from(i32::try_from(applied).unwrap_or(0)),
            Value::from(reason.as_str()),
            Value::from(Source::Vote.as_str()),
            Value::from(id),
            Value::from(kind.code()),
            Value::from(post.id),
            Value::from(voter),
            Value::from(at),
            Value::from(at),
        ]);
    }
    let txn = ctx.db.begin().await?;
    insert(
        &txn,
        "INSERT INTO votes (user_id, target_kind, target_id, value, created_at, updated_at) VALUES",
        "(?, ?, ?, ?, ?, ?)",
        6,
        &vote_rows,
    )
    .await?;
    insert(
        &txn,
        "INSERT INTO reputation_events (user_id, delta, reason, source, vote_id, target_kind, target_id, actor_id, \
         created_at, updated_at) VALUES",
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        10,
        &event_rows,
    )
    .await?;
    // acceptance bonus of every accepted answer that is not a self-answer
    let accepted = Accepted::find_by_statement(
        Sql::new(
            "SELECT a.id, a.user_id, q.user_id AS owner FROM answers a JOIN questions q ON q.id = a.question_id \
             WHERE a.is_accepted",
        )
        .build(backend),
    )
    .all(&txn)
    .await?;
    let now = Utc::now().fixed_offset();
    let rows: Vec<Value> = accepted
        .iter()
        .filter(|a| a.user_id != a.owner)
        .flat_map(|a| {
            [
                Value::from(a.user_id),
                Value::from(i32::try_from(rules.accept()).unwrap_or(0)),
                Value::from(Reason::Accepted.as_str()),
                Value::from(Source::Accept.as_str()),
                Value::from(Kind::Answer.code()),
                Value::from(a.id),
                Value::from(a.owner),
                Value::from(now),
                Value::from(now),
            ]
        })
        .collect();
    insert(
        &txn,
        "INSERT INTO reputation_events (user_id, delta, reason, source, target_kind, target_id, actor_id, \
         created_at, updated_at) VALUES",
        "(?, ?, ?, ?, ?, ?, ?, ?, ?)",
        9,
        &rows,
    )
    .await?;
    ledger::rebuild(&txn).await?;
    txn.commit().await?;
    Ok(())
}
