//! Flags: who may raise them, once per post, the queue, resolutions and
//! what the flagger sees afterwards.
use std::sync::Arc;

use nightcoder::{admin::flags, db::entities::audit_logs as audit};
use sea_orm::{EntityTrait, PaginatorTrait};

use crate::support::{
    client::{location, queries},
    html::{count, text},
    Client, TestApp, PASSWORD,
};

async fn flag(client: &Client, path: &str, reason: &str, note: &str) -> axum_test::TestResponse {
    client
        .post(path, &[("reason", reason), ("note", note)])
        .await
}

/// The flash shown after following a redirect.
async fn flash_after(client: &Client, res: &axum_test::TestResponse) -> String {
    let to = location(res);
    let path = to.split('#').next().unwrap_or_default();
    text(&client.get(path).await.text(), "[role=status]")
}

#[tokio::test]
async fn flagging_needs_reputation_a_reason_and_someone_elses_live_post() {
    let app = TestApp::new().await;
    let author = app.create_user("author").await;
    let q = app
        .question(&author, "Buy cheap watches right here", "spam")
        .await;
    let path = format!("/questions/{}/flag", q.id);
    let (newbie, client) = app.login_as("newbie").await;

    // the form is not offered below the threshold, and a forged POST is refused
    assert_eq!(
        count(&client.get(&q.url()).await.text(), "details.flag-form"),
        0
    );
    let res = flag(&client, &path, "spam", "").await;
    assert!(location(&res).starts_with(&q.url()));
    assert!(flash_after(&client, &res)
        .await
        .contains("not have enough reputation"));
    app.grant(&newbie, 13).await; // 14 in all
    assert!(
        flash_after(&client, &flag(&client, &path, "spam", "").await)
            .await
            .contains("not have enough reputation")
    );
    app.grant(&newbie, 1).await;
    assert_eq!(
        count(&client.get(&q.url()).await.text(), "details.flag-form"),
        1,
        "15 reputation opens flagging"
    );

    for (reason, note, message) in [
        ("", "", "Choose a reason"),
        ("lol", "", "Choose a reason"),
        ("other", "  ", "Describe the problem"),
        ("other", &"x".repeat(501), "Describe the problem"),
    ] {
        let res = flag(&client, &path, reason, note).await;
        assert_eq!(res.status_code(), 303, "{reason}");
        assert!(
            flash_after(&client, &res).await.contains(message),
            "{reason} {note:.10}"
        );
    }
    assert_eq!(flags::Entity::find().count(&app.ctx.db).await.unwrap(), 0);

    let res = flag(&client, &path, "spam", "").await;
    assert!(flash_after(&client, &res).await.contains("Thank you"));
    let res = flag(&client, &path, "offensive", "").await;
    assert!(flash_after(&client, &res).await.contains("already flagged"));
    assert_eq!(flags::Entity::find().count(&app.ctx.db).await.unwrap(), 1);

    // one's own post, a missing post, a malformed id
    let own = app
        .question(&newbie, "My own question about spam filters", "spam")
        .await;
    let res = flag(&client, &format!("/questions/{}/flag", own.id), "spam", "").await;
    assert!(flash_after(&client, &res).await.contains("your own post"));
    assert_eq!(
        flag(&client, "/answers/424242/flag", "spam", "")
            .await
            .status_code(),
        404
    );
    assert_eq!(
        flag(&client, "/reviews/x/flag", "spam", "")
            .await
            .status_code(),
        404
    );
    // in Russian too
    client.set_cookie("lang", "ru");
    let res = flag(&client, &path, "spam", "").await;
    assert!(flash_after(&client, &res)
        .await
        .contains("Вы уже пожаловались"));
}

#[tokio::test]
async fn two_simultaneous_flags_by_one_user_store_one_row() {
    let app = TestApp::new().await;
    let author = app.create_user("author").await;
    let q = app
        .question(&author, "Double-clicked flag button", "spam")
        .await;
    let flagger = app.create_user("flagger").await;
    app.grant(&flagger, 20).await;
    // real HTTP on the multi-threaded server: the clicks really overlap
    let client = Arc::new(app.http_client());
    client.login("flagger", PASSWORD).await;
    client.get(&q.url()).await;
    let token = client.token().await;
    let path = format!("/questions/{}/flag", q.id);
    let clicks = (0..6).map(|_| {
        let (client, token, path) = (client.clone(), token.clone(), path.clone());
        async move {
            client
                .post_raw(
                    &path,
                    &[("csrf_token", &token), ("reason", "spam"), ("note", "")],
                )
                .await
                .status_code()
        }
    });
    for status in futures_util::future::join_all(clicks).await {
        assert_eq!(status, 303, "each click gets an answer, none a 500");
    }
    assert_eq!(flags::Entity::find().count(&app.ctx.db).await.unwrap(), 1);
}

