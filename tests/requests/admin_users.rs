//! `/admin` dashboard and accounts: search, details, suspension, roles,
//! reputation adjustments, "log out everywhere".
use nightcoder::{db::entities::audit_logs as audit, users};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, PaginatorTrait};

use super::admin_access::in_days;
use crate::support::{
    client::{location, queries},
    html::{count, text},
    Client, TestApp, PASSWORD,
};

async fn staff(app: &TestApp, name: &str, role: &str) -> (users::Model, Client) {
    let user = app.create_user_with_role(name, role).await;
    let client = app.client();
    client.login(name, PASSWORD).await;
    (user, client)
}

async fn audit_actions(app: &TestApp) -> Vec<String> {
    let mut rows = audit::Entity::find().all(&app.ctx.db).await.unwrap();
    rows.sort_by_key(|r| r.id);
    rows.into_iter().map(|r| r.action).collect()
}

#[tokio::test]
async fn the_dashboard_counts_and_lists_pending_flags_and_recent_actions_in_constant_queries() {
    let app = TestApp::new().await;
    let (_, moderator) = staff(&app, "mod", "moderator").await;
    let empty = moderator.get("/admin").await;
    assert_eq!(empty.status_code(), 200);
    assert!(empty.text().contains("No flags here."));
    let before = queries(&empty);

    let author = app.create_user("author").await;
    for i in 0..6 {
        let q = app
            .question(&author, &format!("Dashboard question number {i}"), "dash")
            .await;
        app.answer(&author, &q, "an answer for the dashboard").await;
        let flagger = app.create_user(&format!("flagger{i}")).await;
        app.grant(&flagger, 20).await;
        let client = app.login_existing(&flagger).await;
        let res = client
            .post(
                &format!("/questions/{}/flag", q.id),
                &[("reason", "spam"), ("note", "")],
            )
            .await;
        assert!(location(&res).starts_with(&q.url()));
        moderator
            .post(
                &format!("/admin/questions/{}/lock", q.id),
                &[("reason", "cool down")],
            )
            .await;
    }
    let page = moderator.get("/admin").await;
    let html = page.text();
    assert_eq!(
        queries(&page),
        before,
        "the dashboard costs the same whatever is on it"
    );
    assert_eq!(count(&html, "#admin-counts .card"), 5);
    assert!(
        text(&html, "#admin-counts").contains('6'),
        "six pending flags and six questions"
    );
    assert_eq!(count(&html, ".flag-item"), 6);
    assert!(html.contains("locked a question"));
}

#[tokio::test]
async fn users_are_found_by_name_or_email_and_the_detail_page_shows_everything() {
    let app = TestApp::new().await;
    let (_, moderator) = staff(&app, "mod", "moderator").await;
    let alice = app.create_user("alice").await;
    app.create_user("bob").await;
    let q = app
        .question(&alice, "Alice asks a question here", "detail")
        .await;
    app.answer(&alice, &q, "and answers it herself").await;
    app.review(&alice, "Rust course", "Alice reviews a course", 5)
        .await;
    app.grant(&alice, 40).await;
    let _s1 = app.login_existing(&alice).await;
    let _s2 = app.login_existing(&alice).await;

    let html = moderator.get("/admin/users?q=ALICE").await.text();
    assert_eq!(count(&html, "#admin-users tbody tr"), 1);
    assert!(html.contains("alice@example.org"));
    let html = moderator.get("/admin/users?q=bob%40example").await.text();
    assert_eq!(text(&html, "#admin-users tbody a"), "bob");
    let html = moderator.get("/admin/users?q=nobody").await.text();
    assert!(html.contains("No users match."));

    let res = moderator.get(&format!("/admin/users/{}", alice.id)).await;
    assert_eq!(res.status_code(), 200);
    let html = res.text();
    assert_eq!(text(&html, "#sessions-count"), "2");
    assert!(html.contains("Alice asks a question here"));
    assert!(html.contains("Alice reviews a course"));
    assert!(html.contains("+40"), "the ledger is shown");
    assert!(html.contains("41"), "the reputation is shown");
    assert!(
        queries(&res) <= 12,
        "detail page: {} queries",
        queries(&res)
    );
    assert_eq!(
        moderator.get("/admin/users/999999").await.status_code(),
        404
    );
    assert_eq!(moderator.get("/admin/users/abc").await.status_code(), 404);
}

