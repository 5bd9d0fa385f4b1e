//! The audit log: every action listed, filterable, append-only.
use nightcoder::audit::{self, Action, Entry, Subject};
use sea_orm::ConnectionTrait;

use crate::support::{
    client::queries,
    html::{count, text, texts},
    TestApp, PASSWORD,
};

#[tokio::test]
async fn the_log_lists_newest_first_and_filters_by_action_and_actor() {
    let app = TestApp::new().await;
    let first = app.create_user_with_role("first", "moderator").await;
    let second = app.create_user_with_role("second", "admin").await;
    let target = app.create_user("target").await;
    let q = app
        .question(&target, "A question for the audit log", "audit")
        .await;
    let browser = app.client();
    browser.login("second", PASSWORD).await;
    let small = browser.get("/admin/audit").await;
    assert!(small.text().contains("No actions recorded yet."));

    // real actions through the pages…
    browser
        .post(
            &format!("/admin/questions/{}/lock", q.id),
            &[("reason", "calm down")],
        )
        .await;
    browser
        .post(
            &format!("/admin/users/{}/reputation", target.id),
            &[("delta", "3"), ("reason", "bug bounty")],
        )
        .await;
    // …and enough rows to need a second page
    for i in 0..60 {
        let entry = Entry::new(first.id, Action::UserLogout, Subject::User, target.id)
            .user(target.id)
            .reason(&format!("bulk {i}"));
        audit::record(&app.ctx.db, &entry).await.unwrap();
    }

    let res = browser.get("/admin/audit").await;
    let html = res.text();
    assert_eq!(count(&html, "#audit tbody tr"), 50);
    assert!(
        text(&html, "#audit tbody tr").contains("bulk 59"),
        "newest first"
    );
    assert_eq!(
        queries(&res),
        queries(&small),
        "the log costs the same whatever its size"
    );
    assert!(html.contains("page=2"));
    let page2 = browser.get("/admin/audit?page=2").await.text();
    assert_eq!(count(&page2, "#audit tbody tr"), 12);
    assert!(page2.contains("calm down") && page2.contains("bug bounty"));
    assert!(
        page2.contains(&format!("/questions/{}", q.id)),
        "the target links to the post"
    );

    let only_locks = browser
        .get("/admin/audit?action=question.lock")
        .await
        .text();
    assert_eq!(count(&only_locks, "#audit tbody tr"), 1);
    assert!(only_locks.contains("locked a question"));
    let by_second = browser.get("/admin/audit?actor=SECOND").await.text();
    assert_eq!(
        count(&by_second, "#audit tbody tr"),
        2,
        "actor names match in any case"
    );
    let both = browser
        .get("/admin/audit?actor=first&action=user.logout")
        .await
        .text();
    assert_eq!(count(&both, "#audit tbody tr"), 50);
    let nobody = browser.get("/admin/audit?actor=nobody").await.text();
    assert!(
        nobody.contains("No actions recorded yet."),
        "an unknown actor matches nothing"
    );
    let junk = browser
        .get("/admin/audit?action=drop%20table&page=-3")
        .await;
    assert_eq!(junk.status_code(), 200, "a junk filter is ignored");
    assert_eq!(count(&junk.text(), "#audit tbody tr"), 50);

    browser.set_cookie("lang", "ru");
    let ru = browser
        .get("/admin/audit?action=user.reputation")
        .await
        .text();
    assert!(ru.contains("Журнал действий"));
    assert!(ru.contains("изменил репутацию"));
    assert!(texts(&ru, "select[name=action] option")
        .iter()
        .any(|o| o == "закрыл вопрос"));
    let _ = second;
}

#[tokio::test]
async fn audit_rows_cannot_be_changed_or_deleted_even_in_sql() {
    let app = TestApp::new().await;
    let actor = app.create_user_with_role("mod", "moderator").await;
    audit::record(
        &app.ctx.db,
        &Entry::new(actor.id, Action::UserLogout, Subject::User, actor.id),
    )
    .await
    .unwrap();
    for sql in [
        "UPDATE audit_logs SET reason = 'rewritten'",
        "DELETE FROM audit_logs",
    ] {
        let err = app.ctx.db.execute_unprepared(sql).await.expect_err(sql);
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    // a full reset (development tool) still works
    nightcoder::app::truncate_all(&app.ctx.db).await.unwrap();
    audit::record(
        &app.ctx.db,
        &Entry::new(
            app.create_user("again").await.id,
            Action::UserLogout,
            Subject::User,
            1,
        ),
    )
    .await
    .unwrap();
    assert!(
        app.ctx
            .db
            .execute_unprepared("DELETE FROM audit_logs")
            .await
            .is_err(),
        "the guard is back after the reset"
    );
}
