//! The small demo data set offered by the development start: a few accounts
//! (password `nightcoder-demo` for all) so a newcomer can log in at once.
//! It is loaded only in development, and only into an empty database.
use chrono::Utc;
use loco_rs::{
    app::AppContext,
    environment::Environment,
    task::{Task, TaskInfo, Vars},
    Error, Result,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait, PaginatorTrait, QueryOrder,
};

use crate::{
    admin::flags::{self, FlagError, FlagParams},
    counters,
    forum::{
        self, answers, comments,
        questions::{self, QuestionParams},
    },
    markdown, reviews,
    users::{self, Actor, Role},
    votes::{Direction, Target, VoteError, Votes},
};

/// A demo vote: the voter may be the post's author, which the rules refuse
/// (and the demo skips); anything else that fails stops the seed.
async fn demo_vote(votes: &Votes, voter: i64, target: Target) -> Result<()> {
    match votes.cast(voter, target, Direction::Up).await {
        Ok(_) | Err(VoteError::SelfVote) => Ok(()),
        Err(err) => Err(Error::Message(format!("demo vote on {target:?}: {err}"))),
    }
}

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "nightcoder-demo";

const ACCOUNTS: &[(&str, Role, &str)] = &[
    (
        "admin",
        Role::Admin,
        "Runs the place. Ask me about moderation.",
    ),
    (
        "moderator",
        Role::Moderator,
        "Keeps the questions on topic.",
    ),
    ("alice", Role::User, "Rust and databases. Night owl."),
    ("boris", Role::User, "Пишу на Go и Rust, люблю PostgreSQL."),
    ("carol", Role::User, "Frontend by day, compilers by night."),
];

/// Seeds the demo accounts when the database has no users.
///
/// # Errors
/// On database errors, or when called outside development.
pub async fn seed_if_empty(ctx: &AppContext) -> Result<()> {
    if ctx.environment == Environment::Production {
        return Err(Error::Message(
            "demo data is never loaded in production".into(),
        ));
    }
    if users::Entity::find().count(&ctx.db).await? > 0 {
        return Ok(());
    }
    let hash = crate::passwords::hash(DEMO_PASSWORD)
        .await
        .map_err(|e| Error::Message(e.to_string()))?;
    let now = Utc::now().fixed_offset();
    for (name, role, bio) in ACCOUNTS {
        users::ActiveModel {
            username: Set((*name).to_string()),
            email: Set(format!("{name}@demo.nightcoder.local")),
            password_hash: Set(hash.clone()),
            role: Set(role.as_str().to_string()),
            reputation: Set(1),
            bio: Set((*bio).to_string()),
            session_version: Set(0),
            email_confirmed_at: Set(Some(now)),
            // as in `register`: not left to the defaults
            ledger_rows: Set(0),
            question_count: Set(0),
            answer_count: Set(0),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&ctx.db)
        .await?;
    }
    counters::recount(&ctx.db).await?;
    crate::users::post_counts::recount(&ctx.db).await?;
    seed_forum(ctx).await?;
    // the demo's notifications wait in the inboxes; their mails would only
    // bury the first lines of a first start
    ctx.db
        .execute_unprepared(
            "UPDATE notifications SET emailed_at = created_at; \
             DELETE FROM jobs WHERE kind LIKE 'notify.%'",
        )
        .await?;
    tracing::info!(
        accounts = ACCOUNTS.len(),
        "demo data loaded (development only)"
    );
    Ok(())
}

/// (author, title, body, tags, answers as (author, body), accepted answer index)
type DemoQuestion = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
    Option<usize>,
);

