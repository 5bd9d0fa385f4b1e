//! An in-memory `VoteRepository` for the rule tests: a unit of work works
//! on a copy of the state under a lock and writes it back on commit, so it
//! behaves like a serialized transaction. Test-only; never shipped.
use std::{collections::HashMap, sync::Arc};

use chrono::NaiveDate;
use sea_orm::DbErr;
use tokio::sync::{Mutex, OwnedMutexGuard};

use crate::limits::Tick;

use super::{
    repository::{
        AcceptState, Click, LedgerEntry, Reason, Scope, Source, StoredVote, TargetInfo, VoteChange,
        VoteContext, VoteRepository, VoteState, VoteTx,
    },
    rules::VoterInfo,
    Direction, Tally, Target,
};

#[derive(Debug, Clone)]
struct User {
    reputation: i64,
    staff: bool,
    active: bool,
}

#[derive(Debug, Clone)]
struct Post {
    author: i64,
    live: bool,
    locked: bool,
    tally: Tally,
    /// An answer's question: the answer is live and open only while it is.
    parent: Option<Target>,
}

#[derive(Debug, Clone)]
struct Vote {
    id: i64,
    voter: i64,
    target: Target,
    direction: Direction,
}

#[derive(Debug, Clone)]
struct Answer {
    question_author: i64,
    author: i64,
    accepted: bool,
}

#[derive(Debug, Clone, Default)]
pub struct State {
    users: HashMap<i64, User>,
    posts: HashMap<Target, Post>,
    votes: Vec<Vote>,
    answers: HashMap<i64, Answer>,
    ledger: Vec<LedgerEntry>,
    daily_votes: HashMap<(i64, NaiveDate), i64>,
    next_vote: i64,
}

#[derive(Debug, Clone, Default)]
pub struct InMemoryVoteRepository {
    state: Arc<Mutex<State>>,
}

impl InMemoryVoteRepository {
    fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        f(&mut self.state.try_lock().expect("no unit of work is open"))
    }

    /// A user; reputation above the starting 1 is recorded as an adjustment
    /// so that the ledger explains it.
    pub fn add_user(&self, id: i64, reputation: i64, staff: bool) {
        self.with(|s| {
            s.users.insert(
                id,
                User {
                    reputation: 1,
                    staff,
                    active: true,
                },
            )
        });
        if reputation != 1 {
            self.set_reputation(id, reputation);
        }
    }

    pub fn add_post(&self, target: Target, author: i64) {
        self.with(|s| {
            s.posts.insert(
                target,
                Post {
                    author,
                    live: true,
                    locked: false,
                    tally: Tally::default(),
                    parent: None,
                },
            )
        });
    }

    /// An answer under `question` (whose deletion or lock covers it).
    pub fn add_child(&self, target: Target, author: i64, question: Target) {
        self.add_post(target, author);
        self.with(|s| s.posts.get_mut(&target).expect("post").parent = Some(question));
    }

    /// An answer for acceptance rules (also votable as a post), optionally
    /// under a question post.
    pub fn add_answer(&self, id: i64, question_author: i64, author: i64, accepted: bool) {
        self.add_post(Target::answer(id), author);
        self.with(|s| {
            s.answers.insert(
                id,
                Answer {
                    question_author,
                    author,
                    accepted,
                },
            )
        });
    }

    pub fn set_accepted(&self, id: i64, accepted: bool) {
        self.with(|s| s.answers.get_mut(&id).expect("answer").accepted = accepted);
    }

    pub fn set_live(&self, target: Target, live: bool) {
        self.with(|s| s.posts.get_mut(&target).expect("post").live = live);
    }

    pub fn set_locked(&self, target: Target, locked: bool) {
        self.with(|s| s.posts.get_mut(&target).expect("post").locked = locked);
    }

    pub fn set_active(&self, user: i64, active: bool) {
        self.with(|s| s.users.get_mut(&user).expect("user").active = active);
    }

    pub fn set_reputation(&self, user: i64, reputation: i64) {
        // a direct change must go through the ledger to stay consistent
        self.with(|s| {
            let u = s.users.get_mut(&user).expect("user");
            let delta = reputation - u.reputation;
            u.reputation = reputation;
            s.ledger.push(LedgerEntry {
                user_id: user,
                delta,
                reason: super::Reason::Moderator,
                source: Source::Adjustment,
                vote_id: None,
                target: None,
                actor_id: None,
                note: None,
            });
        });
    }

    pub fn reputation(&self, user: i64) -> i64 {
        self.with(|s| s.users[&user].reputation)
    }

    pub fn votes_on(&self, target: Target) -> usize {
        self.with(|s| s.votes.iter().filter(|v| v.target == target).count())
    }

    pub fn ledger_len(&self) -> usize {
        self.with(|s| s.ledger.len())
    }

    /// Cached totals equal 1 + the ledger; tallies equal the stored votes.
    pub fn assert_consistent(&self) {
        self.with(|s| {
            for (id, user) in &s.users {
                let sum: i64 = s
                    .ledger
                    .iter()
                    .filter(|e| e.user_id == *id)
                    .map(|e| e.delta)
                    .sum();
                assert_eq!(
                    user.reputation,
                    1 + sum,
                    "user {id}: cached total vs ledger"
                );
            }
            for (target, post) in &s.posts {
                let up = s
                    .votes
                    .iter()
                    .filter(|v| v.target == *target && v.direction == Direction::Up)
                    .count();
                let down = s
                    .votes
                    .iter()
                    .filter(|v| v.target == *target && v.direction == Direction::Down)
                    .count();
                assert_eq!(
                    (post.tally.up as usize, post.tally.down as usize),
                    (up, down),
                    "{target:?}"
                );
            }
        });
    }
}

