//! Votes and reputation: the one module with repository and service traits
//! (house style §8.7), because its rules are stateful and branchy and are
//! worth testing in microseconds against an in-memory repository.
//!
//! * [`rules`] — `ReputationRules`, the points and thresholds from config.
//! * [`repository`] — the storage port: `VoteRepository` opens a unit of
//!   work (`VoteTx`) in which every read locks what it will change.
//! * [`service`] — `VoteService`: toggle, switch, self-vote, locked and
//!   deleted targets, privileges, the daily cap, and reconciliation of the
//!   ledger after deletions and suspensions.
//! * [`sql`] — the sea-orm repository (production); `memory` the fake.
//! * [`ledger`] — read side: history pages, leaderboards, integrity checks.
//!
//! Owns the tables `votes`, `reputation_events` (the ledger) and
//! `reputation_daily`, and the pages `/…/{id}/vote` (one handler for
//! questions, answers and reviews), `/leaderboard` and
//! `/users/{name}/reputation`. Offers the other modules [`Votes`] (the
//! service), the `*_changed` hooks the forum, reviews and moderation call
//! inside their transactions, [`viewer_votes`] and [`ledger`].
use std::{collections::HashMap, sync::Arc};

use loco_rs::app::AppContext;
use sea_orm::{ConnectionTrait, DbErr, FromQueryResult, Value};
use serde::Serialize;

pub mod bulk;
mod handlers;
pub mod ledger;
#[cfg(test)]
mod memory;
#[cfg(test)]
mod proptests;
pub mod repository;
pub mod rules;
pub mod service;
pub mod sql;
mod views;

pub use handlers::routes;
pub use repository::{Reason, Scope, Source};
pub use rules::ReputationRules;
pub use service::{VoteOutcome, VoteService};
pub use sql::{SqlTx, SqlVoteRepository};

use crate::db::Sql;

/// What production code names.
pub type Votes = VoteService<SqlVoteRepository>;

/// Kinds of vote targets, as stored in `votes.target_kind`.
pub const QUESTION: i16 = 1;
pub const ANSWER: i16 = 2;
pub const REVIEW: i16 = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Question,
    Answer,
    Review,
}

impl Kind {
    #[must_use]
    pub const fn code(self) -> i16 {
        match self {
            Self::Question => QUESTION,
            Self::Answer => ANSWER,
            Self::Review => REVIEW,
        }
    }

    #[must_use]
    pub const fn from_code(code: i16) -> Option<Self> {
        match code {
            QUESTION => Some(Self::Question),
            ANSWER => Some(Self::Answer),
            REVIEW => Some(Self::Review),
            _ => None,
        }
    }
}

/// A post that can be voted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Target {
    pub kind: Kind,
    pub id: i64,
}

impl Target {
    #[must_use]
    pub const fn question(id: i64) -> Self {
        Self {
            kind: Kind::Question,
            id,
        }
    }

    #[must_use]
    pub const fn answer(id: i64) -> Self {
        Self {
            kind: Kind::Answer,
            id,
        }
    }

    #[must_use]
    pub const fn review(id: i64) -> Self {
        Self {
            kind: Kind::Review,
            id,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    Up,
    Down,
}

impl Direction {
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "up" => Some(Self::Up),
            "down" => Some(Self::Down),
            _ => None,
        }
    }

    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Up => "up",
            Self::Down => "down",
        }
    }

    #[must_use]
    pub const fn value(self) -> i16 {
        match self {
            Self::Up => 1,
            Self::Down => -1,
        }
    }

    #[must_use]
    pub const fn from_value(v: i16) -> Self {
        if v > 0 {
            Self::Up
        } else {
            Self::Down
        }
    }
}

/// Up and down counts of a post.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub up: i32,
    pub down: i32,
}

impl Tally {
    #[must_use]
    pub const fn score(self) -> i32 {
        self.up - self.down
    }
}

