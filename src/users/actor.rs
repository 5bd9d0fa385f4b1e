//! Who is acting, as the domain sees them: a plain value the HTTP layer's
//! extractor produces from the session, so no domain function needs to
//! know about requests.
use serde::Serialize;

use super::accounts::{Model, Role};

/// The acting user: enough to decide what they may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub id: i64,
    pub role: Role,
    pub reputation: i64,
    /// The e-mail address is confirmed (staff count as confirmed).
    pub confirmed: bool,
}

impl Actor {
    #[must_use]
    pub fn of(user: &Model) -> Self {
        Self {
            id: user.id,
            role: user.role(),
            reputation: user.reputation,
            confirmed: user.email_confirmed_at.is_some(),
        }
    }

    #[must_use]
    pub fn is_staff(&self) -> bool {
        self.role >= Role::Moderator
    }

    #[must_use]
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// The user as the posting limits see them.
    #[must_use]
    pub fn poster(&self) -> crate::limits::Poster {
        crate::limits::Poster {
            user_id: self.id,
            reputation: self.reputation,
            staff: self.is_staff(),
        }
    }
}

/// A post's author as lists and pages show them.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub struct Author {
    pub name: String,
    pub url: String,
    pub reputation: i64,
    pub avatar_url: String,
}

impl Author {
    #[must_use]
    pub fn new(name: &str, reputation: i64, avatar: Option<&str>) -> Self {
        Self {
            name: name.to_string(),
            url: format!("/users/{name}"),
            reputation,
            avatar_url: avatar.map(|a| format!("/avatars/{a}")).unwrap_or_default(),
        }
    }

    #[must_use]
    pub fn of(user: &Model) -> Self {
        Self::new(&user.username, user.reputation, user.avatar.as_deref())
    }
}