pub struct MemTx {
    guard: OwnedMutexGuard<State>,
    staged: State,
}

impl State {
    fn effective(&self, target: Target) -> Option<(i64, bool, bool)> {
        let post = self.posts.get(&target)?;
        let parent = post.parent.and_then(|p| self.posts.get(&p));
        let live = post.live && parent.is_none_or(|p| p.live);
        let locked = post.locked || parent.is_some_and(|p| p.locked);
        Some((post.author, live, locked))
    }
}

impl VoteRepository for InMemoryVoteRepository {
    type Tx = MemTx;

    async fn begin(&self) -> Result<MemTx, DbErr> {
        let guard = self.state.clone().lock_owned().await;
        let staged = guard.clone();
        Ok(MemTx { guard, staged })
    }
}

impl VoteTx for MemTx {
    async fn target(&mut self, target: Target) -> Result<Option<TargetInfo>, DbErr> {
        Ok(self
            .staged
            .effective(target)
            .map(|(author_id, live, locked)| TargetInfo {
                author_id,
                live,
                locked,
            }))
    }

    async fn vote_context(
        &mut self,
        voter_id: i64,
        target: Target,
        author_id: i64,
        day: NaiveDate,
        _tick: Option<&Tick>,
    ) -> Result<VoteContext, DbErr> {
        let voter = self.staged.users.get(&voter_id).map(|u| VoterInfo {
            reputation: u.reputation,
            staff: u.staff,
            active: u.active,
        });
        let current = self
            .staged
            .votes
            .iter()
            .find(|v| v.voter == voter_id && v.target == target)
            .map(|v| StoredVote {
                id: v.id,
                direction: v.direction,
                net: self
                    .staged
                    .ledger
                    .iter()
                    .filter(|e| e.vote_id == Some(v.id))
                    .map(|e| e.delta)
                    .sum(),
            });
        let earlier_today = self
            .staged
            .daily_votes
            .get(&(author_id, day))
            .copied()
            .unwrap_or(0);
        Ok(VoteContext {
            voter,
            current,
            earlier_today,
            // the memory store counts no abuse limits
            ticked: None,
        })
    }