/// Why a vote was refused.
#[derive(Debug, thiserror::Error)]
pub enum VoteError {
    #[error("no such post")]
    NotFound,
    #[error("own post")]
    SelfVote,
    #[error("locked post")]
    Locked,
    #[error("suspended voter")]
    Suspended,
    #[error("needs {needed} reputation")]
    NotEnoughReputation { needed: i64 },
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl VoteError {
    /// The Fluent key of the message shown to the voter.
    #[must_use]
    pub const fn key(&self) -> &'static str {
        match self {
            Self::NotFound => "vote-error-not-found",
            Self::SelfVote => "vote-error-own",
            Self::Locked => "vote-error-locked",
            Self::Suspended => "vote-error-suspended",
            Self::NotEnoughReputation { .. } => "vote-error-reputation",
            Self::Db(_) => "error-500-message",
        }
    }
}

impl Votes {
    /// The service stored in the shared store at boot.
    ///
    /// # Panics
    /// When called before `after_context` stored it (a wiring bug).
    #[must_use]
    pub fn get(ctx: &AppContext) -> Arc<Self> {
        ctx.shared_store
            .get::<Arc<Self>>()
            .expect("the vote service is stored in after_context")
    }
}

#[derive(Debug, FromQueryResult)]
struct PostAddress {
    id: i64,
    question_id: i64,
    slug: String,
}

/// The page that shows post `target` (with the answer's anchor); `None`
/// when it does not exist. Deleted posts count: staff still see them.
///
/// # Errors
/// On database errors.
pub async fn post_url(db: &impl ConnectionTrait, target: Target) -> Result<Option<String>, DbErr> {
    let mut q = match target.kind {
        Kind::Question => {
            Sql::new("SELECT id, id AS question_id, slug FROM questions WHERE id = ?")
        }
        Kind::Answer => Sql::new(
            "SELECT a.id, q.id AS question_id, q.slug FROM answers a \
             JOIN questions q ON q.id = a.question_id WHERE a.id = ?",
        ),
        Kind::Review => {
            Sql::new("SELECT id, id AS question_id, '' AS slug FROM reviews WHERE id = ?")
        }
    };
    q.push_bind("", [Value::from(target.id)]);
    let found = PostAddress::find_by_statement(q.build(db.get_database_backend()))
        .one(db)
        .await?;
    Ok(found.map(|p| match target.kind {
        Kind::Question => format!("/questions/{}/{}", p.id, p.slug),
        Kind::Answer => format!("/questions/{}/{}#answer-{}", p.question_id, p.slug, p.id),
        Kind::Review => format!("/reviews/{}", p.id),
    }))
}

/// Where a non-JavaScript vote (or a flag) returns to.
///
/// # Errors
/// On database errors.
pub async fn back_url(db: &impl ConnectionTrait, target: Target) -> Result<String, DbErr> {
    Ok(match target.kind {
        // the review id is all it takes: no query
        Kind::Review => format!("/reviews/{}#review", target.id),
        Kind::Question => post_url(db, target)
            .await?
            .map_or_else(|| "/questions".to_string(), |url| format!("{url}#question")),
        Kind::Answer => post_url(db, target)
            .await?
            .unwrap_or_else(|| "/questions".to_string()),
    })
}

#[derive(Debug, FromQueryResult)]
struct MyVote {
    target_kind: i16,
    target_id: i64,
    value: i16,
}

/// The viewer's votes on a page's posts: (kind, id) → "up"/"down". One
/// query, none for anonymous viewers.
///
/// # Errors
/// On database errors.
pub async fn viewer_votes(
    db: &impl ConnectionTrait,
    viewer: Option<i64>,
    targets: &[(i16, i64)],
) -> Result<HashMap<(i16, i64), &'static str>, DbErr> {
    let mut out = HashMap::new();
    let Some(viewer) = viewer else {
        return Ok(out);
    };
    if targets.is_empty() {
        return Ok(out);
    }
    let mut q = Sql::new("SELECT target_kind, target_id, value FROM votes WHERE user_id = ?");
    q.push_bind("", [Value::from(viewer)])
        .push(" AND target_id IN ");
    q.push_in(targets.iter().map(|(_, id)| Value::from(*id)));
    for row in MyVote::find_by_statement(q.build(db.get_database_backend()))
        .all(db)
        .await?
    {
        if targets.contains(&(row.target_kind, row.target_id)) {
            out.insert(
                (row.target_kind, row.target_id),
                Direction::from_value(row.value).as_str(),
            );
        }
    }
    Ok(out)
}