#[tokio::test]
async fn moderators_resolve_flags_and_flaggers_see_the_outcome() {
    let app = TestApp::new().await;
    let moderator_user = app.create_user_with_role("mod", "moderator").await;
    let moderator = app.client();
    moderator.login("mod", PASSWORD).await;
    let author = app.create_user("author").await;
    let q = app
        .question(&author, "Visit my shop for cheap keys", "spam")
        .await;
    let a = app.answer(&author, &q, "and another link to my shop").await;
    let r = app
        .review(&author, "Flag course", "A fair review of a course", 4)
        .await;
    let (voter, voting) = app.login_as("voter").await;
    app.grant(&voter, 100).await;
    voting
        .post(&format!("/answers/{}/vote", a.id), &[("direction", "up")])
        .await;

    let mut clients = Vec::new();
    for name in ["ann", "ben", "cid"] {
        let (user, client) = app.login_as(name).await;
        app.grant(&user, 20).await;
        clients.push(client);
    }
    flag(
        &clients[0],
        &format!("/questions/{}/flag", q.id),
        "spam",
        "",
    )
    .await;
    flag(
        &clients[1],
        &format!("/questions/{}/flag", q.id),
        "spam",
        "shop links",
    )
    .await;
    flag(&clients[0], &format!("/answers/{}/flag", a.id), "spam", "").await;
    flag(
        &clients[2],
        &format!("/reviews/{}/flag", r.id),
        "other",
        "I just dislike it",
    )
    .await;

    let res = moderator.get("/admin/flags").await;
    let html = res.text();
    assert_eq!(count(&html, "#flags .flag-item"), 4);
    assert!(html.contains("2 flags on this post"));
    assert!(html.contains("shop links"));
    assert!(html.contains("I just dislike it"));
    let small = queries(&res);

    let ids: Vec<i64> = flags::Entity::find()
        .all(&app.ctx.db)
        .await
        .unwrap()
        .iter()
        .map(|f| f.id)
        .collect();
    // helpful with delete: the answer goes, with its points, and the log says so
    let res = moderator
        .post(
            &format!("/admin/flags/{}/resolve", ids[2]),
            &[
                ("outcome", "helpful"),
                ("followup", "delete"),
                ("note", "Removed, thanks"),
            ],
        )
        .await;
    assert_eq!(location(&res), "/admin/flags");
    assert!(app.reload_answer(a.id).await.deleted_at.is_some());
    assert_eq!(app.reload_user(author.id).await.reputation, 1);
    app.assert_ledger_consistent().await;
    // helpful with lock: both flags on the question are closed together
    moderator
        .post(
            &format!("/admin/flags/{}/resolve", ids[0]),
            &[("outcome", "helpful"), ("followup", "lock"), ("note", "")],
        )
        .await;
    assert!(app.reload_question(q.id).await.locked_at.is_some());
    // declined
    moderator
        .post(
            &format!("/admin/flags/{}/resolve", ids[3]),
            &[
                ("outcome", "declined"),
                ("followup", "delete"),
                ("note", "Opinions are allowed"),
            ],
        )
        .await;
    assert!(
        app.client()
            .get(&format!("/reviews/{}", r.id))
            .await
            .status_code()
            == 200,
        "a declined flag deletes nothing"
    );

    let all = flags::Entity::find().all(&app.ctx.db).await.unwrap();
    let statuses: Vec<&str> = all.iter().map(|f| f.status.as_str()).collect();
    assert_eq!(statuses, ["helpful", "helpful", "helpful", "declined"]);
    assert!(all.iter().all(|f| f.resolved_by == Some(moderator_user.id)));
    assert_eq!(
        count(
            &moderator.get("/admin/flags").await.text(),
            "#flags .flag-item"
        ),
        0
    );
    let res = moderator.get("/admin/flags?status=helpful").await;
    assert_eq!(count(&res.text(), "#flags .flag-item"), 3);
    assert_eq!(
        queries(&res),
        small,
        "the queue costs the same whatever it shows"
    );
    assert_eq!(
        count(
            &moderator.get("/admin/flags?status=declined").await.text(),
            "#flags .flag-item"
        ),
        1
    );

    // a second resolution is refused politely
    let res = moderator
        .post(
            &format!("/admin/flags/{}/resolve", ids[1]),
            &[("outcome", "declined"), ("followup", "none"), ("note", "")],
        )
        .await;
    assert!(flash_after(&moderator, &res)
        .await
        .contains("already been handled"));

    // the flaggers see what became of their flags, and only on their own profile
    let mine = clients[0].get("/users/ann").await.text();
    assert_eq!(count(&mine, "#my-flags li"), 2);
    assert!(mine.contains("Helpful"));
    assert!(mine.contains("Removed, thanks"));
    let declined = clients[2].get("/users/cid").await.text();
    assert!(declined.contains("Declined") && declined.contains("Opinions are allowed"));
    clients[2].set_cookie("lang", "ru");
    assert!(clients[2]
        .get("/users/cid")
        .await
        .text()
        .contains("Отклонена"));
    assert_eq!(
        count(&clients[1].get("/users/ann").await.text(), "#my-flags"),
        0
    );

    let actions: Vec<String> = audit::Entity::find()
        .all(&app.ctx.db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.action)
        .collect();
    assert_eq!(
        actions,
        [
            "post.delete",
            "flag.resolve",
            "question.lock",
            "flag.resolve",
            "flag.resolve"
        ]
    );
}

