//! One-click unsubscribe links: a signed token names the user and what to
//! stop (one kind, or every e-mail), so no login is needed and nobody can
//! forge one for somebody else.
use sea_orm::ConnectionTrait;

use super::{prefs, Kind, Mode};
use crate::{
    db::DbResult,
    keys::{Keys, Use},
};

/// What a link stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Kind(Kind),
    All,
}

impl Scope {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Kind(kind) => kind.as_str(),
            Self::All => "all",
        }
    }
}

/// The token of the link that stops `scope` for `user_id`.
#[must_use]
pub fn token(keys: &Keys, user_id: i64, scope: Scope) -> String {
    keys.sign(Use::Unsubscribe, &format!("{user_id}-{}", scope.as_str()))
}

/// Who and what a token stands for; `None` for anything not signed by us.
#[must_use]
pub fn parse(keys: &Keys, token: &str) -> Option<(i64, Scope)> {
    let message = keys.verify(Use::Unsubscribe, token)?;
    let (user, scope) = message.split_once('-')?;
    let scope = match scope {
        "all" => Scope::All,
        kind => Scope::Kind(Kind::parse(kind)?),
    };
    Some((user.parse().ok()?, scope))
}

/// Turns the e-mails of `scope` off for `user_id` (idempotent).
///
/// # Errors
/// On database errors.
pub async fn apply(db: &impl ConnectionTrait, user_id: i64, scope: Scope) -> DbResult<()> {
    match scope {
        Scope::Kind(kind) => prefs::set(db, user_id, kind, Mode::Off).await,
        Scope::All => {
            for kind in Kind::ALL {
                prefs::set(db, user_id, kind, Mode::Off).await?;
            }
            Ok(())
        }
    }
}

/// Whether `scope` is already off for `user_id`.
///
/// # Errors
/// On database errors.
pub async fn is_off(db: &impl ConnectionTrait, user_id: i64, scope: Scope) -> DbResult<bool> {
    let settings = prefs::of_user(db, user_id).await?;
    Ok(settings
        .iter()
        .filter(|(kind, _)| scope == Scope::All || scope == Scope::Kind(*kind))
        .all(|(_, mode)| *mode == Mode::Off))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_cannot_be_forged() {
        let keys = Keys::from_bytes([7; 32]);
        let t = token(&keys, 42, Scope::Kind(Kind::Answer));
        assert_eq!(parse(&keys, &t), Some((42, Scope::Kind(Kind::Answer))));
        assert_eq!(
            parse(&keys, &token(&keys, 9, Scope::All)),
            Some((9, Scope::All))
        );
        let forged = t.replacen("42", "43", 1);
        assert_eq!(parse(&keys, &forged), None);
        assert_eq!(parse(&Keys::from_bytes([8; 32]), &t), None);
        assert_eq!(parse(&keys, "garbage"), None);
    }
}
