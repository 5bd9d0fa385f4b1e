//! `VoteService`: the vote and reputation rules, over any repository.
use chrono::{NaiveDate, Utc};

use super::{
    repository::{
        Click, LedgerEntry, Reason, Scope, Source, VoteChange, VoteContext, VoteRepository, VoteTx,
    },
    rules::ReputationRules,
    Direction, Tally, Target, VoteError,
};
use crate::limits::Tick;

/// The result of a vote: the new tally and the voter's vote after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VoteOutcome {
    pub tally: Tally,
    pub mine: Option<Direction>,
    /// The count the store left in the tick's window (see
    /// [`VoteTx::vote_context`]); `None` when it counted none.
    pub ticked: Option<i64>,
}

/// Generic over the repository (static dispatch; `Votes` names the SQL one).
pub struct VoteService<R> {
    repo: R,
    rules: ReputationRules,
}

impl<R: VoteRepository> VoteService<R> {
    #[must_use]
    pub const fn new(repo: R, rules: ReputationRules) -> Self {
        Self { repo, rules }
    }

    #[must_use]
    pub const fn rules(&self) -> &ReputationRules {
        &self.rules
    }

    #[must_use]
    pub const fn repo(&self) -> &R {
        &self.repo
    }

    /// Votes in its own unit of work: clicking the same arrow again
    /// withdraws the vote, the other arrow switches it.
    ///
    /// # Errors
    /// `NotFound` (missing or deleted post), `Locked`, `SelfVote`,
    /// `Suspended`, `NotEnoughReputation`, or a storage error. Nothing is
    /// written on error.
    pub async fn cast(
        &self,
        voter_id: i64,
        target: Target,
        clicked: Direction,
    ) -> Result<VoteOutcome, VoteError> {
        let mut tx = self.repo.begin().await?;
        let outcome = self
            .cast_in(
                &mut tx,
                voter_id,
                target,
                clicked,
                Utc::now().date_naive(),
                None,
            )
            .await?;
        tx.commit().await?;
        metrics::counter!("nightcoder_votes_total").increment(1);
        Ok(outcome)
    }

    /// [`Self::cast`] inside an open unit of work, on UTC day `day`; the
    /// store counts `tick` (an abuse limit's hit) with the vote's reads,
    /// and rolls it back with everything else when the vote is refused.
    ///
    /// # Errors
    /// As [`Self::cast`].
    pub async fn cast_in(
        &self,
        tx: &mut impl VoteTx,
        voter_id: i64,
        target: Target,
        clicked: Direction,
        day: NaiveDate,
        tick: Option<&Tick>,
    ) -> Result<VoteOutcome, VoteError> {
        // the author is locked before the checks below: one statement
        // instead of two, and a refused vote only holds it until rollback
        let info = tx
            .target_and_author(target)
            .await?
            .ok_or(VoteError::NotFound)?;
        if !info.live {
            return Err(VoteError::NotFound);
        }
        if info.locked {
            return Err(VoteError::Locked);
        }
        if info.author_id == voter_id {
            return Err(VoteError::SelfVote);
        }
        let author = info.author_id;
        let VoteContext {
            voter,
            current,
            earlier_today,
            ticked,
        } = tx.vote_context(voter_id, target, author, day, tick).await?;
        let voter = voter.ok_or(VoteError::NotFound)?;
        if !voter.active {
            return Err(VoteError::Suspended);
        }
        let next = match current {
            Some(vote) if vote.direction == clicked => None,
            _ => Some(clicked),
        };
        if let Some(dir) = next {
            self.rules.may_vote(&voter, dir)?;
        }

        // every row a click writes is the author's and about this vote
        let mut rows: Vec<(i64, Reason)> = Vec::with_capacity(2);
        let (mut up, mut down) = (0, 0);
        let mut count = |dir: Direction, by: i32| match dir {
            Direction::Up => up += by,
            Direction::Down => down += by,
        };
        let change = match (current, next) {
            (None, None) => unreachable!("a click always changes something"),
            (None, Some(dir)) => {
                count(dir, 1);
                VoteChange::Cast(dir)
            }
            (Some(old), next) => {
                // whatever the old vote still gives goes back first
                if old.net != 0 {
                    let reason = if next.is_some() {
                        Reason::VoteChanged
                    } else {
                        Reason::VoteWithdrawn
                    };
                    rows.push((-old.net, reason));
                }
                count(old.direction, -1);
                match next {
                    Some(dir) => {
                        count(dir, 1);
                        VoteChange::Switch {
                            id: old.id,
                            to: dir,
                        }
                    }
                    None => VoteChange::Withdraw { id: old.id },
                }
            }
        };
        if let Some(dir) = next {
            let raw = self.rules.points(target.kind, dir);
            let before: i64 = rows.iter().map(|(delta, _)| delta).sum();
            let applied = self.rules.capped(raw, earlier_today + before);
            let reason = match dir {
                Direction::Up => Reason::Upvote,
                Direction::Down => Reason::Downvote,
            };
            // written even when the cap leaves 0: the history says why
            rows.push((applied, reason));
        }
        let click = Click {
            voter_id,
            target,
            author_id: author,
            change,
            rows: &rows,
            tally: (up, down),
        };
        let tally = tx.record_click(&click, day).await?;
        Ok(VoteOutcome {
            tally,
            mine: next,
            ticked,
        })
    }