const QUESTIONS: &[DemoQuestion] = &[
    (
        "alice",
        "Why does the borrow checker reject two mutable references?",
        "I keep a `Vec` of users and want to update two of them at once:\n\n```rust\nlet a = &mut users[0];\nlet b = &mut users[1];\n```\n\nThe compiler says *cannot borrow `users` as mutable more than once*. Why, and what is the idiomatic fix?",
        "rust borrow-checker",
        &[
            ("carol", "The compiler cannot prove the two indices differ. Use `split_at_mut`:\n\n```rust\nlet (left, right) = users.split_at_mut(1);\nlet (a, b) = (&mut left[0], &mut right[0]);\n```"),
            ("boris", "Another option is `get_many_mut` / `get_disjoint_mut` on newer Rust versions, which checks the indices at run time."),
        ],
        Some(0),
    ),
    (
        "boris",
        "Как ускорить COUNT(*) на большой таблице PostgreSQL?",
        "В таблице 50 млн строк, и `SELECT COUNT(*)` выполняется несколько секунд. Индексы есть. Можно ли считать быстрее, если точное число не обязательно?",
        "postgresql performance",
        &[("alice", "Если точность не нужна, возьмите оценку планировщика: `SELECT reltuples FROM pg_class WHERE relname = 'table'`. Для точного числа держите счётчик в отдельной таблице и обновляйте его в той же транзакции.")],
        Some(0),
    ),
    (
        "carol",
        "How do I cancel a fetch request when the component unmounts?",
        "My React component starts a `fetch` in `useEffect`. If the user navigates away quickly I get a warning about updating an unmounted component. What is the clean way to cancel it?",
        "javascript react",
        &[("alice", "Create an `AbortController` in the effect and call `abort()` in the cleanup function; pass `signal` to `fetch`.")],
        None,
    ),
    (
        "alice",
        "SQLite says database is locked under concurrent writes",
        "Two workers write to the same SQLite file in WAL mode and one of them fails immediately with `SQLITE_BUSY`, even though `busy_timeout` is 5 seconds. Why does the timeout not help?",
        "sqlite concurrency",
        &[],
        None,
    ),
    (
        "boris",
        "Чем отличается tokio::spawn от spawn_blocking?",
        "Когда нужно использовать `spawn_blocking`, а когда достаточно обычного `tokio::spawn`? У меня хеширование паролей тормозит весь сервер.",
        "rust tokio async",
        &[("carol", "`spawn_blocking` уводит работу в отдельный пул потоков, где её можно блокировать. Хеширование argon2 — как раз такая работа: иначе оно занимает поток рантайма и задерживает все остальные задачи.")],
        Some(0),
    ),
];

/// (author, course as typed, title, rating, body) — two spellings of the
/// same course on purpose: they land on one course page.
const REVIEWS: &[(&str, &str, &str, &str, &str)] = &[
    ("alice", "Rust in Action", "Hands-on and honest about the hard parts", "5", "The chapters on ownership finally made lifetimes click for me. Exercises are practical: a CPU emulator, a key-value store, a small network stack."),
    ("boris", "  rust in   action", "Хорошо, но местами поверхностно", "4", "Отличные практические главы, но про async написано слишком кратко. Для старта — то, что нужно."),
    ("carol", "Django Mastery", "Solid basics, dated deployment chapter", "3", "Models, forms and the admin are explained well. The deployment chapter still uses practices that nobody recommends anymore."),
    ("alice", "The Missing Semester", "Every developer should take this", "5", "Shell, git, editors, debugging, profiling: the things nobody teaches you but everybody expects you to know."),
];

