//! Abuse limits kept in the database, so that every app process counts
//! against the same numbers and nothing depends on a proxy in front.
//!
//! A limit is a list of fixed windows ([`Rule`]s): "5 per minute, 20 per
//! hour, 50 per day" is a growing back-off, since each tier that fills up
//! makes the client wait longer. Every counter is one row
//! `(bucket/window, window start)` incremented by an upsert, so concurrent
//! requests never lose a hit and never need a lock.
use chrono::Utc;
use sea_orm::{ConnectionTrait, DbErr, FromQueryResult, Value};
use serde::{Deserialize, Serialize};

use crate::db::Sql;

/// At most `max` hits per `per_secs` seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub max: i64,
    pub per_secs: i64,
}

impl Rule {
    #[must_use]
    pub const fn new(max: i64, per_secs: i64) -> Self {
        Self { max, per_secs }
    }
}

/// What a limit says about one more request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allowed,
    /// Over the limit; the client may try again after this many seconds.
    Refused {
        retry_after: i64,
    },
}

/// A request over a limit (for `?` in handlers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("over the limit; retry after {retry_after} s")]
pub struct Refused {
    pub retry_after: i64,
}

impl Decision {
    #[must_use]
    pub const fn is_refused(self) -> bool {
        matches!(self, Self::Refused { .. })
    }

    /// `Err` when refused.
    ///
    /// # Errors
    /// [`Refused`] with the wait.
    pub const fn ok(self) -> Result<(), Refused> {
        match self {
            Self::Allowed => Ok(()),
            Self::Refused { retry_after } => Err(Refused { retry_after }),
        }
    }

    /// The stricter of two decisions.
    #[must_use]
    pub const fn and(self, other: Self) -> Self {
        match (self, other) {
            (Self::Refused { retry_after: a }, Self::Refused { retry_after: b }) => Self::Refused {
                retry_after: if a > b { a } else { b },
            },
            (Self::Refused { .. }, Self::Allowed) => self,
            (Self::Allowed, _) => other,
        }
    }
}

/// A short stand-in for text a client chose (a typed login, an e-mail
/// address) in a bucket name: fixed length, no personal data in the table.
#[must_use]
pub fn digest(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes())
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Kinds of posts with an hourly limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostKind {
    Question,
    Answer,
    Review,
    Comment,
    Flag,
    Edit,
}

impl PostKind {
    const fn name(self) -> &'static str {
        match self {
            Self::Question => "question",
            Self::Answer => "answer",
            Self::Review => "review",
            Self::Comment => "comment",
            Self::Flag => "flag",
            Self::Edit => "edit",
        }
    }
}

/// Who is posting, as the limits see them.
#[derive(Debug, Clone, Copy)]
pub struct Poster {
    pub user_id: i64,
    pub reputation: i64,
    /// Moderators and admins are not limited.
    pub staff: bool,
}

/// Counts a post of `kind` against its hourly limit: stricter for new
/// accounts, looser for trusted ones.
///
/// # Errors
/// On database errors.
pub async fn post(
    db: &impl ConnectionTrait,
    limits: &crate::settings::LimitSettings,
    kind: PostKind,
    who: Poster,
) -> Result<Decision, DbErr> {
    if who.staff {
        return Ok(Decision::Allowed);
    }
    let (bucket, rule) = post_rule(limits, kind, who);
    hit(db, &bucket, &[rule]).await
}

/// Gives back the post [`post`] counted when the post was then refused
/// (a second review of a course, a flag on one's own post).
///
/// # Errors
/// On database errors.
pub async fn post_refund(
    db: &impl ConnectionTrait,
    limits: &crate::settings::LimitSettings,
    kind: PostKind,
    who: Poster,
) -> Result<(), DbErr> {
    if who.staff {
        return Ok(());
    }
    let (bucket, rule) = post_rule(limits, kind, who);
    refund(db, &bucket, &[rule]).await
}

fn post_rule(
    limits: &crate::settings::LimitSettings,
    kind: PostKind,
    who: Poster,
) -> (String, Rule) {
    let (user_id, reputation) = (who.user_id, who.reputation);
    let p = &limits.posts;
    let per_hour = match kind {
        PostKind::Question => p.question,
        PostKind::Answer => p.answer,
        PostKind::Review => p.review,
        PostKind::Comment => p.comment,
        PostKind::Flag => p.flag,
        PostKind::Edit => p.edit,
    };
    let max = if reputation < p.new_below {
        per_hour.new
    } else if reputation >= p.trusted_from {
        per_hour.trusted
    } else {
        per_hour.regular
    };
    (format!("{}:{user_id}", kind.name()), Rule::new(max, 3_600))
}

