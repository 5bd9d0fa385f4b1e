//! Notification e-mails: instant mails in the recipient's language with a
//! one-click unsubscribe, exactly once with several workers, the daily
//! digest, and only to confirmed addresses.
use nightcoder::{
    db::entities::notifications as notes,
    notifications::{self, jobs, Kind, Note},
};
use sea_orm::{ConnectionTrait, EntityTrait};

use super::password_reset::plain_text;
use crate::support::{client::location, TestApp};

fn unsubscribe_link(mail: &str) -> String {
    let text = plain_text(mail);
    let start = text.find("/unsubscribe/").expect("an unsubscribe link");
    text[start..].split_whitespace().next().unwrap().to_string()
}

async fn answer(app: &TestApp, name: &str, q: &nightcoder::forum::questions::Model) {
    let user = app.create_user(name).await;
    app.answer(&user, q, &format!("an answer by {name}")).await;
}

#[tokio::test]
async fn an_answer_mails_the_asker_once_in_their_language() {
    let app = TestApp::new().await;
    let asker = app.create_user("asker").await;
    app.ctx
        .db
        .execute_unprepared(&format!(
            "UPDATE users SET lang = 'ru' WHERE id = {}",
            asker.id
        ))
        .await
        .unwrap();
    let q = app
        .question(&asker, "Как работают времена жизни", "rust")
        .await;
    answer(&app, "helper", &q).await;
    app.run_jobs().await;
    let mails = app.mails();
    assert_eq!(mails.len(), 1, "{mails:?}");
    let mail = &mails[0];
    assert!(mail.contains("To: asker@example.org"));
    assert!(mail.contains("List-Unsubscribe: <http"));
    assert!(mail.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
    let text = plain_text(mail);
    assert!(text.contains("helper ответил(а) на ваш вопрос"), "{text}");
    assert!(text.contains(&format!("{}#answer-", q.url())), "{text}");
    // nothing is sent twice, whatever runs again
    app.run_jobs().await;
    assert_eq!(app.mails().len(), 1);
}

#[tokio::test]
async fn unconfirmed_addresses_and_off_settings_get_no_mail() {
    let app = TestApp::new().await;
    let asker = app.create_user("asker").await;
    let quiet = app.create_user("quiet").await;
    app.ctx
        .db
        .execute_unprepared(&format!(
            "UPDATE users SET email_confirmed_at = NULL WHERE id = {}",
            asker.id
        ))
        .await
        .unwrap();
    notifications::prefs::set(
        &app.ctx.db,
        quiet.id,
        Kind::Answer,
        notifications::Mode::Off,
    )
    .await
    .unwrap();
    let q1 = app
        .question(&asker, "Question of an unconfirmed user", "rust")
        .await;
    let q2 = app
        .question(&quiet, "Question of a quiet user", "rust")
        .await;
    answer(&app, "helper", &q1).await;
    answer(&app, "helper2", &q2).await;
    app.run_jobs().await;
    assert!(app.mails().is_empty(), "{:?}", app.mails());
    // the inbox still has them
    assert_eq!(
        notes::Entity::find().all(&app.ctx.db).await.unwrap().len(),
        2
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_send_every_mail_exactly_once() {
    let app = TestApp::new().await;
    let mut expected = Vec::new();
    for i in 0..24 {
        let user = app.create_user(&format!("reader{i}")).await;
        expected.push(format!("To: reader{i}@example.org"));
        let note = Note::new(Kind::Mention, None, "/questions/1/x".into(), "A title");
        notifications::notify(&app.ctx.db, &[user.id], &note)
            .await
            .unwrap();
    }
    let (ctx_a, ctx_b) = (app.ctx.clone(), app.ctx.clone());
    let a = tokio::spawn(async move { nightcoder::workers::run_pending(&ctx_a, "worker-a").await });
    let b = tokio::spawn(async move { nightcoder::workers::run_pending(&ctx_b, "worker-b").await });
    let (a, b) = (a.await.unwrap().unwrap(), b.await.unwrap().unwrap());
    assert_eq!(a + b, 24, "each job claimed once");
    let mails = app.mails();
    assert_eq!(mails.len(), 24);
    for to in expected {
        assert_eq!(mails.iter().filter(|m| m.contains(&to)).count(), 1, "{to}");
    }
}

#[tokio::test]
async fn the_daily_digest_lists_what_is_unread_once_a_day() {
    let app = TestApp::new().await;
    let author = app.create_user("author").await;
    let reader = app.create_user("reader").await;
    for i in 0..3 {
        // comments come in the digest by default
        let note = Note::new(
            Kind::Comment,
            Some(reader.id),
            format!("/questions/{i}/q#comment-{i}"),
            &format!("Question number {i}"),
        )
        .group(format!("comment:1:{i}"));
        notifications::notify(&app.ctx.db, &[author.id], &note)
            .await
            .unwrap();
    }
    // one of them is read already: not in the digest
    let first = notes::Entity::find()
        .one(&app.ctx.db)
        .await
        .unwrap()
        .unwrap();
    notifications::open(&app.ctx.db, author.id, first.id)
        .await
        .unwrap();
    app.run_jobs().await;
    assert!(app.mails().is_empty(), "daily kinds wait for the digest");

    let now = chrono::Utc::now();
    jobs::schedule_digests(&app.ctx.db, now - chrono::Duration::days(1))
        .await
        .unwrap();
    app.run_jobs().await;
    let mails = app.mails();
    assert_eq!(mails.len(), 1, "{mails:?}");
    let text = plain_text(&mails[0]);
    assert!(
        mails[0].contains("digest: 2 new notifications"),
        "{}",
        mails[0]
    );
    assert!(text.contains("Question number 1") && text.contains("Question number 2"));
    assert!(!text.contains("Question number 0"));
    assert!(text.contains("#comment-2"));
    // the same day again, or the next one with nothing new: no mail
    jobs::schedule_digests(&app.ctx.db, now - chrono::Duration::days(1))
        .await
        .unwrap();
    jobs::schedule_digests(&app.ctx.db, now).await.unwrap();
    app.run_jobs().await;
    assert_eq!(app.mails().len(), 1);
}

#[tokio::test]
async fn the_unsubscribe_link_works_without_login_and_cannot_be_forged() {
    let app = TestApp::new().await;
    let asker = app.create_user("asker").await;
    let q = app
        .question(&asker, "A question that gets answers", "rust")
        .await;
    answer(&app, "helper", &q).await;
    app.run_jobs().await;
    let link = unsubscribe_link(&app.mails()[0]);
    let path = link[link.find("/unsubscribe/").unwrap()..].to_string();
    let visitor = app.client();
    let html = visitor.get(&path).await.text();
    assert!(
        html.contains("Stop e-mails about: A new answer to my question?"),
        "{html}"
    );
    // a mail client's one-click POST: no session, no token, another origin
    let res = visitor
        .send(
            visitor
                .request(axum::http::Method::POST, &path)
                .add_header("origin", "https://mail.example.net")
                .form(&[("List-Unsubscribe", "One-Click")]),
        )
        .await;
    assert_eq!(res.status_code(), 303);
    assert_eq!(location(&res), path);
    let html = visitor.get(&path).await.text();
    assert!(
        html.contains("You will no longer get e-mails about"),
        "{html}"
    );
    answer(&app, "helper2", &q).await;
    let (asked, _) = (q.id, ());
    let q2 = app
        .question(&asker, "A second question with answers", "rust")
        .await;
    answer(&app, "helper3", &q2).await;
    app.run_jobs().await;
    assert_eq!(
        app.mails().len(),
        1,
        "no more answer mails (question {asked})"
    );
    // forged or foreign tokens
    let forged = path.replacen(&asker.id.to_string(), "999", 1);
    for bad in [
        forged.as_str(),
        "/unsubscribe/nonsense",
        "/unsubscribe/1-all.AAAA",
    ] {
        assert_eq!(visitor.get(bad).await.status_code(), 404, "{bad}");
        assert_eq!(visitor.post_raw(bad, &[]).await.status_code(), 404, "{bad}");
    }
}