#[tokio::test]
async fn suspension_ends_sessions_refuses_login_and_reverses_votes_until_lifted() {
    let app = TestApp::new().await;
    let (mod_user, moderator) = staff(&app, "mod", "moderator").await;
    let author = app.create_user("author").await;
    let q = app
        .question(&author, "A question that gets a vote", "suspend")
        .await;
    let voter = app.create_user("voter").await;
    let voting = app.login_existing(&voter).await;
    let phone = app.login_existing(&voter).await;
    voting
        .post(&format!("/questions/{}/vote", q.id), &[("direction", "up")])
        .await;
    assert_eq!(app.reload_user(author.id).await.reputation, 6);

    // bad input first: a past date and no reason, in Russian
    moderator.set_cookie("lang", "ru");
    let path = format!("/admin/users/{}/suspend", voter.id);
    let res = moderator
        .post(&path, &[("until", "2001-01-01"), ("reason", " ")])
        .await;
    assert_eq!(res.status_code(), 422);
    assert!(res.text().contains("Выберите дату в будущем."));
    assert!(res.text().contains("Укажите причину"));
    let res = moderator
        .post(&path, &[("until", "not a date"), ("reason", "spam")])
        .await;
    assert_eq!(res.status_code(), 422);
    assert!(app.reload_user(voter.id).await.suspended_until.is_none());
    moderator.set_cookie("lang", "en");

    let until = in_days(7);
    let res = moderator
        .post(&path, &[("until", &until), ("reason", "Vote ring")])
        .await;
    assert_eq!(location(&res), format!("/admin/users/{}", voter.id));
    let html = moderator.get(&location(&res)).await.text();
    assert!(text(&html, "#user-status").contains(&format!("Suspended until {until}")));
    assert_eq!(text(&html, "#sessions-count"), "0");

    // both of the voter's browsers are logged out at once
    for browser in [&voting, &phone] {
        let res = browser.get("/settings/profile").await;
        assert!(location(&res).starts_with("/login"), "the session ended");
    }
    // posting and voting are refused (the session is gone)…
    let res = voting
        .post(
            &format!("/questions/{}/vote", q.id),
            &[("direction", "down")],
        )
        .await;
    assert!(res.status_code() == 303 || res.status_code() == 403);
    assert_eq!(
        app.reload_question(q.id).await.score,
        1,
        "the down vote was refused"
    );
    // …and so is a new login, with the reason
    let login = app.client();
    login.get("/login").await;
    let res = login
        .post("/login", &[("login", "voter"), ("password", PASSWORD)])
        .await;
    assert_eq!(res.status_code(), 403);
    assert!(res
        .text()
        .contains(&format!("suspended until {until} 00:00 UTC")));
    assert!(res.text().contains("Reason: Vote ring"));
    // the vote the suspended user cast no longer pays
    assert_eq!(app.reload_user(author.id).await.reputation, 1);
    app.assert_ledger_consistent().await;

    let res = moderator
        .post(
            &format!("/admin/users/{}/unsuspend", voter.id),
            &[("reason", "appeal accepted")],
        )
        .await;
    assert_eq!(res.status_code(), 303);
    assert_eq!(
        app.reload_user(author.id).await.reputation,
        6,
        "the vote counts again"
    );
    app.login_existing(&voter).await;
    app.assert_ledger_consistent().await;
    assert_eq!(
        audit_actions(&app).await,
        ["user.suspend", "user.unsuspend"]
    );
    let row = audit::Entity::find()
        .one(&app.ctx.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (row.actor_id, row.target_user_id, row.reason.as_deref()),
        (mod_user.id, Some(voter.id), Some("Vote ring"))
    );
}

#[tokio::test]
async fn moderators_cannot_act_on_staff_or_themselves() {
    let app = TestApp::new().await;
    let (me, moderator) = staff(&app, "mod", "moderator").await;
    let other = app.create_user_with_role("mod2", "moderator").await;
    let admin = app.create_user_with_role("boss", "admin").await;
    for id in [me.id, other.id, admin.id] {
        let res = moderator
            .post(
                &format!("/admin/users/{id}/suspend"),
                &[("until", &in_days(3)), ("reason", "no")],
            )
            .await;
        assert_eq!(res.status_code(), 403, "user {id}");
        let html = moderator.get(&format!("/admin/users/{id}")).await.text();
        assert!(html.contains("You cannot moderate this account."));
    }
    assert_eq!(audit::Entity::find().count(&app.ctx.db).await.unwrap(), 0);
}

