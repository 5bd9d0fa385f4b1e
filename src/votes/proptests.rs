//! Farming is impossible: random sequences of votes, withdrawals,
//! switches, accept/un-accept loops, self-answers, deletions, restorations,
//! suspensions and re-posted content never create points the ledger cannot
//! explain. After every step the cached totals equal the ledger, and every
//! total equals what the rules say the current state is worth.
use std::collections::HashMap;

use chrono::NaiveDate;
use proptest::prelude::*;

use super::{
    memory::InMemoryVoteRepository,
    repository::{Reason, Scope, VoteRepository, VoteTx},
    rules::ReputationRules,
    service::VoteService,
    Direction, Kind, Target,
};
use crate::settings::ReputationSettings;

const USERS: i64 = 5;

#[derive(Debug, Clone)]
enum Action {
    Vote { voter: i64, post: usize, up: bool },
    Accept { answer: usize },
    Delete { post: usize },
    Restore { post: usize },
    Suspend { user: i64 },
    Reinstate { user: i64 },
    Repost { post: usize },
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        6 => (1..=USERS, 0..8usize, any::<bool>()).prop_map(|(voter, post, up)| Action::Vote { voter, post, up }),
        3 => (0..8usize).prop_map(|answer| Action::Accept { answer }),
        1 => (0..8usize).prop_map(|post| Action::Delete { post }),
        1 => (0..8usize).prop_map(|post| Action::Restore { post }),
        1 => (1..=USERS).prop_map(|user| Action::Suspend { user }),
        1 => (1..=USERS).prop_map(|user| Action::Reinstate { user }),
        1 => (0..8usize).prop_map(|post| Action::Repost { post }),
    ]
}

#[derive(Debug, Clone)]
struct Post {
    target: Target,
    author: i64,
    /// For answers: the question's author (whose question it answers).
    question_author: i64,
    live: bool,
}

/// The world as the test sees it, to compute what reputation should be.
struct World {
    posts: Vec<Post>,
    active: HashMap<i64, bool>,
    accepted: Option<usize>,
    votes: HashMap<(i64, Target), Direction>,
    next_id: i64,
}

impl World {
    fn new(repo: &InMemoryVoteRepository) -> Self {
        let mut w = Self {
            posts: Vec::new(),
            active: HashMap::new(),
            accepted: None,
            votes: HashMap::new(),
            next_id: 100,
        };
        for user in 1..=USERS {
            // every second user starts with enough reputation to vote down
            repo.add_user(user, if user % 2 == 0 { 40 } else { 1 }, user == USERS);
            w.active.insert(user, true);
        }
        // one question by user 1 and its answers, one of them a self-answer
        for (i, author) in [1, 2, 3, 1, 4, 5, 2, 3].into_iter().enumerate() {
            w.add_post(repo, i, author);
        }
        w
    }

    fn add_post(&mut self, repo: &InMemoryVoteRepository, slot: usize, author: i64) {
        self.next_id += 1;
        let post = if slot == 0 {
            repo.add_post(Target::question(self.next_id), author);
            Post {
                target: Target::question(self.next_id),
                author,
                question_author: author,
                live: true,
            }
        } else {
            repo.add_answer(self.next_id, 1, author, false);
            // answers live under the question of slot 0
            repo.add_child(Target::answer(self.next_id), author, self.posts[0].target);
            Post {
                target: Target::answer(self.next_id),
                author,
                question_author: 1,
                live: true,
            }
        };
        if slot < self.posts.len() {
            self.posts[slot] = post;
        } else {
            self.posts.push(post);
        }
    }

    /// Reputation each user should have in the current state, without the
    /// daily cap: 1, the starting adjustments, the votes that count and the
    /// acceptance bonus that counts.
    fn expected(&self, rules: &ReputationRules, starting: &HashMap<i64, i64>) -> HashMap<i64, i64> {
        let mut rep: HashMap<i64, i64> = starting.clone();
        let question_live = self.posts[0].live;
        for ((voter, target), dir) in &self.votes {
            let Some(post) = self.posts.iter().find(|p| p.target == *target) else {
                continue;
            };
            let live = post.live && (post.target.kind == Kind::Question || question_live);
            if live && self.active[voter] {
                *rep.get_mut(&post.author).unwrap() += rules.points(target.kind, *dir);
            }
        }
        if let Some(slot) = self.accepted {
            let post = &self.posts[slot];
            if post.live && post.author != post.question_author && self.posts[0].live {
                *rep.get_mut(&post.author).unwrap() += rules.accept();
            }
        }
        rep
    }
}

