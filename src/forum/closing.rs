//! Closing and reopening questions: users with the close privilege vote
//! (three votes act), a moderator acts alone. A closed question takes no
//! new answers; votes and comments go on. A duplicate names its original.
use chrono::Utc;
use sea_orm::{ConnectionTrait, DatabaseConnection, FromQueryResult, Value};

use super::{questions, Error};
use crate::{
    audit::{self, Action, Subject},
    db::{write_txn, Sql},
    notifications::{self, Kind, Note},
    users::Actor,
};

/// Why a question is closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    Duplicate,
    OffTopic,
    NeedsDetails,
    OpinionBased,
}

impl Reason {
    pub const ALL: [Self; 4] = [
        Self::Duplicate,
        Self::OffTopic,
        Self::NeedsDetails,
        Self::OpinionBased,
    ];

    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Duplicate => "duplicate",
            Self::OffTopic => "off-topic",
            Self::NeedsDetails => "needs-details",
            Self::OpinionBased => "opinion-based",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// What a close or reopen vote asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request {
    Close {
        reason: Reason,
        duplicate_of: Option<i64>,
    },
    Reopen,
}

impl Request {
    const fn action(self) -> &'static str {
        match self {
            Self::Close { .. } => "close",
            Self::Reopen => "reopen",
        }
    }
}

/// What a vote did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Counted; `votes` of `needed` so far.
    Counted {
        votes: i64,
        needed: i64,
    },
    Closed,
    Reopened,
}

/// The close privilege: the reputation to vote and the votes that act.
#[derive(Debug, Clone, Copy)]
pub struct Thresholds {
    pub min: i64,
    pub votes: i64,
}

#[derive(Debug, FromQueryResult)]
struct Vote {
    user_id: i64,
    reason: Option<String>,
    duplicate_of: Option<i64>,
}

async fn votes_for(
    db: &impl ConnectionTrait,
    question_id: i64,
    action: &'static str,
) -> Result<Vec<Vote>, sea_orm::DbErr> {
    let mut q = Sql::new(
        "SELECT user_id, reason, duplicate_of FROM close_votes WHERE question_id = ? AND action = ? ORDER BY id",
    );
    q.push_bind("", [Value::from(question_id), Value::from(action)]);
    Vote::find_by_statement(q.build(db.get_database_backend()))
        .all(db)
        .await
}

/// The value most votes agree on (the earliest among equals).
fn most_common<T: PartialEq + Copy>(values: impl Iterator<Item = T>) -> Option<T> {
    let values: Vec<T> = values.collect();
    let mut best: Option<(T, usize)> = None;
    for v in &values {
        let n = values.iter().filter(|x| *x == v).count();
        if best.is_none_or(|(_, m)| n > m) {
            best = Some((*v, n));
        }
    }
    best.map(|(v, _)| v)
}