/// The start of the upsert that counts hits, before its rows.
macro_rules! insert {
    () => {
        "INSERT INTO rate_limits (bucket, window_start, hits, expires_at) VALUES "
    };
}

/// One counter row of the upsert, bound by [`Tick::values`].
macro_rules! row {
    () => {
        "(?, ?, 1, ?)"
    };
}

/// What the upsert does to a row that is there already.
macro_rules! on_hit {
    () => {
        " ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limits.hits + 1"
    };
}

/// One hit on one window of a limit. [`hit`] counts one per rule in a
/// single upsert; a statement that does other work too (a vote's context
/// read) counts a one-window limit with no round trip of its own:
/// [`Tick::UPSERT`] with [`Tick::values`] is that statement's part, and
/// [`Tick::decide`] judges the count it returns.
#[derive(Debug, Clone)]
pub struct Tick {
    bucket: String,
    rule: Rule,
    now: i64,
}

impl Tick {
    /// The upsert of the counter row, bound by [`Self::values`].
    pub const UPSERT: &'static str = concat!(insert!(), row!(), on_hit!());

    fn new(bucket: impl Into<String>, rule: Rule, now: i64) -> Self {
        Self {
            bucket: bucket.into(),
            rule,
            now,
        }
    }

    /// A vote by `user_id` now, against the daily vote limit.
    #[must_use]
    pub fn vote(limits: &crate::settings::LimitSettings, user_id: i64) -> Self {
        Self::new(
            format!("vote:{user_id}"),
            Rule::new(limits.votes_per_day, 86_400),
            Utc::now().timestamp(),
        )
    }

    /// The values of [`Self::UPSERT`]'s placeholders: the row's key, its
    /// window start, its expiry.
    #[must_use]
    pub fn values(&self) -> [Value; 3] {
        let start = window_start(self.now, self.rule);
        [
            Value::from(key(&self.bucket, self.rule)),
            Value::from(start),
            Value::from(start + self.rule.per_secs),
        ]
    }

    /// The counter row's key, `bucket = ? AND window_start = ?`, for a
    /// store that reads the count back rather than returning it.
    #[must_use]
    pub fn row_key(&self) -> [Value; 2] {
        let [bucket, start, _] = self.values();
        [bucket, start]
    }

    /// What the limit says now that the window holds `hits`.
    #[must_use]
    pub fn decide(&self, hits: i64) -> Decision {
        let row = Hits {
            bucket: key(&self.bucket, self.rule),
            window_start: window_start(self.now, self.rule),
            hits: i32::try_from(hits).unwrap_or(i32::MAX),
        };
        decide(&[row], &self.bucket, &[self.rule], self.now)
    }
}

#[derive(Debug, FromQueryResult)]
struct Hits {
    bucket: String,
    window_start: i64,
    hits: i32,
}

/// The row key of `bucket` under `rule`: windows of different sizes may
/// start at the same second, so the size is part of the key.
fn key(bucket: &str, rule: Rule) -> String {
    format!("{bucket}/{}", rule.per_secs)
}

fn window_start(now: i64, rule: Rule) -> i64 {
    let per = rule.per_secs.max(1);
    now - now.rem_euclid(per)
}

/// The kind of limit a bucket counts (`login-account:42` → `login-account`),
/// a label with few values for the refusal counter.
fn kind(bucket: &str) -> String {
    bucket.split(':').next().unwrap_or_default().to_string()
}

fn decide(rows: &[Hits], bucket: &str, rules: &[Rule], now: i64) -> Decision {
    let mut decision = Decision::Allowed;
    for rule in rules {
        let start = window_start(now, *rule);
        let k = key(bucket, *rule);
        let hits = rows
            .iter()
            .find(|r| r.bucket == k && r.window_start == start)
            .map_or(0, |r| i64::from(r.hits));
        if hits > rule.max {
            if !decision.is_refused() {
                metrics::counter!("nightcoder_rate_limit_refusals_total", "limit" => kind(bucket))
                    .increment(1);
            }
            decision = decision.and(Decision::Refused {
                retry_after: (start + rule.per_secs - now).max(1),
            });
        }
    }
    decision
}