    /// Brings the ledger of the votes in `scope` in line with their state:
    /// a vote counts what it earned while its voter is active and its post
    /// live, and nothing otherwise. Call it after deleting or restoring a
    /// post, or suspending or restoring a voter; it is idempotent.
    /// Returns the total change.
    ///
    /// # Errors
    /// On storage errors.
    pub async fn reconcile_votes(
        &self,
        tx: &mut impl VoteTx,
        scope: &Scope,
        reason: Reason,
        actor_id: Option<i64>,
        day: NaiveDate,
    ) -> Result<i64, VoteError> {
        let mut entries: Vec<LedgerEntry> = Vec::new();
        for state in tx.vote_states(scope).await? {
            let desired = if state.counts { state.earned } else { 0 };
            let delta = desired - (state.earned + state.adjusted);
            if delta != 0 {
                entries.push(LedgerEntry {
                    user_id: state.author_id,
                    delta,
                    reason,
                    source: Source::Moderation,
                    vote_id: Some(state.vote_id),
                    target: None,
                    actor_id,
                    note: None,
                });
            }
        }
        self.append_locked(tx, &mut entries, day).await
    }

    /// Brings the acceptance bonus of `answer_ids` in line with their state:
    /// `accept` points for an accepted, live answer on a live question that
    /// is not the asker's own, nothing otherwise. `reason` overrides the
    /// default (accepted/unaccepted by sign) for deletions.
    ///
    /// # Errors
    /// On storage errors.
    pub async fn reconcile_acceptance(
        &self,
        tx: &mut impl VoteTx,
        answer_ids: &[i64],
        reason: Option<Reason>,
        actor_id: Option<i64>,
        day: NaiveDate,
    ) -> Result<i64, VoteError> {
        let mut entries: Vec<LedgerEntry> = Vec::new();
        for state in tx.accept_states(answer_ids).await? {
            let desired = if state.counts { self.rules.accept() } else { 0 };
            let delta = desired - state.net;
            if delta != 0 {
                let (reason, source) = match reason {
                    Some(r) => (r, Source::Moderation),
                    None if delta > 0 => (Reason::Accepted, Source::Accept),
                    None => (Reason::Unaccepted, Source::Accept),
                };
                entries.push(LedgerEntry {
                    user_id: state.author_id,
                    delta,
                    reason,
                    source,
                    vote_id: None,
                    target: Some(Target::answer(state.answer_id)),
                    actor_id,
                    note: None,
                });
            }
        }
        self.append_locked(tx, &mut entries, day).await
    }

    /// A moderator's adjustment of `user_id` by `delta`, with a reason.
    ///
    /// # Errors
    /// On storage errors.
    pub async fn adjust(
        &self,
        tx: &mut impl VoteTx,
        user_id: i64,
        delta: i64,
        note: &str,
        actor_id: i64,
        day: NaiveDate,
    ) -> Result<(), VoteError> {
        let mut entries = vec![LedgerEntry {
            user_id,
            delta,
            reason: Reason::Moderator,
            source: Source::Adjustment,
            vote_id: None,
            target: None,
            actor_id: Some(actor_id),
            note: Some(note.to_string()),
        }];
        self.append_locked(tx, &mut entries, day).await?;
        Ok(())
    }

    /// `points` to `user_id` for an approved suggested edit on `target`, cut
    /// so that a lifetime of them stays within `cap`. Returns what was
    /// given.
    ///
    /// # Errors
    /// On storage errors.
    pub async fn award_suggested_edit(
        &self,
        tx: &mut impl VoteTx,
        user_id: i64,
        (points, cap): (i64, i64),
        target: Target,
        actor_id: i64,
        day: NaiveDate,
    ) -> Result<i64, VoteError> {
        tx.lock_user(user_id).await?;
        let so_far = tx.earned(user_id, Reason::SuggestedEdit).await?;
        let delta = points.min(cap - so_far).max(0);
        if delta > 0 {
            let entries = [LedgerEntry {
                user_id,
                delta,
                reason: Reason::SuggestedEdit,
                source: Source::Edit,
                vote_id: None,
                target: Some(target),
                actor_id: Some(actor_id),
                note: None,
            }];
            tx.append(&entries, day).await?;
        }
        Ok(delta)
    }

