//! The storage port of the votes module.
//!
//! `VoteRepository::begin` opens a unit of work; everything a rule needs is
//! read and written through it and becomes visible only at `commit`. The
//! SQL implementation is one database transaction in which reads of the
//! target and of the author lock those rows (PostgreSQL) or run under
//! SQLite's `BEGIN IMMEDIATE`, so concurrent votes apply one after the
//! other and cached counters are only ever incremented, never recomputed
//! from a stale read.
use std::future::Future;

use chrono::NaiveDate;
use sea_orm::DbErr;

use crate::limits::Tick;

use super::{rules::VoterInfo, Direction, Tally, Target};

/// Why a ledger row exists; stored as text, shown through Fluent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reason {
    Upvote,
    Downvote,
    VoteWithdrawn,
    VoteChanged,
    Accepted,
    Unaccepted,
    PostDeleted,
    PostRestored,
    VoterSuspended,
    VoterRestored,
    Moderator,
    /// An approved suggested edit (capped over a user's lifetime).
    SuggestedEdit,
}

impl Reason {
    pub const ALL: [Self; 12] = [
        Self::Upvote,
        Self::Downvote,
        Self::VoteWithdrawn,
        Self::VoteChanged,
        Self::Accepted,
        Self::Unaccepted,
        Self::PostDeleted,
        Self::PostRestored,
        Self::VoterSuspended,
        Self::VoterRestored,
        Self::Moderator,
        Self::SuggestedEdit,
    ];

    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Upvote => "upvote",
            Self::Downvote => "downvote",
            Self::VoteWithdrawn => "vote_withdrawn",
            Self::VoteChanged => "vote_changed",
            Self::Accepted => "accepted",
            Self::Unaccepted => "unaccepted",
            Self::PostDeleted => "post_deleted",
            Self::PostRestored => "post_restored",
            Self::VoterSuspended => "voter_suspended",
            Self::VoterRestored => "voter_restored",
            Self::Moderator => "moderator",
            Self::SuggestedEdit => "suggested_edit",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// Which rule produced a row. Only `Vote` rows count towards the daily cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    Vote,
    Accept,
    Moderation,
    Adjustment,
    /// Curation: approved suggested edits.
    Edit,
}

impl Source {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Vote => "vote",
            Self::Accept => "accept",
            Self::Moderation => "moderation",
            Self::Adjustment => "adjustment",
            Self::Edit => "edit",
        }
    }
}

/// One append-only row of the reputation ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerEntry {
    pub user_id: i64,
    pub delta: i64,
    pub reason: Reason,
    pub source: Source,
    pub vote_id: Option<i64>,
    pub target: Option<Target>,
    pub actor_id: Option<i64>,
    pub note: Option<String>,
}

/// What a click does to the voter's vote row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoteChange {
    /// A first vote on the post.
    Cast(Direction),
    /// The other arrow: vote `id` turns to `to`.
    Switch { id: i64, to: Direction },
    /// The same arrow again: vote `id` goes.
    Withdraw { id: i64 },
}

/// Everything one click writes, as the rules decided it: the vote row, the
/// author's ledger rows (every one about this vote) and the change to the
/// post's up and down counts.
#[derive(Debug, Clone, Copy)]
pub struct Click<'a> {
    pub voter_id: i64,
    pub target: Target,
    pub author_id: i64,
    pub change: VoteChange,
    /// The author's rows, in order: (delta, reason).
    pub rows: &'a [(i64, Reason)],
    /// Added to the post's (up, down) counts.
    pub tally: (i32, i32),
}

impl Click<'_> {
    /// The rows as ledger entries of vote `vote_id` (`None`: a vote the
    /// store inserts in the same call names them).
    #[must_use]
    pub fn entries(&self, vote_id: Option<i64>) -> Vec<LedgerEntry> {
        self.rows
            .iter()
            .map(|&(delta, reason)| LedgerEntry {
                user_id: self.author_id,
                delta,
                reason,
                source: Source::Vote,
                vote_id,
                target: Some(self.target),
                actor_id: Some(self.voter_id),
                note: None,
            })
            .collect()
    }
}

/// A post as the vote rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TargetInfo {
    pub author_id: i64,
    /// Not deleted (nor, for an answer, its question).
    pub live: bool,
    /// Locked (for an answer: its question is).
    pub locked: bool,
}

/// A stored vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredVote {
    pub id: i64,
    pub direction: Direction,
    /// What the vote gives its author now, by the ledger.
    pub net: i64,
}