/// Counts one hit on `bucket` in every window of `rules` and says whether
/// it is over any of them (one statement, whatever the number of rules).
///
/// # Errors
/// On database errors.
pub async fn hit(
    db: &impl ConnectionTrait,
    bucket: &str,
    rules: &[Rule],
) -> Result<Decision, DbErr> {
    if rules.is_empty() {
        return Ok(Decision::Allowed);
    }
    let now = Utc::now().timestamp();
    let mut q = Sql::new(insert!());
    for (i, rule) in rules.iter().enumerate() {
        let row = if i == 0 {
            row!()
        } else {
            concat!(", ", row!())
        };
        q.push_bind(row, Tick::new(bucket, *rule, now).values());
    }
    q.push(concat!(on_hit!(), " RETURNING bucket, window_start, hits"));
    let rows = Hits::find_by_statement(q.build(db.get_database_backend()))
        .all(db)
        .await?;
    sweep_now_and_then(db).await;
    Ok(decide(&rows, bucket, rules, now))
}

/// Now and then, after a hit, sweeps the windows that have passed, so the
/// table stays bounded even without the hourly housekeeping; a failed
/// sweep is not the request's problem.
pub async fn sweep_now_and_then(db: &impl ConnectionTrait) {
    if rand::random_ratio(1, 512) {
        if let Err(error) = crate::db::statements::aside(purge_expired(db)).await {
            tracing::warn!(%error, "sweeping old rate-limit windows failed");
        }
    }
}

/// Takes one hit back from the current windows of `bucket` (a login that
/// turned out to be right).
///
/// # Errors
/// On database errors.
pub async fn refund(db: &impl ConnectionTrait, bucket: &str, rules: &[Rule]) -> Result<(), DbErr> {
    let now = Utc::now().timestamp();
    for rule in rules {
        Sql::new("UPDATE rate_limits SET hits = hits - 1 WHERE bucket = ? AND window_start = ? AND hits > 0")
            .push_bind(
                "",
                [
                    Value::from(key(bucket, *rule)),
                    Value::from(window_start(now, *rule)),
                ],
            )
            .execute(db)
            .await?;
    }
    Ok(())
}

/// Forgets every window of `bucket`.
///
/// # Errors
/// On database errors.
pub async fn clear(db: &impl ConnectionTrait, bucket: &str, rules: &[Rule]) -> Result<(), DbErr> {
    if rules.is_empty() {
        return Ok(());
    }
    let mut q = Sql::new("DELETE FROM rate_limits WHERE bucket IN ");
    q.push_in(rules.iter().map(|r| Value::from(key(bucket, *r))));
    q.execute(db).await?;
    Ok(())
}

/// Deletes counters whose window has passed.
///
/// # Errors
/// On database errors.
pub async fn purge_expired(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    Sql::new("DELETE FROM rate_limits WHERE expires_at <= ?")
        .push_bind("", [Value::from(Utc::now().timestamp())])
        .execute(db)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(bucket: &str, start: i64, hits: i32) -> Hits {
        Hits {
            bucket: bucket.to_string(),
            window_start: start,
            hits,
        }
    }

    #[test]
    fn the_longest_full_window_decides_the_wait() {
        let rules = [Rule::new(5, 60), Rule::new(20, 3600)];
        let now = 7_230; // 30 s into a minute, 30 s into the third hour
        let minute = window_start(now, rules[0]);
        let hour = window_start(now, rules[1]);
        assert_eq!((minute, hour), (7_200, 7_200));
        let under = [row("b/60", minute, 5), row("b/3600", hour, 5)];
        assert_eq!(decide(&under, "b", &rules, now), Decision::Allowed);
        let minute_full = [row("b/60", minute, 6), row("b/3600", hour, 6)];
        assert_eq!(
            decide(&minute_full, "b", &rules, now),
            Decision::Refused { retry_after: 30 }
        );
        let both_full = [row("b/60", minute, 21), row("b/3600", hour, 21)];
        assert_eq!(
            decide(&both_full, "b", &rules, now),
            Decision::Refused { retry_after: 3_570 }
        );
        // a row of an older window does not count
        let stale = [row("b/60", minute - 60, 99)];
        assert_eq!(decide(&stale, "b", &rules, now), Decision::Allowed);
    }
}