#[tokio::test]
async fn moderators_resolving_one_flag_at_once_resolve_it_once() {
    use sea_orm::{ColumnTrait, QueryFilter};
    let app = TestApp::new().await;
    let author = app.create_user("author").await;
    let (flagger, flagging) = app.login_as("flagger").await;
    app.grant(&flagger, 20).await;
    // real HTTP on the multi-threaded server, one browser per moderator
    let mut moderators = Vec::new();
    for name in ["mod1", "mod2", "mod3", "mod4"] {
        app.create_user_with_role(name, "moderator").await;
        let client = app.http_client();
        client.login(name, PASSWORD).await;
        let token = client.token().await;
        moderators.push((Arc::new(client), token));
    }
    for round in 0..3 {
        let q = app
            .question(&author, &format!("Buy cheap keys, round {round}"), "spam")
            .await;
        flag(&flagging, &format!("/questions/{}/flag", q.id), "spam", "").await;
        let id = flags::Entity::find()
            .filter(flags::Column::TargetId.eq(q.id))
            .one(&app.ctx.db)
            .await
            .unwrap()
            .expect("the flag")
            .id;
        let path = format!("/admin/flags/{id}/resolve");
        let clicks = moderators.iter().map(|(client, token)| {
            let (client, token, path) = (client.clone(), token.clone(), path.clone());
            async move {
                let fields = [
                    ("csrf_token", token.as_str()),
                    ("outcome", "helpful"),
                    ("followup", "lock"),
                    ("note", ""),
                ];
                let res = client.post_raw(&path, &fields).await;
                assert_eq!(res.status_code(), 303, "an answer, never a 500");
                flash_after(&client, &res).await
            }
        });
        let flashes = futures_util::future::join_all(clicks).await;
        let done = flashes
            .iter()
            .filter(|f| f.contains("The flag is resolved"))
            .count();
        let late = flashes
            .iter()
            .filter(|f| f.contains("already been handled"))
            .count();
        assert_eq!((done, late), (1, 3), "round {round}: {flashes:?}");
        let logged = |action: &'static str, subject: i64| {
            audit::Entity::find()
                .filter(audit::Column::Action.eq(action))
                .filter(audit::Column::TargetId.eq(subject))
                .count(&app.ctx.db)
        };
        assert_eq!(
            logged("flag.resolve", id).await.unwrap(),
            1,
            "round {round}"
        );
        assert_eq!(
            logged("question.lock", q.id).await.unwrap(),
            1,
            "round {round}"
        );
    }
}