#[tokio::test]
async fn admins_change_roles_adjust_reputation_and_log_users_out() {
    let app = TestApp::new().await;
    let (boss, admin) = staff(&app, "boss", "admin").await;
    let (carol, carol_browser) = app.login_as("carol").await;

    let role = format!("/admin/users/{}/role", carol.id);
    assert_eq!(
        admin
            .post(&role, &[("role", "emperor"), ("reason", "")])
            .await
            .status_code(),
        400
    );
    let res = admin
        .post(&role, &[("role", "moderator"), ("reason", " ")])
        .await;
    assert_eq!(res.status_code(), 422, "a role change needs a reason");
    assert!(text(&res.text(), "#e-role-reason").starts_with("Give a reason"));
    assert_eq!(app.reload_user(carol.id).await.role, "user");
    let res = admin
        .post(&role, &[("role", "moderator"), ("reason", "trusted")])
        .await;
    assert_eq!(res.status_code(), 303);
    assert_eq!(app.reload_user(carol.id).await.role, "moderator");
    assert_eq!(
        carol_browser.get("/admin").await.status_code(),
        200,
        "the new role applies at once"
    );
    // an admin cannot demote themselves by accident
    assert_eq!(
        admin
            .post(
                &format!("/admin/users/{}/role", boss.id),
                &[("role", "user"), ("reason", "")]
            )
            .await
            .status_code(),
        403
    );

    let rep = format!("/admin/users/{}/reputation", carol.id);
    let res = admin.post(&rep, &[("delta", "0"), ("reason", "")]).await;
    assert_eq!(res.status_code(), 422);
    assert!(res.text().contains("Enter a non-zero number"));
    assert!(res.text().contains("Give a reason"));
    assert_eq!(
        admin
            .post(&rep, &[("delta", "99999999999999999999"), ("reason", "x")])
            .await
            .status_code(),
        422
    );
    let res = admin
        .post(&rep, &[("delta", "-1"), ("reason", "Refund of a bounty")])
        .await;
    assert_eq!(res.status_code(), 303);
    let res = admin
        .post(&rep, &[("delta", "25"), ("reason", "Conference talk")])
        .await;
    assert_eq!(res.status_code(), 303);
    assert_eq!(app.reload_user(carol.id).await.reputation, 25);
    let history = carol_browser.get("/users/carol/reputation").await.text();
    assert!(history.contains("Moderator adjustment"));
    assert!(history.contains("Conference talk"));
    app.assert_ledger_consistent().await;

    let res = admin
        .post(
            &format!("/admin/users/{}/logout", carol.id),
            &[("reason", "lost laptop")],
        )
        .await;
    assert_eq!(res.status_code(), 303);
    assert!(location(&carol_browser.get("/settings/profile").await).starts_with("/login"));
    // the user may log in again: this is not a suspension
    app.login_existing(&carol).await;
    assert_eq!(
        audit_actions(&app).await,
        [
            "user.role",
            "user.reputation",
            "user.reputation",
            "user.logout"
        ]
    );

    // a demotion takes staff rights away at once
    let mut active: users::ActiveModel = app.reload_user(carol.id).await.into();
    active.role = Set("user".into());
    active.update(&app.ctx.db).await.unwrap();
    let again = app.login_existing(&carol).await;
    assert_eq!(again.get("/admin").await.status_code(), 403);
}

#[tokio::test]
async fn a_suspension_that_ran_out_is_lifted_at_login_or_by_the_hourly_sweep() {
    let app = TestApp::new().await;
    let (_, moderator) = staff(&app, "mod", "moderator").await;
    let author = app.create_user("author").await;
    let q = app
        .question(&author, "A question voted by two people", "expiry")
        .await;
    let mut voters = Vec::new();
    for name in ["early", "late"] {
        let (voter, client) = app.login_as(name).await;
        client
            .post(&format!("/questions/{}/vote", q.id), &[("direction", "up")])
            .await;
        let res = moderator
            .post(
                &format!("/admin/users/{}/suspend", voter.id),
                &[("until", &in_days(2)), ("reason", "cool off")],
            )
            .await;
        assert_eq!(res.status_code(), 303);
        voters.push(voter);
    }
    assert_eq!(app.reload_user(author.id).await.reputation, 1);
    // time passes: both suspensions end
    for voter in &voters {
        let mut active: users::ActiveModel = voter.clone().into();
        active.suspended_until = Set(Some(
            (chrono::Utc::now() - chrono::Duration::minutes(1)).fixed_offset(),
        ));
        active.update(&app.ctx.db).await.unwrap();
    }
    // one comes back and logs in: their vote pays again at once
    app.login_existing(&voters[0]).await;
    assert_eq!(app.reload_user(author.id).await.reputation, 6);
    assert!(app
        .reload_user(voters[0].id)
        .await
        .suspended_until
        .is_none());
    // the other never does; the sweep reinstates them
    nightcoder::housekeeping::run_once(&app.ctx).await.unwrap();
    assert_eq!(app.reload_user(author.id).await.reputation, 11);
    assert!(app
        .reload_user(voters[1].id)
        .await
        .suspended_until
        .is_none());
    // running it again changes nothing
    nightcoder::housekeeping::run_once(&app.ctx).await.unwrap();
    assert_eq!(app.reload_user(author.id).await.reputation, 11);
    app.assert_ledger_consistent().await;
}
