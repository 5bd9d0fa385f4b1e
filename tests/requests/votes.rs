//! Voting over HTTP: forms, JSON, refusals, reputation, concurrency.
use std::{sync::Arc, time::Duration};

use loco_rs::task::Vars;
use nightcoder::{
    app::App,
    db::entities::{reputation_events as ledger_rows, votes as vote_rows},
    votes::{
        repository::{VoteRepository, VoteTx},
        Direction, Kind, SqlVoteRepository, Target, Votes,
    },
};
use sea_orm::{
    ColumnTrait, ConnectOptions, ConnectionTrait, Database, DatabaseBackend, EntityTrait,
    PaginatorTrait, QueryFilter, Statement,
};

use crate::support::{
    client::{location, queries},
    html::{count, text},
    Client, TestApp, PASSWORD,
};

async fn vote(client: &Client, path: &str, direction: &str) -> axum_test::TestResponse {
    client.post(path, &[("direction", direction)]).await
}

/// A real HTTP client signed in as a new user `name`, its CSRF token
/// fetched: one of the people of a race test.
async fn racer(app: &TestApp, name: &str) -> Arc<Client> {
    let user = app.create_user(name).await;
    let client = app.http_client();
    client.login(&user.username, PASSWORD).await;
    client.token().await;
    Arc::new(client)
}

/// Sends every `(client, path)` up-vote at once; each must land (303).
async fn upvote_at_once(votes: impl IntoIterator<Item = (Arc<Client>, String)>) {
    let requests = votes
        .into_iter()
        .map(|(c, path)| async move { vote(&c, &path, "up").await.status_code() });
    let statuses = futures_util::future::join_all(requests).await;
    assert!(
        statuses.iter().all(|s| *s == 303),
        "no errors: {statuses:?}"
    );
}

async fn vote_json(client: &Client, path: &str, direction: &str) -> axum_test::TestResponse {
    let token = client.token().await;
    client
        .send(
            client
                .request(axum::http::Method::POST, path)
                .add_header("accept", "application/json")
                .form(&[("csrf_token", token.as_str()), ("direction", direction)]),
        )
        .await
}