/// Where only the database can fail (reconciling, adjusting), a vote error
/// is a database error.
impl From<VoteError> for DbErr {
    fn from(err: VoteError) -> Self {
        match err {
            VoteError::Db(e) => e,
            other => Self::Custom(other.to_string()),
        }
    }
}

fn to_db(err: VoteError) -> DbErr {
    err.into()
}

fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

/// After the forum moved `is_accepted` flags (accept, un-accept, moving the
/// mark, deleting an accepted answer): the acceptance bonus follows, in the
/// forum's transaction.
///
/// # Errors
/// On database errors.
pub async fn acceptance_changed(
    votes: &Votes,
    txn: &sea_orm::DatabaseTransaction,
    answer_ids: &[i64],
    actor_id: i64,
) -> Result<(), DbErr> {
    let mut tx = SqlTx::borrowed(txn);
    votes
        .reconcile_acceptance(&mut tx, answer_ids, None, Some(actor_id), today())
        .await
        .map(|_| ())
        .map_err(to_db)
}

/// A suggested edit of `target` by `user_id` was approved by `actor_id`:
/// its points go through the ledger in the forum's transaction, within the
/// lifetime cap. Returns the points given.
///
/// # Errors
/// On database errors.
pub async fn suggested_edit_approved(
    votes: &Votes,
    txn: &sea_orm::DatabaseTransaction,
    user_id: i64,
    target: Target,
    actor_id: i64,
) -> Result<i64, DbErr> {
    let settings = votes.rules().settings();
    let award = (settings.suggested_edit, settings.suggested_edit_cap);
    let mut tx = SqlTx::borrowed(txn);
    votes
        .award_suggested_edit(&mut tx, user_id, award, target, actor_id, today())
        .await
        .map_err(to_db)
}

/// After a question was deleted or restored: the votes on it and on its
/// answers, and its acceptance bonus, count only while it is live.
///
/// # Errors
/// On database errors.
pub async fn question_visibility_changed(
    votes: &Votes,
    txn: &sea_orm::DatabaseTransaction,
    question_id: i64,
    reason: Reason,
    actor_id: i64,
) -> Result<(), DbErr> {
    #[derive(FromQueryResult)]
    struct Id {
        id: i64,
    }
    let mut q = Sql::new("SELECT id FROM answers WHERE question_id = ?");
    q.push_bind("", [Value::from(question_id)]);
    let answers: Vec<i64> = Id::find_by_statement(q.build(txn.get_database_backend()))
        .all(txn)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect();
    let mut targets = vec![Target::question(question_id)];
    targets.extend(answers.iter().map(|id| Target::answer(*id)));
    let mut tx = SqlTx::borrowed(txn);
    votes
        .reconcile_votes(
            &mut tx,
            &Scope::Targets(targets),
            reason,
            Some(actor_id),
            today(),
        )
        .await
        .map_err(to_db)?;
    votes
        .reconcile_acceptance(&mut tx, &answers, Some(reason), Some(actor_id), today())
        .await
        .map_err(to_db)?;
    Ok(())
}

/// After a single post (answer or review) was deleted or restored.
///
/// # Errors
/// On database errors.
pub async fn post_visibility_changed(
    votes: &Votes,
    txn: &sea_orm::DatabaseTransaction,
    target: Target,
    reason: Reason,
    actor_id: i64,
) -> Result<(), DbErr> {
    let mut tx = SqlTx::borrowed(txn);
    votes
        .reconcile_votes(
            &mut tx,
            &Scope::Targets(vec![target]),
            reason,
            Some(actor_id),
            today(),
        )
        .await
        .map(|_| ())
        .map_err(to_db)
}

/// After a voter was suspended, deleted or restored: their votes count only
/// while they are active.
///
/// # Errors
/// On database errors.
pub async fn voter_status_changed(
    votes: &Votes,
    txn: &sea_orm::DatabaseTransaction,
    voter_id: i64,
    reason: Reason,
    actor_id: Option<i64>,
) -> Result<(), DbErr> {
    let mut tx = SqlTx::borrowed(txn);
    votes
        .reconcile_votes(&mut tx, &Scope::Voter(voter_id), reason, actor_id, today())
        .await
        .map(|_| ())
        .map_err(to_db)
}
