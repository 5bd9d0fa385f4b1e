//! What a notification is about, and how its e-mail goes out.
use serde::Serialize;

/// The events a user hears about. Each has its own e-mail setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A new answer to my question.
    Answer,
    /// A comment on my post.
    Comment,
    /// `@me` in a comment or an answer.
    Mention,
    /// My answer was accepted.
    Accepted,
    /// A new answer on a question I follow.
    Followed,
    /// Someone else edited my post (or approved my suggested edit).
    Edited,
    /// My post was closed, reopened, locked or deleted by someone else.
    Moderation,
    /// A flag I raised was resolved.
    Flag,
}

impl Kind {
    pub const ALL: [Self; 8] = [
        Self::Answer,
        Self::Comment,
        Self::Mention,
        Self::Accepted,
        Self::Followed,
        Self::Edited,
        Self::Moderation,
        Self::Flag,
    ];

    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Answer => "answer",
            Self::Comment => "comment",
            Self::Mention => "mention",
            Self::Accepted => "accepted",
            Self::Followed => "followed",
            Self::Edited => "edited",
            Self::Moderation => "moderation",
            Self::Flag => "flag",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The e-mail setting of a user who never changed it: what people want
    /// at once (an answer, a mention, a moderator's action) comes at once,
    /// the rest in the daily digest; flag outcomes only in the inbox.
    #[must_use]
    pub const fn default_mode(self) -> Mode {
        match self {
            Self::Answer | Self::Mention | Self::Moderation => Mode::Instant,
            Self::Comment | Self::Accepted | Self::Followed | Self::Edited => Mode::Daily,
            Self::Flag => Mode::Off,
        }
    }
}

/// When a kind of notification is e-mailed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Instant,
    Daily,
    Off,
}

impl Mode {
    pub const ALL: [Self; 3] = [Self::Instant, Self::Daily, Self::Off];

    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Instant => "instant",
            Self::Daily => "daily",
            Self::Off => "off",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }
}