    async fn record_click(&mut self, click: &Click<'_>, day: NaiveDate) -> Result<Tally, DbErr> {
        let (voter, target) = (click.voter_id, click.target);
        let vote_id = match click.change {
            VoteChange::Cast(direction) => {
                if self
                    .staged
                    .votes
                    .iter()
                    .any(|v| v.voter == voter && v.target == target)
                {
                    return Err(DbErr::Custom("unique violation: votes_one_per_user".into()));
                }
                self.staged.next_vote += 1;
                let id = self.staged.next_vote;
                self.staged.votes.push(Vote {
                    id,
                    voter,
                    target,
                    direction,
                });
                id
            }
            VoteChange::Switch { id, to } => {
                if let Some(v) = self.staged.votes.iter_mut().find(|v| v.id == id) {
                    v.direction = to;
                }
                id
            }
            VoteChange::Withdraw { id } => {
                self.staged.votes.retain(|v| v.id != id);
                id
            }
        };
        self.append(&click.entries(Some(vote_id)), day).await?;
        let post = self
            .staged
            .posts
            .get_mut(&target)
            .ok_or(DbErr::RecordNotFound("post".into()))?;
        post.tally.up += click.tally.0;
        post.tally.down += click.tally.1;
        Ok(post.tally)
    }

    async fn lock_user(&mut self, _user_id: i64) -> Result<(), DbErr> {
        Ok(())
    }

    async fn earned(&mut self, user_id: i64, reason: Reason) -> Result<i64, DbErr> {
        Ok(self
            .staged
            .ledger
            .iter()
            .filter(|e| e.user_id == user_id && e.reason == reason)
            .map(|e| e.delta)
            .sum())
    }

    async fn append(&mut self, entries: &[LedgerEntry], day: NaiveDate) -> Result<(), DbErr> {
        for e in entries {
            self.staged
                .users
                .get_mut(&e.user_id)
                .ok_or(DbErr::RecordNotFound("user".into()))?
                .reputation += e.delta;
            if e.source == Source::Vote {
                *self.staged.daily_votes.entry((e.user_id, day)).or_default() += e.delta;
            }
            self.staged.ledger.push(e.clone());
        }
        Ok(())
    }

    async fn vote_states(&mut self, scope: &Scope) -> Result<Vec<VoteState>, DbErr> {
        let s = &self.staged;
        Ok(s.votes
            .iter()
            .filter(|v| match scope {
                Scope::Targets(targets) => targets.contains(&v.target),
                Scope::Voter(id) => v.voter == *id,
            })
            .map(|v| {
                let rows = s.ledger.iter().filter(|e| e.vote_id == Some(v.id));
                let earned = rows
                    .clone()
                    .filter(|e| e.source == Source::Vote)
                    .map(|e| e.delta)
                    .sum();
                let adjusted = rows
                    .filter(|e| e.source != Source::Vote)
                    .map(|e| e.delta)
                    .sum();
                let (author, live, _) = s.effective(v.target).expect("voted post exists");
                VoteState {
                    vote_id: v.id,
                    author_id: author,
                    earned,
                    adjusted,
                    counts: live && s.users[&v.voter].active,
                }
            })
            .collect())
    }

    async fn accept_states(&mut self, answer_ids: &[i64]) -> Result<Vec<AcceptState>, DbErr> {
        let s = &self.staged;
        Ok(answer_ids
            .iter()
            .filter_map(|id| s.answers.get(id).map(|a| (id, a)))
            .map(|(id, a)| {
                let net = s
                    .ledger
                    .iter()
                    .filter(|e| e.vote_id.is_none() && e.target == Some(Target::answer(*id)))
                    .map(|e| e.delta)
                    .sum();
                let live = s
                    .effective(Target::answer(*id))
                    .is_some_and(|(_, live, _)| live);
                AcceptState {
                    answer_id: *id,
                    author_id: a.author,
                    net,
                    counts: a.accepted && live && a.author != a.question_author,
                }
            })
            .collect())
    }

    async fn commit(mut self) -> Result<(), DbErr> {
        *self.guard = std::mem::take(&mut self.staged);
        Ok(())
    }
}