async fn seed_forum(ctx: &AppContext) -> Result<()> {
    for (author, course, title, rating, body) in REVIEWS {
        let author = users::Model::find_by_username(&ctx.db, author)
            .await?
            .ok_or(Error::NotFound)?;
        let params = reviews::ReviewParams {
            course: (*course).into(),
            title: (*title).into(),
            body: (*body).into(),
            rating: (*rating).into(),
            ..Default::default()
        };
        let valid = params
            .validate()
            .map_err(|e| Error::Message(format!("demo review invalid: {e:?}")))?;
        reviews::Model::create(&ctx.db, author.id, valid)
            .await
            .map_err(|e| Error::Message(format!("demo review: {e:?}")))?;
    }
    for (author, title, body, tags, replies, accepted) in QUESTIONS {
        let author = users::Model::find_by_username(&ctx.db, author)
            .await?
            .ok_or(Error::NotFound)?;
        let params = QuestionParams {
            title: (*title).into(),
            body: (*body).into(),
            tags: (*tags).into(),
            summary: String::new(),
            check: String::new(),
            preview: String::new(),
        };
        let valid = params
            .validate()
            .map_err(|e| Error::Message(format!("demo question invalid: {e:?}")))?;
        let question = questions::Model::create(&ctx.db, author.id, valid).await?;
        let mut ids = Vec::new();
        for (who, text) in *replies {
            let who = users::Model::find_by_username(&ctx.db, who)
                .await?
                .ok_or(Error::NotFound)?;
            let html = markdown::render(text).map_err(|e| Error::Message(format!("{e:?}")))?;
            let answer = answers::Model::create(&ctx.db, question.id, who.id, (*text).into(), html)
                .await
                .map_err(|e| Error::Message(e.to_string()))?;
            ids.push(answer.id);
        }
        // a few votes so that reputation, scores and leaderboards have data
        let votes = Votes::get(ctx);
        for name in ["admin", "moderator", "alice", "boris", "carol"] {
            let voter = users::Model::find_by_username(&ctx.db, name)
                .await?
                .ok_or(Error::NotFound)?;
            demo_vote(&votes, voter.id, Target::question(question.id)).await?;
            if let Some(first) = ids.first() {
                demo_vote(&votes, voter.id, Target::answer(*first)).await?;
            }
        }
        if let Some(i) = accepted {
            answers::toggle_accept(&ctx.db, &Votes::get(ctx), ids[*i], &Actor::of(&author))
                .await
                .map_err(|e| Error::Message(e.to_string()))?;
        }
    }
    seed_comments(ctx).await?;
    seed_flag(ctx).await
}

/// (commenter, index of the question, comment) — on questions; the asker
/// may always comment, the others have the reputation by then.
const COMMENTS: &[(&str, usize, &str)] = &[
    (
        "moderator",
        0,
        "Could you add the exact error message? It helps people find this later.",
    ),
    (
        "alice",
        0,
        "@boris the `Send` bound is usually the culprit here.",
    ),
    ("boris", 1, "Спасибо, @alice, это помогло!"),
];

/// A few comments (and so a few notifications for the demo accounts).
async fn seed_comments(ctx: &AppContext) -> Result<()> {
    let questions = questions::Entity::find()
        .order_by_asc(questions::Column::Id)
        .all(&ctx.db)
        .await?;
    let min = Votes::get(ctx).rules().settings().comment_min;
    for (who, index, text) in COMMENTS {
        let (Some(question), Some(user)) = (
            questions.get(*index),
            users::Model::find_by_username(&ctx.db, who).await?,
        ) else {
            continue;
        };
        let parent = comments::Parent::Question(question.id);
        match comments::create(&ctx.db, &Actor::of(&user), min, parent, text).await {
            Ok(_) | Err(forum::Error::Reputation(_)) => {}
            Err(err) => return Err(Error::Message(format!("demo comment: {err}"))),
        }
    }
    Ok(())
}

/// One pending flag, so the moderation queue has something to show.
async fn seed_flag(ctx: &AppContext) -> Result<()> {
    let Some(question) = questions::Entity::find().one(&ctx.db).await? else {
        return Ok(());
    };
    let params = FlagParams {
        reason: "off_topic".into(),
        note: "Looks like a duplicate of an older question.".into(),
    };
    for name in ["carol", "boris", "alice"] {
        let Some(user) = users::Model::find_by_username(&ctx.db, name).await? else {
            continue;
        };
        let votes = Votes::get(ctx);
        let target = Target::question(question.id);
        // the first demo user who may flag it does (the author may not)
        match flags::create(
            &ctx.db,
            &votes,
            &Actor::of(&user),
            flags::Flagged::Post(target),
            &params,
        )
        .await
        {
            Ok(_) => break,
            Err(FlagError::Own | FlagError::NotEnoughReputation(_)) => {}
            Err(err) => return Err(Error::Message(format!("demo flag: {err}"))),
        }
    }
    Ok(())
}

pub struct SeedDemo;

#[async_trait::async_trait]
impl Task for SeedDemo {
    fn task(&self) -> TaskInfo {
        TaskInfo {
            name: "seed:demo".to_string(),
            detail: "load the small demo data set into an empty database (not in production)"
                .to_string(),
        }
    }

    async fn run(&self, ctx: &AppContext, _vars: &Vars) -> Result<()> {
        seed_if_empty(ctx).await
    }
}