    /// Locks the users of `entries` in id order (so two units of work never
    /// wait on each other in a cycle) and appends.
    async fn append_locked(
        &self,
        tx: &mut impl VoteTx,
        entries: &mut [LedgerEntry],
        day: NaiveDate,
    ) -> Result<i64, VoteError> {
        if entries.is_empty() {
            return Ok(0);
        }
        entries.sort_by_key(|e| e.user_id);
        let mut last = None;
        for e in entries.iter() {
            if last != Some(e.user_id) {
                tx.lock_user(e.user_id).await?;
                last = Some(e.user_id);
            }
        }
        tx.append(entries, day).await?;
        Ok(entries.iter().map(|e| e.delta).sum())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{settings::ReputationSettings, votes::memory::InMemoryVoteRepository};

    const ALICE: i64 = 1; // author
    const BOB: i64 = 2;
    const CAROL: i64 = 3;
    const MOD: i64 = 4;

    fn service() -> (VoteService<InMemoryVoteRepository>, InMemoryVoteRepository) {
        let repo = InMemoryVoteRepository::default();
        repo.add_user(ALICE, 1, false);
        repo.add_user(BOB, 1, false);
        repo.add_user(CAROL, 20, false);
        repo.add_user(MOD, 1, true);
        repo.add_post(Target::answer(10), ALICE);
        repo.add_post(Target::question(20), ALICE);
        (
            VoteService::new(
                repo.clone(),
                ReputationRules::new(ReputationSettings::default()),
            ),
            repo,
        )
    }

    #[tokio::test]
    async fn an_upvote_gives_the_author_points_and_a_second_click_withdraws_it() {
        let (votes, repo) = service();
        let t = Target::answer(10);
        let out = votes.cast(BOB, t, Direction::Up).await.unwrap();
        assert_eq!((out.tally.score(), out.mine), (1, Some(Direction::Up)));
        assert_eq!(repo.reputation(ALICE), 11);
        let out = votes.cast(BOB, t, Direction::Up).await.unwrap();
        assert_eq!((out.tally.score(), out.mine), (0, None));
        assert_eq!(repo.reputation(ALICE), 1);
        repo.assert_consistent();
    }

    #[tokio::test]
    async fn the_other_arrow_switches_the_vote() {
        let (votes, repo) = service();
        let t = Target::answer(10);
        votes.cast(CAROL, t, Direction::Up).await.unwrap();
        let out = votes.cast(CAROL, t, Direction::Down).await.unwrap();
        assert_eq!(out.tally, Tally { up: 0, down: 1 });
        assert_eq!(repo.reputation(ALICE), 1 - 2);
        assert_eq!(repo.votes_on(t), 1, "one row, switched");
        repo.assert_consistent();
    }

    #[tokio::test]
    async fn no_self_votes_no_locked_or_deleted_posts() {
        let (votes, repo) = service();
        let before = repo.ledger_len();
        assert!(matches!(
            votes.cast(ALICE, Target::answer(10), Direction::Up).await,
            Err(VoteError::SelfVote)
        ));
        repo.set_locked(Target::answer(10), true);
        assert!(matches!(
            votes.cast(BOB, Target::answer(10), Direction::Up).await,
            Err(VoteError::Locked)
        ));
        repo.set_live(Target::question(20), false);
        assert!(matches!(
            votes.cast(BOB, Target::question(20), Direction::Up).await,
            Err(VoteError::NotFound)
        ));
        assert!(matches!(
            votes.cast(BOB, Target::answer(99), Direction::Up).await,
            Err(VoteError::NotFound)
        ));
        assert_eq!(repo.reputation(ALICE), 1);
        assert_eq!(repo.ledger_len(), before, "refusals write nothing");
    }

    #[tokio::test]
    async fn downvotes_need_fifteen_reputation_unless_staff() {
        let (votes, _) = service();
        let t = Target::answer(10);
        assert!(matches!(
            votes.cast(BOB, t, Direction::Down).await,
            Err(VoteError::NotEnoughReputation { needed: 15 })
        ));
        assert!(votes.cast(CAROL, t, Direction::Down).await.is_ok());
        assert!(votes.cast(MOD, t, Direction::Down).await.is_ok());
    }

    #[tokio::test]
    async fn a_low_reputation_voter_can_still_withdraw() {
        let (votes, repo) = service();
        let t = Target::answer(10);
        votes.cast(CAROL, t, Direction::Down).await.unwrap();
        repo.set_reputation(CAROL, 1);
        let out = votes.cast(CAROL, t, Direction::Down).await.unwrap();
        assert_eq!(out.mine, None);
    }

    #[tokio::test]
    async fn suspended_voters_cannot_vote() {
        let (votes, repo) = service();
        repo.set_active(BOB, false);
        assert!(matches!(
            votes.cast(BOB, Target::answer(10), Direction::Up).await,
            Err(VoteError::Suspended)
        ));
    }

    #[tokio::test]
    async fn the_daily_cap_stops_vote_income_at_200() {
        let (votes, repo) = service();
        for i in 0..25 {
            let post = Target::answer(100 + i);
            repo.add_post(post, ALICE);
            votes.cast(BOB, post, Direction::Up).await.unwrap();
        }
        assert_eq!(repo.reputation(ALICE), 1 + 200);
        // withdrawing an uncapped vote frees room, withdrawing a capped one gives nothing back
        votes
            .cast(BOB, Target::answer(124), Direction::Up)
            .await
            .unwrap();
        assert_eq!(repo.reputation(ALICE), 201, "the last vote had earned 0");
        votes
            .cast(BOB, Target::answer(100), Direction::Up)
            .await
            .unwrap();
        assert_eq!(repo.reputation(ALICE), 191);
        repo.assert_consistent();
    }

    #[tokio::test]
    async fn acceptance_gives_fifteen_once_and_self_answers_nothing() {
        let (votes, repo) = service();
        repo.add_answer(30, ALICE, BOB, true);
        let mut tx = repo_tx(&repo).await;
        let day = Utc::now().date_naive();
        votes
            .reconcile_acceptance(&mut tx, &[30], None, None, day)
            .await
            .unwrap();
        votes
            .reconcile_acceptance(&mut tx, &[30], None, None, day)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(repo.reputation(BOB), 16);
        repo.set_accepted(30, false);
        let mut tx = repo_tx(&repo).await;
        votes
            .reconcile_acceptance(&mut tx, &[30], None, None, day)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(repo.reputation(BOB), 1);
        repo.add_answer(31, ALICE, ALICE, true);
        let mut tx = repo_tx(&repo).await;
        votes
            .reconcile_acceptance(&mut tx, &[31], None, None, day)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            repo.reputation(ALICE),
            1,
            "no points for accepting one's own answer"
        );
        repo.assert_consistent();
    }