/// What a vote reads once its post and author are locked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VoteContext {
    /// None: no such user.
    pub voter: Option<VoterInfo>,
    /// The voter's current vote on the post.
    pub current: Option<StoredVote>,
    /// The author's vote income today before this vote.
    pub earlier_today: i64,
    /// The count the read's [`Tick`] left in its window; `None` when no
    /// tick was given or the store counts none (the in-memory store).
    pub ticked: Option<i64>,
}

/// Whose votes to reconcile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every vote on these posts.
    Targets(Vec<Target>),
    /// Every vote this user cast.
    Voter(i64),
}

/// The ledger state of one vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VoteState {
    pub vote_id: i64,
    /// The post's author: every row of a vote is theirs.
    pub author_id: i64,
    /// What the vote rules gave (rows from `Source::Vote`).
    pub earned: i64,
    /// What deletions, restorations and suspensions added since.
    pub adjusted: i64,
    /// True when the voter is active and the post is live: only then does
    /// the vote count.
    pub counts: bool,
}

/// The ledger state of one answer's acceptance bonus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AcceptState {
    pub answer_id: i64,
    pub author_id: i64,
    /// Sum of the acceptance rows of this answer.
    pub net: i64,
    /// Accepted, live, on a live question, and not a self-answer.
    pub counts: bool,
}

/// Opens units of work.
pub trait VoteRepository: Send + Sync {
    type Tx: VoteTx;

    fn begin(&self) -> impl Future<Output = Result<Self::Tx, DbErr>> + Send;
}

/// One unit of work: reads lock, writes are visible after `commit`.
pub trait VoteTx: Send {
    /// The post, locked for the rest of the unit.
    fn target(
        &mut self,
        target: Target,
    ) -> impl Future<Output = Result<Option<TargetInfo>, DbErr>> + Send;
    /// The post, and its author too when there is one, locked for the rest
    /// of the unit in that order. A store that can take both locks at once
    /// (PostgreSQL, in one statement) overrides this.
    fn target_and_author(
        &mut self,
        target: Target,
    ) -> impl Future<Output = Result<Option<TargetInfo>, DbErr>> + Send {
        async move {
            let info = self.target(target).await?;
            if let Some(info) = &info {
                self.lock_user(info.author_id).await?;
            }
            Ok(info)
        }
    }
    /// The voter (none: no such user), their current vote on `target` and
    /// `author_id`'s vote income on `day` so far (the cap's input). Call it
    /// once the target and the author are locked: clicks on one post must
    /// see each other's votes, and votes for one author each other's
    /// income. On PostgreSQL a statement that waits for a lock still reads
    /// the other rows as they were when it began, so this read must not
    /// wait for a lock on anything it reads. A SQL store also counts `tick`
    /// (the voter's daily vote limit) in the same round trip: that row can
    /// only be held by another vote of the same voter, which by then holds
    /// a different post and author and writes nothing this read reads.
    fn vote_context(
        &mut self,
        voter_id: i64,
        target: Target,
        author_id: i64,
        day: NaiveDate,
        tick: Option<&Tick>,
    ) -> impl Future<Output = Result<VoteContext, DbErr>> + Send;
    /// Writes a click: the vote row, the ledger rows and the tally
    /// (on SQL stores in one round trip). Returns the post's new tally.
    fn record_click(
        &mut self,
        click: &Click<'_>,
        day: NaiveDate,
    ) -> impl Future<Output = Result<Tally, DbErr>> + Send;
    /// Locks a user's row (their reputation and daily totals change next).
    fn lock_user(&mut self, user_id: i64) -> impl Future<Output = Result<(), DbErr>> + Send;
    /// Everything `user_id` ever got for `reason` (a lifetime cap's input).
    fn earned(
        &mut self,
        user_id: i64,
        reason: Reason,
    ) -> impl Future<Output = Result<i64, DbErr>> + Send;
    /// Appends rows and moves the cached totals with them.
    fn append(
        &mut self,
        entries: &[LedgerEntry],
        day: NaiveDate,
    ) -> impl Future<Output = Result<(), DbErr>> + Send;
    fn vote_states(
        &mut self,
        scope: &Scope,
    ) -> impl Future<Output = Result<Vec<VoteState>, DbErr>> + Send;
    fn accept_states(
        &mut self,
        answer_ids: &[i64],
    ) -> impl Future<Output = Result<Vec<AcceptState>, DbErr>> + Send;
    fn commit(self) -> impl Future<Output = Result<(), DbErr>> + Send;
}