fn run(actions: &[Action], cap: i64) -> Result<(), TestCaseError> {
    let settings = ReputationSettings {
        daily_vote_cap: cap,
        ..ReputationSettings::default()
    };
    let rules = ReputationRules::new(settings);
    let repo = InMemoryVoteRepository::default();
    let service = VoteService::new(repo.clone(), rules.clone());
    let mut world = World::new(&repo);
    let starting: HashMap<i64, i64> = (1..=USERS).map(|u| (u, repo.reputation(u))).collect();
    let day = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    rt.block_on(async {
        for action in actions {
            match action.clone() {
                Action::Vote { voter, post, up } => {
                    let target = world.posts[post].target;
                    let dir = if up { Direction::Up } else { Direction::Down };
                    let mut tx = repo.begin().await.unwrap();
                    if service
                        .cast_in(&mut tx, voter, target, dir, day, None)
                        .await
                        .is_ok()
                    {
                        tx.commit().await.unwrap();
                        let key = (voter, target);
                        if world.votes.get(&key) == Some(&dir) {
                            world.votes.remove(&key);
                        } else {
                            world.votes.insert(key, dir);
                        }
                    }
                }
                Action::Accept { answer } => {
                    if answer == 0 || !world.posts[answer].live || !world.posts[0].live {
                        continue;
                    }
                    let mut touched = vec![world.posts[answer].target.id];
                    if world.accepted == Some(answer) {
                        world.accepted = None;
                        repo.set_accepted(touched[0], false);
                    } else {
                        if let Some(old) = world.accepted {
                            repo.set_accepted(world.posts[old].target.id, false);
                            touched.push(world.posts[old].target.id);
                        }
                        world.accepted = Some(answer);
                        repo.set_accepted(touched[0], true);
                    }
                    let mut tx = repo.begin().await.unwrap();
                    service
                        .reconcile_acceptance(&mut tx, &touched, None, Some(1), day)
                        .await
                        .unwrap();
                    tx.commit().await.unwrap();
                }
                Action::Delete { post } | Action::Restore { post } => {
                    let live = matches!(action, Action::Restore { .. });
                    world.posts[post].live = live;
                    let target = world.posts[post].target;
                    repo.set_live(target, live);
                    let reason = if live {
                        Reason::PostRestored
                    } else {
                        Reason::PostDeleted
                    };
                    let _ = target;
                    // like the forum: a question's deletion covers its answers
                    let all: Vec<Target> = world.posts.iter().map(|p| p.target).collect();
                    let mut tx = repo.begin().await.unwrap();
                    service
                        .reconcile_votes(&mut tx, &Scope::Targets(all), reason, Some(USERS), day)
                        .await
                        .unwrap();
                    let answers: Vec<i64> = world
                        .posts
                        .iter()
                        .filter(|p| p.target.kind == Kind::Answer)
                        .map(|p| p.target.id)
                        .collect();
                    service
                        .reconcile_acceptance(&mut tx, &answers, Some(reason), Some(USERS), day)
                        .await
                        .unwrap();
                    tx.commit().await.unwrap();
                }
                Action::Suspend { user } | Action::Reinstate { user } => {
                    let active = matches!(action, Action::Reinstate { .. });
                    world.active.insert(user, active);
                    repo.set_active(user, active);
                    let reason = if active {
                        Reason::VoterRestored
                    } else {
                        Reason::VoterSuspended
                    };
                    let mut tx = repo.begin().await.unwrap();
                    service
                        .reconcile_votes(&mut tx, &Scope::Voter(user), reason, Some(USERS), day)
                        .await
                        .unwrap();
                    tx.commit().await.unwrap();
                }
                Action::Repost { post } => {
                    // delete, then post the same thing again as a new post
                    if post == 0 {
                        continue;
                    }
                    let old = world.posts[post].clone();
                    repo.set_live(old.target, false);
                    if world.accepted == Some(post) {
                        repo.set_accepted(old.target.id, false);
                        world.accepted = None;
                    }
                    let mut tx = repo.begin().await.unwrap();
                    service
                        .reconcile_votes(
                            &mut tx,
                            &Scope::Targets(vec![old.target]),
                            Reason::PostDeleted,
                            Some(USERS),
                            day,
                        )
                        .await
                        .unwrap();
                    service
                        .reconcile_acceptance(
                            &mut tx,
                            &[old.target.id],
                            Some(Reason::PostDeleted),
                            Some(USERS),
                            day,
                        )
                        .await
                        .unwrap();
                    tx.commit().await.unwrap();
                    world.votes.retain(|(_, t), _| *t != old.target);
                    world.add_post(&repo, post, old.author);
                }
            }
            repo.assert_consistent();
            if cap >= 1_000_000 {
                let expected = world.expected(&rules, &starting);
                for user in 1..=USERS {
                    prop_assert_eq!(
                        repo.reputation(user),
                        expected[&user],
                        "user {} after {:?}",
                        user,
                        action
                    );
                }
            }
        }
        Ok(())
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn totals_always_equal_the_ledger_and_the_rules(actions in prop::collection::vec(action(), 1..60)) {
        run(&actions, 1_000_000)?;
    }

    #[test]
    fn with_the_daily_cap_totals_still_equal_the_ledger(actions in prop::collection::vec(action(), 1..60)) {
        run(&actions, 12)?;
    }
}