    #[tokio::test]
    async fn deleting_a_post_reverses_its_votes_and_restoring_reapplies_them() {
        let (votes, repo) = service();
        let t = Target::answer(10);
        votes.cast(BOB, t, Direction::Up).await.unwrap();
        votes.cast(CAROL, t, Direction::Down).await.unwrap();
        assert_eq!(repo.reputation(ALICE), 1 + 10 - 2);
        let day = Utc::now().date_naive();
        repo.set_live(t, false);
        let mut tx = repo_tx(&repo).await;
        votes
            .reconcile_votes(
                &mut tx,
                &Scope::Targets(vec![t]),
                Reason::PostDeleted,
                Some(MOD),
                day,
            )
            .await
            .unwrap();
        votes
            .reconcile_votes(
                &mut tx,
                &Scope::Targets(vec![t]),
                Reason::PostDeleted,
                Some(MOD),
                day,
            )
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(repo.reputation(ALICE), 1);
        repo.set_live(t, true);
        let mut tx = repo_tx(&repo).await;
        votes
            .reconcile_votes(
                &mut tx,
                &Scope::Targets(vec![t]),
                Reason::PostRestored,
                Some(MOD),
                day,
            )
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(repo.reputation(ALICE), 9);
        repo.assert_consistent();
    }

    #[tokio::test]
    async fn suspending_a_voter_reverses_their_votes_until_restored() {
        let (votes, repo) = service();
        votes
            .cast(BOB, Target::answer(10), Direction::Up)
            .await
            .unwrap();
        votes
            .cast(BOB, Target::question(20), Direction::Up)
            .await
            .unwrap();
        assert_eq!(repo.reputation(ALICE), 16);
        let day = Utc::now().date_naive();
        repo.set_active(BOB, false);
        let mut tx = repo_tx(&repo).await;
        votes
            .reconcile_votes(
                &mut tx,
                &Scope::Voter(BOB),
                Reason::VoterSuspended,
                Some(MOD),
                day,
            )
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(repo.reputation(ALICE), 1);
        // a post deleted meanwhile must not come back with the voter
        repo.set_live(Target::question(20), false);
        repo.set_active(BOB, true);
        let mut tx = repo_tx(&repo).await;
        votes
            .reconcile_votes(
                &mut tx,
                &Scope::Voter(BOB),
                Reason::VoterRestored,
                Some(MOD),
                day,
            )
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(repo.reputation(ALICE), 11);
        repo.assert_consistent();
    }

    async fn repo_tx(
        repo: &InMemoryVoteRepository,
    ) -> <InMemoryVoteRepository as VoteRepository>::Tx {
        repo.begin().await.unwrap()
    }
}