/// Casts `actor`'s vote to close or reopen question `id`. The question's
/// row is locked for the transaction, so votes that arrive together are
/// counted one after the other and the question changes state once.
///
/// # Errors
/// `NotFound`, `Locked`, `Reputation`, `AlreadyVoted`, `WrongState` (closing
/// a closed question, reopening an open one), `BadDuplicate`.
pub async fn vote(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    request: Request,
    thresholds: Thresholds,
) -> Result<Outcome, Error> {
    let txn = write_txn(db).await?;
    let question = questions::Model::lock(&txn, id)
        .await?
        .filter(|q| !q.is_deleted())
        .ok_or(Error::NotFound)?;
    if question.is_locked() && !actor.is_staff() {
        return Err(Error::Locked);
    }
    if !actor.is_staff() && actor.reputation < thresholds.min {
        return Err(Error::Reputation(thresholds.min));
    }
    let closed = question.closed_at.is_some();
    match request {
        Request::Close { .. } if closed => return Err(Error::WrongState),
        Request::Reopen if !closed => return Err(Error::WrongState),
        _ => {}
    }
    if let Request::Close {
        reason: Reason::Duplicate,
        duplicate_of,
    } = request
    {
        let original = match duplicate_of {
            Some(original) if original != id => questions::Model::find_live(&txn, original).await?,
            _ => None,
        };
        if original.is_none() {
            return Err(Error::BadDuplicate);
        }
    }
    let (reason, duplicate_of) = match request {
        Request::Close {
            reason,
            duplicate_of,
        } => (
            Some(reason.as_str()),
            duplicate_of.filter(|_| reason == Reason::Duplicate),
        ),
        Request::Reopen => (None, None),
    };
    let now = Utc::now().fixed_offset();
    let inserted = Sql::new(
        "INSERT INTO close_votes (question_id, user_id, action, reason, duplicate_of, created_at, updated_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
    )
    .push_bind(
        "",
        [
            Value::from(id),
            Value::from(actor.id),
            Value::from(request.action()),
            Value::from(reason.map(str::to_string)),
            Value::from(duplicate_of),
            Value::from(now),
            Value::from(now),
        ],
    )
    .execute(&txn)
    .await?;
    if inserted == 0 && !actor.is_staff() {
        return Err(Error::AlreadyVoted);
    }
    let votes = votes_for(&txn, id, request.action()).await?;
    let count = i64::try_from(votes.len()).unwrap_or(i64::MAX);
    if !actor.is_staff() && count < thresholds.votes {
        txn.commit().await?;
        return Ok(Outcome::Counted {
            votes: count,
            needed: thresholds.votes,
        });
    }
    // a moderator decides alone; the community by its majority
    let (reason, duplicate_of) = if actor.is_staff() {
        (reason, duplicate_of)
    } else {
        let reason = most_common(votes.iter().filter_map(|v| v.reason.as_deref()));
        let duplicate_of = most_common(votes.iter().filter_map(|v| v.duplicate_of))
            .filter(|_| reason == Some(Reason::Duplicate.as_str()));
        (reason, duplicate_of)
    };
    let closing = matches!(request, Request::Close { .. });
    let voters: Vec<String> = votes.iter().map(|v| v.user_id.to_string()).collect();
    Sql::new(
        "UPDATE questions SET closed_at = ?, closed_by = ?, close_reason = ?, duplicate_of = ?, \
         updated_at = ? WHERE id = ?",
    )
    .push_bind(
        "",
        [
            Value::from(closing.then_some(now)),
            Value::from((closing && actor.is_staff()).then_some(actor.id)),
            Value::from(reason.filter(|_| closing).map(str::to_string)),
            Value::from(duplicate_of.filter(|_| closing)),
            Value::from(now),
            Value::from(id),
        ],
    )
    .execute(&txn)
    .await?;
    Sql::new("DELETE FROM close_votes WHERE question_id = ?")
        .push_bind("", [Value::from(id)])
        .execute(&txn)
        .await?;
    let action = if closing {
        Action::QuestionClose
    } else {
        Action::QuestionReopen
    };
    let mut entry = audit::Entry::new(actor.id, action, Subject::Question, id)
        .user(question.user_id)
        .details(if actor.is_staff() {
            format!("moderator; {}", reason.unwrap_or("reopen"))
        } else {
            format!(
                "community ({}); {}",
                voters.join(", "),
                reason.unwrap_or("reopen")
            )
        });
    if let Some(original) = duplicate_of.filter(|_| closing) {
        entry = entry.reason(&format!("duplicate of #{original}"));
    }
    audit::record(&txn, &entry).await?;
    let detail = match (closing, duplicate_of) {
        (true, Some(_)) => "duplicate",
        (true, None) => "closed",
        (false, _) => "reopened",
    };
    let by = actor.is_staff().then_some(actor.id);
    let note: Note = question.note(Kind::Moderation, by, None).detail(detail);
    notifications::notify(&txn, &[question.user_id], &note).await?;
    txn.commit().await?;
    Ok(if closing {
        Outcome::Closed
    } else {
        Outcome::Reopened
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_majority_decides_and_the_first_breaks_ties() {
        assert_eq!(most_common(["a", "b", "b"].into_iter()), Some("b"));
        assert_eq!(most_common(["a", "b", "c"].into_iter()), Some("a"));
        assert_eq!(most_common(std::iter::empty::<i64>()), None);
    }
}
