//! The ledger on the real database: random sequences of votes, accepts,
//! deletions, re-posts and suspensions through the production code paths.
//! After every step `reputation:verify` passes and every total equals what
//! the rules say the current state is worth.
use std::collections::HashMap;

use chrono::{Duration, Utc};
use nightcoder::{
    db::entities::{answers as answer_rows, questions as question_rows},
    forum::{answers, questions},
    settings::ReputationSettings,
    users,
    votes::{Direction, Reason, ReputationRules, SqlVoteRepository, Target, VoteService, Votes},
};
use rand::{rngs::SmallRng, Rng, SeedableRng};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};

use crate::support::TestApp;

const USERS: usize = 5;

/// What reputation should be now: votes that count (active voter, live
/// post) and acceptance bonuses that count, from the tables themselves.
async fn expected(app: &TestApp, rules: &ReputationRules) -> HashMap<i64, i64> {
    let db = &app.ctx.db;
    let now = Utc::now();
    let users: HashMap<i64, users::Model> = users::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let qs: HashMap<i64, question_rows::Model> = question_rows::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|q| (q.id, q))
        .collect();
    let ans: HashMap<i64, answer_rows::Model> = answer_rows::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let mut rep: HashMap<i64, i64> = users.keys().map(|id| (*id, 1)).collect();
    for v in nightcoder::db::entities::votes::Entity::find()
        .all(db)
        .await
        .unwrap()
    {
        let voter = &users[&v.user_id];
        if !voter.can_log_in(now) {
            continue;
        }
        let (author, live, kind) = match v.target_kind {
            1 => {
                let q = &qs[&v.target_id];
                (
                    q.user_id,
                    q.deleted_at.is_none(),
                    nightcoder::votes::Kind::Question,
                )
            }
            _ => {
                let a = &ans[&v.target_id];
                (
                    a.user_id,
                    a.deleted_at.is_none() && qs[&a.question_id].deleted_at.is_none(),
                    nightcoder::votes::Kind::Answer,
                )
            }
        };
        if live {
            *rep.get_mut(&author).unwrap() += rules.points(kind, Direction::from_value(v.value));
        }
    }
    for a in ans.values() {
        let q = &qs[&a.question_id];
        if a.is_accepted
            && a.deleted_at.is_none()
            && q.deleted_at.is_none()
            && a.user_id != q.user_id
        {
            *rep.get_mut(&a.user_id).unwrap() += rules.accept();
        }
    }
    rep
}

async fn set_suspended(app: &TestApp, votes: &Votes, user: &users::Model, suspended: bool) {
    let txn = nightcoder::db::write_txn(&app.ctx.db).await.unwrap();
    let mut active: users::ActiveModel = app.reload_user(user.id).await.into();
    active.suspended_until =
        Set(suspended.then(|| (Utc::now() + Duration::days(2)).fixed_offset()));
    active.update(&txn).await.unwrap();
    let reason = if suspended {
        Reason::VoterSuspended
    } else {
        Reason::VoterRestored
    };
    nightcoder::votes::voter_status_changed(votes, &txn, user.id, reason, Some(user.id))
        .await
        .unwrap();
    txn.commit().await.unwrap();
}

#[tokio::test]
async fn random_histories_keep_the_ledger_and_the_rules_in_agreement() {
    let app = TestApp::new().await;
    // the daily cap is path-dependent; without it the expected totals follow
    // from the final state alone
    let rules = ReputationRules::new(ReputationSettings {
        daily_vote_cap: 1_000_000,
        vote_down_min: 1,
        ..Default::default()
    });
    let votes: Votes = VoteService::new(SqlVoteRepository::new(app.ctx.db.clone()), rules.clone());
    let mut people = Vec::new();
    for i in 0..USERS {
        people.push(app.create_user(&format!("p{i}")).await);
    }
    for seed in 0..6u64 {
        let mut rng = SmallRng::seed_from_u64(seed);
        let owner = people[0].clone();
        let owner_user = nightcoder::users::Actor::of(&owner);
        let mut question = app
            .question(&owner, &format!("Random history number {seed}"), "prop")
            .await;
        let mut answer_ids = Vec::new();
        for (i, author) in people.iter().enumerate().take(4) {
            answer_ids.push(
                app.answer(author, &question, &format!("answer {i} in history {seed}"))
                    .await
                    .id,
            );
        }
        for _ in 0..30 {
            match rng.random_range(0..10) {
                0..=4 => {
                    let voter = &people[rng.random_range(0..USERS)];
                    let target = if rng.random_bool(0.3) {
                        Target::question(question.id)
                    } else {
                        Target::answer(answer_ids[rng.random_range(0..answer_ids.len())])
                    };
                    let dir = if rng.random_bool(0.7) {
                        Direction::Up
                    } else {
                        Direction::Down
                    };
                    let _ = votes.cast(voter.id, target, dir).await;
                }
                5 | 6 => {
                    let id = answer_ids[rng.random_range(0..answer_ids.len())];
                    let _ = answers::toggle_accept(&app.ctx.db, &votes, id, &owner_user).await;
                }
                7 => {
                    // delete an answer and post it again: the new post starts from zero
                    let i = rng.random_range(0..answer_ids.len());
                    let old = app.reload_answer(answer_ids[i]).await;
                    if old.deleted_at.is_none()
                        && app.reload_question(question.id).await.deleted_at.is_none()
                    {
                        answers::set_visibility(&app.ctx.db, &votes, old.id, old.user_id, true, "")
                            .await
                            .unwrap();
                        let author = app.reload_user(old.user_id).await;
                        answer_ids[i] = app.answer(&author, &question, "posted again").await.id;
                    }
                }
                8 => {
                    let user = &people[rng.random_range(1..USERS)];
                    let suspended = app.reload_user(user.id).await.suspended_until.is_some();
                    set_suspended(&app, &votes, user, !suspended).await;
                }
                _ => {
                    if rng.random_bool(0.3) {
                        questions::set_visibility(
                            &app.ctx.db,
                            &votes,
                            question.id,
                            owner.id,
                            true,
                            "",
                        )
                        .await
                        .unwrap();
                        question = app
                            .question(
                                &owner,
                                &format!("Random history {seed}, asked again"),
                                "prop",
                            )
                            .await;
                        answer_ids.clear();
                        for (i, author) in people.iter().enumerate().take(3) {
                            answer_ids.push(
                                app.answer(author, &question, &format!("answer {i} again"))
                                    .await
                                    .id,
                            );
                        }
                    }
                }
            }
            app.assert_ledger_consistent().await;
            let want = expected(&app, &rules).await;
            for person in &people {
                assert_eq!(
                    app.reload_user(person.id).await.reputation,
                    want[&person.id],
                    "seed {seed}, user {}",
                    person.username
                );
            }
        }
    }
}