#[tokio::test]
async fn voting_without_javascript_returns_to_the_post_and_pays_the_author() {
    let app = TestApp::new().await;
    let author = app.create_user("author").await;
    let q = app
        .question(&author, "Worth an upvote, surely?", "votes")
        .await;
    let a = app
        .answer(&author, &q, "a self-answer, votable by others")
        .await;
    let other = app
        .answer(&author, &q, "another answer nobody votes on")
        .await;
    let (_, client) = app.login_as("voter").await;
    client.get(&q.url()).await;
    let res = vote(&client, &format!("/questions/{}/vote", q.id), "up").await;
    assert_eq!(res.status_code(), 303);
    assert_eq!(location(&res), format!("{}#question", q.url()));
    let res = vote(&client, &format!("/answers/{}/vote", a.id), "up").await;
    assert_eq!(location(&res), format!("{}#answer-{}", q.url(), a.id));
    assert_eq!(app.reload_user(author.id).await.reputation, 1 + 5 + 10);
    let page = client.get(&q.url()).await.text();
    assert_eq!(text(&page, "#question [data-score]"), "1");
    assert!(
        page.contains(r#"aria-pressed="true""#),
        "the viewer's own vote is shown"
    );
    // each post shows the viewer's own vote on it, and only that
    assert_eq!(
        count(&page, "#question .btn-vote.active[data-direction=up]"),
        1
    );
    let on = |id: i64, how: &str| format!("#answer-{id} .btn-vote.active[data-direction={how}]");
    assert_eq!(count(&page, &on(a.id, "up")), 1);
    assert_eq!(count(&page, &on(other.id, "up")), 0);
    assert_eq!(count(&page, ".btn-vote.active"), 2);
    // and another reader sees none of it
    let (_, reader) = app.login_as("reader").await;
    let page = reader.get(&q.url()).await.text();
    assert_eq!(count(&page, ".btn-vote.active"), 0);
    app.assert_ledger_consistent().await;
}

/// A vote is a fixed, small number of statements whatever the data: the
/// session with its user, then one transaction: on PostgreSQL the plan
/// setting (`SqlVoteRepository::begin`), target and author locked
/// together, the context (with what the old vote still gives, when there
/// is one) with the voter's daily vote limit counted in the same call, the
/// vote row with the ledger and the tally in one call. A new vote, a
/// switch and a withdrawal cost the same.
#[tokio::test]
async fn a_vote_runs_a_fixed_number_of_statements() {
    let app = TestApp::new().await;
    let author = app.create_user("author").await;
    let q = app.question(&author, "Count my statements", "votes").await;
    let a = app.answer(&author, &q, "an answer to count on").await;
    let (voter, client) = app.login_as("voter").await;
    app.grant(&voter, 200).await;
    client.get(&q.url()).await;
    let question = format!("/questions/{}/vote", q.id);
    let answer = format!("/answers/{}/vote", a.id);
    // 4 statements on SQLite; it was 8 on PostgreSQL and 9 on SQLite
    // before the locks and the last writes were merged, a change one more
    // before the context read what the old vote gave, one more for each
    // click before the vote row joined the ledger's call, and one more
    // before the daily limit joined the context read. PostgreSQL runs one
    // more, the plan setting (`SET LOCAL enable_seqscan`).
    let plans = u32::from(app.is_postgres());
    let (new, changed) = (4 + plans, 4 + plans);
    for (path, how, expected) in [
        (&question, "up", new),
        (&question, "down", changed),
        (&question, "down", changed),
        (&answer, "down", new),
    ] {
        let res = vote_json(&client, path, how).await;
        assert_eq!(res.status_code(), 200, "{path} {how}");
        assert_eq!(queries(&res), expected, "{path} {how}");
    }
    app.assert_ledger_consistent().await;
}

/// The plan PostgreSQL gives a lookup by key in the unit of work, and on
/// the same connection once the unit has ended.
async fn plan_of_a_key_lookup(conn: &impl ConnectionTrait) -> String {
    let rows = conn
        .query_all_raw(Statement::from_string(
            DatabaseBackend::Postgres,
            "EXPLAIN SELECT reputation FROM users WHERE id = 1",
        ))
        .await
        .unwrap();
    rows.iter()
        .map(|r| r.try_get::<String>("", "QUERY PLAN").unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

async fn one_text(conn: &impl ConnectionTrait, sql: &str) -> String {
    conn.query_one_raw(Statement::from_string(DatabaseBackend::Postgres, sql))
        .await
        .unwrap()
        .unwrap()
        .try_get::<String>("", "s")
        .unwrap()
}

/// On PostgreSQL a vote's unit of work plans a lookup by key as an index
/// scan even where the planner would scan a small table, and the setting
/// ends with the unit: the same connection, back in the pool, plans as
/// before.
#[tokio::test]
async fn a_vote_plans_lookups_by_key_and_leaves_the_connection_as_it_was() {
    let app = TestApp::new().await;
    if !app.is_postgres() {
        // SQLite's planner has no such setting; its votes hold the whole
        // database from BEGIN IMMEDIATE
        return;
    }
    app.create_user("somebody").await;
    let mut one = ConnectOptions::new(app.database_url());
    one.max_connections(1).min_connections(1);
    let pool = Database::connect(one).await.unwrap();
    // the planner learns how small the table is, as on a settled database
    pool.execute_unprepared("ANALYZE users").await.unwrap();
    let setting = "SELECT current_setting('enable_seqscan') || ' ' || pg_backend_pid() AS s";
    let before_setting = one_text(&pool, setting).await;
    assert!(before_setting.starts_with("on "), "{before_setting}");
    let before = plan_of_a_key_lookup(&pool).await;
    assert!(
        before.contains("Seq Scan"),
        "a small table is scanned: {before}"
    );
    let repo = SqlVoteRepository::new(pool.clone());
    let tx = repo.begin().await.unwrap();
    let inside = plan_of_a_key_lookup(tx.conn()).await;
    assert!(
        inside.contains("Index") && !inside.contains("Seq Scan"),
        "{inside}"
    );
    tx.commit().await.unwrap();
    assert_eq!(one_text(&pool, setting).await, before_setting);
    assert_eq!(plan_of_a_key_lookup(&pool).await, before);
    pool.close().await.unwrap();
}

#[tokio::test]
async fn the_json_path_toggles_and_switches() {
    let app = TestApp::new().await;
    let author = app.create_user("author").await;
    let q = app
        .question(&author, "Toggle me with JavaScript", "votes")
        .await;
    let (voter, client) = app.login_as("voter").await;
    app.grant(&voter, 20).await;
    client.get(&q.url()).await;
    let path = format!("/questions/{}/vote", q.id);
    let body: serde_json::Value = vote_json(&client, &path, "up").await.json();
    assert_eq!(
        body,
        serde_json::json!({ "score": 1, "up": 1, "down": 0, "user_vote": "up" })
    );
    let body: serde_json::Value = vote_json(&client, &path, "down").await.json();
    assert_eq!(
        body,
        serde_json::json!({ "score": -1, "up": 0, "down": 1, "user_vote": "down" })
    );
    let body: serde_json::Value = vote_json(&client, &path, "down").await.json();
    assert_eq!(
        body,
        serde_json::json!({ "score": 0, "up": 0, "down": 0, "user_vote": null })
    );
    assert_eq!(app.reload_user(author.id).await.reputation, 1);
    assert_eq!(
        vote_rows::Entity::find().count(&app.ctx.db).await.unwrap(),
        0
    );
    let history = client.get("/users/author/reputation").await.text();
    for reason in ["Voted up", "Vote changed", "Voted down", "Vote withdrawn"] {
        assert!(history.contains(reason), "{reason}");
    }
    app.assert_ledger_consistent().await;
}

#[tokio::test]
async fn refusals_are_clear_and_change_nothing() {
    let app = TestApp::new().await;
    let (author, own) = app.login_as("author").await;
    let q = app
        .question(&author, "A question to refuse votes on", "votes")
        .await;
    own.get(&q.url()).await;
    let path = format!("/questions/{}/vote", q.id);
    let res = vote_json(&own, &path, "up").await;
    assert_eq!(res.status_code(), 403);
    assert_eq!(
        res.json::<serde_json::Value>()["error"],
        "You cannot vote on your own post."
    );
    let res = vote(&own, &path, "up").await;
    assert_eq!(
        res.status_code(),
        303,
        "without JavaScript: back to the post with a message"
    );
    let back = location(&res);
    let page = own.get(back.split('#').next().unwrap()).await.text();
    assert!(page.contains("You cannot vote on your own post."));

    let (_, newbie) = app.login_as("newbie").await;
    newbie.get("/").await;
    let res = vote_json(&newbie, &path, "down").await;
    assert_eq!(res.status_code(), 403);
    assert_eq!(
        res.json::<serde_json::Value>()["error"],
        "This vote needs 15 reputation."
    );
    let res = vote_json(&newbie, &path, "sideways").await;
    assert_eq!(res.status_code(), 400);
    assert_eq!(vote(&newbie, &path, "sideways").await.status_code(), 400);
    assert_eq!(
        vote_json(&newbie, "/questions/98765/vote", "up")
            .await
            .status_code(),
        404
    );
    assert_eq!(
        vote(&newbie, "/answers/98765/vote", "up")
            .await
            .status_code(),
        404
    );

    nightcoder::db::Sql::new("UPDATE questions SET locked_at = created_at WHERE id = ?")
        .push_bind("", [sea_orm::Value::from(q.id)])
        .execute(&app.ctx.db)
        .await
        .unwrap();
    let res = vote_json(&newbie, &path, "up").await;
    assert_eq!(res.status_code(), 403);
    assert_eq!(
        res.json::<serde_json::Value>()["error"],
        "This post is locked: votes are closed."
    );

    let anonymous = app.client();
    anonymous.get("/login").await;
    let res = vote(&anonymous, &path, "up").await;
    assert_eq!(res.status_code(), 303);
    assert_eq!(location(&res), "/login");
    assert_eq!(vote_json(&anonymous, &path, "up").await.status_code(), 401);
    assert_eq!(
        anonymous.get(&path).await.status_code(),
        405,
        "no voting by GET"
    );

    assert_eq!(app.reload_user(author.id).await.reputation, 1);
    assert_eq!(
        vote_rows::Entity::find().count(&app.ctx.db).await.unwrap(),
        0
    );
    app.assert_ledger_consistent().await;
}

#[tokio::test]
async fn accepting_pays_fifteen_moving_it_moves_them_and_self_answers_pay_nothing() {
    let app = TestApp::new().await;
    let (asker, owner) = app.login_as("asker").await;
    let q = app
        .question(&asker, "Which one earns the fifteen?", "accept")
        .await;
    let h1 = app.create_user("first").await;
    let h2 = app.create_user("second").await;
    let a1 = app.answer(&h1, &q, "first").await;
    let a2 = app.answer(&h2, &q, "second").await;
    let own = app.answer(&asker, &q, "my own").await;
    owner.get(&q.url()).await;
    let accept = |id: i64| format!("/answers/{id}/accept");
    owner.post(&accept(a1.id), &[]).await;
    assert_eq!(app.reload_user(h1.id).await.reputation, 16);
    owner.post(&accept(a2.id), &[]).await;
    assert_eq!(app.reload_user(h1.id).await.reputation, 1);
    assert_eq!(app.reload_user(h2.id).await.reputation, 16);
    owner.post(&accept(own.id), &[]).await;
    assert_eq!(app.reload_user(h2.id).await.reputation, 1);
    assert_eq!(
        app.reload_user(asker.id).await.reputation,
        1,
        "no points for a self-answer"
    );
    // an accept/un-accept loop earns nothing
    for _ in 0..10 {
        owner.post(&accept(a1.id), &[]).await;
    }
    assert_eq!(app.reload_user(h1.id).await.reputation, 1);
    app.assert_ledger_consistent().await;
}

#[tokio::test]
async fn deleting_posts_reverses_their_reputation() {
    let app = TestApp::new().await;
    let (asker, owner) = app.login_as("asker").await;
    let q = app
        .question(&asker, "Votes vanish with the post", "delete")
        .await;
    let (helper, helper_client) = app.login_as("helper").await;
    let a = app.answer(&helper, &q, "a good answer").await;
    let (_, voter) = app.login_as("voter").await;
    voter.get("/").await;
    vote(&voter, &format!("/answers/{}/vote", a.id), "up").await;
    vote(&voter, &format!("/questions/{}/vote", q.id), "up").await;
    owner.get(&q.url()).await;
    owner.post(&format!("/answers/{}/accept", a.id), &[]).await;
    assert_eq!(app.reload_user(helper.id).await.reputation, 1 + 10 + 15);
    assert_eq!(app.reload_user(asker.id).await.reputation, 1 + 5);
    helper_client.get(&q.url()).await;
    helper_client
        .post(&format!("/answers/{}/delete", a.id), &[])
        .await;
    assert_eq!(app.reload_user(helper.id).await.reputation, 1);
    assert!(
        app.reload_question(q.id).await.accepted_answer_id.is_none(),
        "solved follows the answer"
    );
    owner
        .post(&format!("/questions/{}/delete", q.id), &[])
        .await;
    assert_eq!(app.reload_user(asker.id).await.reputation, 1);
    let history = owner.get("/users/asker/reputation").await.text();
    assert!(history.contains("Post deleted"));
    app.assert_ledger_consistent().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_users_upvote_one_answer_at_once() {
    let app = TestApp::new().await;
    let author = app.create_user("author").await;
    let q = app
        .question(&author, "Everybody votes at the same time", "race")
        .await;
    let a = app.answer(&author, &q, "the answer everyone likes").await;
    let path = format!("/answers/{}/vote", a.id);
    let mut votes = Vec::new();
    for i in 0..50 {
        votes.push((racer(&app, &format!("voter{i:02}")).await, path.clone()));
    }
    upvote_at_once(votes).await;
    let a = app.reload_answer(a.id).await;
    assert_eq!((a.score, a.up_count), (50, 50));
    // 50 × 10 points, but at most 200 a day from votes
    assert_eq!(app.reload_user(author.id).await.reputation, 1 + 200);
    app.assert_ledger_consistent().await;
}

/// Votes on different posts of one author do not wait on each other's
/// post, only on the author: each must read the day's income after the
/// one before it committed. Read in the statement that waited for the
/// author's lock, PostgreSQL gave the total as it was before the wait,
/// and the author passed the cap.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_daily_cap_holds_when_all_of_an_authors_answers_are_upvoted_at_once() {
    let app = TestApp::new().await;
    let author = app.create_user("author").await;
    let q = app
        .question(&author, "Thirty answers to one question", "race")
        .await;
    let mut votes = Vec::new();
    for i in 0..30 {
        let a = app.answer(&author, &q, &format!("answer number {i}")).await;
        let voter = racer(&app, &format!("capvoter{i:02}")).await;
        votes.push((voter, format!("/answers/{}/vote", a.id)));
    }
    upvote_at_once(votes).await;
    // 30 × 10 points, but at most 200 a day from votes
    assert_eq!(app.reload_user(author.id).await.reputation, 1 + 200);
    app.assert_ledger_consistent().await;
}

/// The race above, made certain: the second vote is waiting for the
/// author's lock when the first commits the author's 200th point of the
/// day, and must read that point. (Read in the statement that waited,
/// PostgreSQL gave 190 and the author ended at 211.)
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_vote_waiting_for_the_author_reads_the_income_committed_meanwhile() {
    let app = TestApp::new().await;
    let author = app.create_user("author").await;
    let q = app
        .question(&author, "Two answers, one author", "race")
        .await;
    let on = |id: i64| Target {
        kind: Kind::Answer,
        id,
    };
    let first = on(app.answer(&author, &q, "the first answer").await.id);
    let second = on(app.answer(&author, &q, "the second answer").await.id);
    let votes = Votes::get(&app.ctx);
    let day = chrono::Utc::now().date_naive();
    for i in 0..19 {
        let voter = app.create_user(&format!("early{i:02}")).await;
        votes.cast(voter.id, first, Direction::Up).await.unwrap();
    }
    assert_eq!(app.reload_user(author.id).await.reputation, 1 + 190);

    let late = app.create_user("late").await;
    let later = app.create_user("later").await;
    let mut holding = votes.repo().begin().await.unwrap();
    votes
        .cast_in(&mut holding, late.id, first, Direction::Up, day, None)
        .await
        .unwrap();
    let waiting = tokio::spawn({
        let votes = votes.clone();
        async move { votes.cast(later.id, second, Direction::Up).await }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        !waiting.is_finished(),
        "the second vote waits for the first"
    );
    holding.commit().await.unwrap();
    waiting.await.unwrap().unwrap();
    assert_eq!(app.reload_user(author.id).await.reputation, 1 + 200);
    app.assert_ledger_consistent().await;
}

/// A vote the daily cap left at nothing still writes its row (the history
/// says why), and withdrawing it gives nothing back: the vote row and the
/// tally go, no ledger row is written, the totals stay whole.
#[tokio::test]
async fn withdrawing_a_vote_the_cap_left_at_nothing_writes_no_row() {
    let app = TestApp::new().await;
    let author = app.create_user("author").await;
    let q = app.question(&author, "Capped for the day", "votes").await;
    let a = app.answer(&author, &q, "the answer voted on").await;
    let target = Target::answer(a.id);
    let votes = Votes::get(&app.ctx);
    for i in 0..20 {
        let voter = app.create_user(&format!("early{i:02}")).await;
        votes.cast(voter.id, target, Direction::Up).await.unwrap();
    }
    let late = app.create_user("late").await;
    let rows = || async {
        ledger_rows::Entity::find()
            .filter(ledger_rows::Column::UserId.eq(author.id))
            .count(&app.ctx.db)
            .await
            .unwrap()
    };
    let out = votes.cast(late.id, target, Direction::Up).await.unwrap();
    assert_eq!(out.tally.up, 21);
    assert_eq!(app.reload_user(author.id).await.reputation, 1 + 200);
    assert_eq!(rows().await, 21, "the capped vote's row, worth 0");
    let out = votes.cast(late.id, target, Direction::Up).await.unwrap();
    assert_eq!((out.tally.up, out.mine), (20, None));
    assert_eq!(rows().await, 21, "nothing to give back");
    assert_eq!(app.reload_user(author.id).await.reputation, 1 + 200);
    assert_eq!(
        vote_rows::Entity::find().count(&app.ctx.db).await.unwrap(),
        20
    );
    app.assert_ledger_consistent().await;
}

/// `reputation:rebuild` rewrites the tallies that are off. On PostgreSQL an
/// UPDATE that waited for a row rewrites it from counts read as the
/// statement began, so a vote committing while the rebuild waited for its
/// post was left out of the tally (up 0 with one vote). The rebuild now
/// waits for the vote.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_rebuild_running_into_a_vote_counts_it() {
    let app = TestApp::new().await;
    let author = app.create_user("author").await;
    let voter = app.create_user("voter").await;
    let q = app
        .question(&author, "Rebuilt while somebody votes", "race")
        .await;
    // a tally gone wrong, for the rebuild to repair
    nightcoder::db::Sql::new("UPDATE questions SET up_count = 9, score = 9 WHERE id = ?")
        .push_bind("", [sea_orm::Value::from(q.id)])
        .execute(&app.ctx.db)
        .await
        .unwrap();
    let votes = Votes::get(&app.ctx);
    let day = chrono::Utc::now().date_naive();
    let mut holding = votes.repo().begin().await.unwrap();
    votes
        .cast_in(
            &mut holding,
            voter.id,
            Target::question(q.id),
            Direction::Up,
            day,
            None,
        )
        .await
        .unwrap();
    let ctx = app.ctx.clone();
    let rebuild = tokio::spawn(async move {
        let task = "reputation:rebuild".to_string();
        loco_rs::boot::run_task::<App>(&ctx, Some(&task), &Vars::default()).await
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!rebuild.is_finished(), "the rebuild waits for the vote");
    holding.commit().await.unwrap();
    rebuild.await.unwrap().unwrap();
    let q = app.reload_question(q.id).await;
    assert_eq!((q.up_count, q.score), (1, 1));
    assert_eq!(app.reload_user(author.id).await.reputation, 1 + 5);
    app.assert_ledger_consistent().await;
}

/// Each voter is also an author: a vote locks its post's author and, by
/// its foreign keys, refers to its voter. With `FOR UPDATE` on the author
/// two such votes waited on each other until PostgreSQL killed one
/// ("deadlock detected", a 500 after a second).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn authors_voting_on_each_other_at_once_never_deadlock() {
    let app = TestApp::new().await;
    let mut people = Vec::new();
    for i in 0..8 {
        let user = app.create_user(&format!("crossed{i}")).await;
        let q = app
            .question(&user, &format!("Question number {i} of the crowd"), "race")
            .await;
        let client = app.http_client();
        client.login(&user.username, PASSWORD).await;
        client.token().await;
        people.push((Arc::new(client), q.id));
    }
    for (round, score) in [(1, 7), (2, 0)] {
        let requests = people.iter().enumerate().flat_map(|(i, (client, _))| {
            people
                .iter()
                .enumerate()
                .filter(move |(j, _)| *j != i)
                .map(move |(_, (_, q))| {
                    let (c, path) = (client.clone(), format!("/questions/{q}/vote"));
                    async move { vote(&c, &path, "up").await.status_code() }
                })
        });
        let statuses = futures_util::future::join_all(requests).await;
        assert!(
            statuses.iter().all(|s| *s == 303),
            "round {round}, no errors: {statuses:?}"
        );
        for (_, q) in &people {
            assert_eq!(app.reload_question(*q).await.score, score);
        }
    }
    app.assert_ledger_consistent().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_identical_clicks_leave_one_vote_or_none() {
    let app = TestApp::new().await;
    let author = app.create_user("author").await;
    let q = app
        .question(&author, "Double clicks everywhere", "race")
        .await;
    let client = Arc::new(app.http_client());
    let voter = app.create_user("clicker").await;
    client.login(&voter.username, PASSWORD).await;
    client.token().await;
    let path = format!("/questions/{}/vote", q.id);
    let requests = (0..20).map(|_| {
        let (c, path) = (client.clone(), path.clone());
        async move { vote(&c, &path, "up").await.status_code() }
    });
    let statuses = futures_util::future::join_all(requests).await;
    assert!(
        statuses.iter().all(|s| *s == 303),
        "no errors: {statuses:?}"
    );
    let votes = vote_rows::Entity::find().count(&app.ctx.db).await.unwrap();
    let q = app.reload_question(q.id).await;
    // 20 toggles in some order: an even number of clicks ends where it began
    assert_eq!(votes, 0);
    assert_eq!(q.score, 0);
    assert_eq!(app.reload_user(author.id).await.reputation, 1);
    app.assert_ledger_consistent().await;
}

#[tokio::test]
async fn leaderboards_rank_by_period_with_the_viewers_rank() {
    let app = TestApp::new().await;
    let alice = app.create_user("alice").await;
    let bob = app.create_user("bob").await;
    let (carol, viewer) = app.login_as("carol").await;
    let qa = app
        .question(&alice, "Alice asks a good question", "lb")
        .await;
    let qb = app.question(&bob, "Bob asks a good question", "lb").await;
    let ab = app.answer(&bob, &qa, "Bob answers Alice").await;
    viewer.get("/").await;
    vote(&viewer, &format!("/questions/{}/vote", qa.id), "up").await;
    vote(&viewer, &format!("/questions/{}/vote", qb.id), "up").await;
    vote(&viewer, &format!("/answers/{}/vote", ab.id), "up").await;
    for period in ["", "?period=week", "?period=month"] {
        let html = viewer.get(&format!("/leaderboard{period}")).await.text();
        let names = crate::support::html::texts(&html, "#leaderboard tbody a");
        assert_eq!(&names[..2], ["bob", "alice"], "{period}");
    }
    let week = viewer.get("/leaderboard?period=week").await.text();
    assert_eq!(
        crate::support::html::count(&week, "#leaderboard a[href='/users/carol']"),
        0,
        "carol earned nothing this week"
    );
    let all = viewer.get("/leaderboard").await.text();
    assert!(
        text(&all, "#my-rank").contains("#3"),
        "{}",
        text(&all, "#my-rank")
    );
    assert_eq!(
        viewer
            .get("/leaderboard?period=year&page=-4")
            .await
            .status_code(),
        200
    );
    let _ = (bob, carol);
}

/// The viewer's rank is their place on the board: only the users the board
/// ranks come before them, and ties go as on the board (the older account,
/// then the lower id).
#[tokio::test]
async fn the_viewers_rank_is_their_place_on_the_board() {
    use nightcoder::users::ActiveModel;
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let app = TestApp::new().await;
    let at = chrono::Utc::now().fixed_offset() - chrono::Duration::days(1);
    let change = async |user: &nightcoder::users::Model, edit: &dyn Fn(&mut ActiveModel)| {
        let mut active: ActiveModel = user.clone().into();
        edit(&mut active);
        active.update(&app.ctx.db).await.unwrap();
    };
    let first = app.create_user("first").await;
    app.grant(&first, 10).await;
    let older = app.create_user("older").await;
    change(&older, &|u| {
        u.created_at = Set(at - chrono::Duration::hours(1))
    })
    .await;
    let tied = app.create_user("tied").await;
    change(&tied, &|u| u.created_at = Set(at)).await;
    let (me, viewer) = app.login_as("myself").await;
    change(&me, &|u| u.created_at = Set(at)).await;
    let later = app.create_user("later").await;
    change(&later, &|u| {
        u.created_at = Set(at + chrono::Duration::hours(1))
    })
    .await;
    for (name, edit) in [
        (
            "gone",
            &(|u: &mut ActiveModel| u.deleted_at = Set(Some(at))) as &dyn Fn(&mut ActiveModel),
        ),
        ("unconfirmed", &|u: &mut ActiveModel| {
            u.email_confirmed_at = Set(None)
        }),
    ] {
        let user = app.create_user(name).await;
        app.grant(&user, 50).await;
        change(&user, edit).await;
    }
    let board = viewer.get("/leaderboard").await.text();
    assert_eq!(
        crate::support::html::texts(&board, "#leaderboard tbody a"),
        ["first", "older", "tied", "myself", "later"]
    );
    let rank = text(&board, "#my-rank");
    assert!(rank.contains("#4") && !rank.contains("#40"), "{rank}");
}

#[tokio::test]
async fn reputation_history_explains_every_point() {
    let app = TestApp::new().await;
    let author = app.create_user("author").await;
    let q = app
        .question(&author, "History of a question's points", "history")
        .await;
    let (_, voter) = app.login_as("voter").await;
    voter.get("/").await;
    vote(&voter, &format!("/questions/{}/vote", q.id), "up").await;
    let html = voter.get("/users/author/reputation").await.text();
    assert_eq!(text(&html, "#total"), "6");
    assert_eq!(
        text(&html, "#history li"),
        format!("+5 Voted up · question {} just now", q.title)
    );
    assert_eq!(
        voter.get("/users/nobody/reputation").await.status_code(),
        404
    );
    let ru = voter
        .get_with("/users/author/reputation", ("accept-language", "ru"))
        .await
        .text();
    assert!(ru.contains("Голос «за»"));
}

/// The history's pages come from the user's kept number of ledger rows,
/// which every ledger write moves with the cached reputation.
#[tokio::test]
async fn reputation_history_pages_follow_the_kept_row_count() {
    let app = TestApp::new().await;
    let author = app.create_user("author").await;
    let per_page = nightcoder::votes::ledger::PER_PAGE;
    for _ in 0..=per_page {
        app.grant(&author, 1).await;
    }
    assert_eq!(
        app.reload_user(author.id).await.ledger_rows,
        i64::try_from(per_page).unwrap() + 1
    );
    let client = app.client();
    let first = client.get("/users/author/reputation").await.text();
    assert_eq!(
        crate::support::html::count(&first, "#history li"),
        usize::try_from(per_page).unwrap()
    );
    assert!(first.contains(r#"href="/users/author/reputation?page=2""#));
    let second = client.get("/users/author/reputation?page=2").await.text();
    assert_eq!(crate::support::html::count(&second, "#history li"), 1);
    // past the last page: the last page
    let far = client.get("/users/author/reputation?page=9").await.text();
    assert_eq!(crate::support::html::count(&far, "#history li"), 1);
    app.assert_ledger_consistent().await;
}
