//! Application settings from the `settings:` block of `config/<env>.yaml`.
//!
//! Everything tunable lives here, in one place; code reads it through
//! [`Settings::get`] from the app context's shared store.
use loco_rs::{app::AppContext, Error, Result};
use serde::{Deserialize, Serialize};

/// Points and thresholds of the reputation system (SPEC "Reputation rules").
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct ReputationSettings {
    pub question_up: i64,
    pub question_down: i64,
    pub answer_up: i64,
    pub answer_down: i64,
    pub review_up: i64,
    pub review_down: i64,
    pub accept: i64,
    /// At most this many points per user and UTC day come from votes.
    pub daily_vote_cap: i64,
    pub vote_up_min: i64,
    pub vote_down_min: i64,
    pub flag_min: i64,
}

impl Default for ReputationSettings {
    fn default() -> Self {
        Self {
            question_up: 5,
            question_down: -2,
            answer_up: 10,
            answer_down: -2,
            review_up: 3,
            review_down: -1,
            accept: 15,
            daily_vote_cap: 200,
            vote_up_min: 1,
            vote_down_min: 15,
            flag_min: 15,
        }
    }
}

/// Cookie session settings.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct SessionSettings {
    pub cookie_name: String,
    /// `Secure` cookie flag; on in production (served over HTTPS by Nginx).
    pub secure: bool,
    /// A session unused for this many days expires.
    pub idle_days: i64,
    /// A login is valid at most this many days, however active.
    pub absolute_days: i64,
}

impl Default for SessionSettings {
    fn default() -> Self {
        Self {
            cookie_name: "nightcoder_session".to_string(),
            secure: false,
            idle_days: 14,
            absolute_days: 30,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Absolute URL users reach the forum at (links in e-mails).
    pub public_url: String,
    /// Extra origins accepted on POSTs besides the request's own host.
    pub trusted_origins: Vec<String>,
    /// Largest request body the app reads, in bytes (keep Nginx aligned).
    pub max_body_bytes: usize,
    /// Largest avatar upload, in bytes.
    pub max_avatar_bytes: usize,
    /// Where avatars are stored (loco storage, local disk driver).
    pub uploads_dir: String,
    /// Adds `x-query-count` to responses (development and tests).
    pub expose_query_count: bool,
    /// Loads the small demo data set at boot when the database is empty.
    pub demo_seed: bool,
    /// Sender of outgoing e-mail.
    pub mail_from: String,
    pub session: SessionSettings,
    pub reputation: ReputationSettings,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            public_url: "http://localhost:5150".to_string(),
            trusted_origins: Vec::new(),
            max_body_bytes: 2 * 1024 * 1024,
            max_avatar_bytes: 1024 * 1024,
            uploads_dir: "uploads".to_string(),
            expose_query_count: false,
            demo_seed: false,
            mail_from: "NightCoder <noreply@localhost>".to_string(),
            session: SessionSettings::default(),
            reputation: ReputationSettings::default(),
        }
    }
}

impl Settings {
    /// Parses the `settings:` block of the loaded config.
    ///
    /// # Errors
    /// When the block has unknown keys or wrong types.
    pub fn from_context(ctx: &AppContext) -> Result<Self> {
        match &ctx.config.settings {
            Some(value) => serde_json::from_value(value.clone())
                .map_err(|e| Error::Message(format!("invalid `settings` in config: {e}"))),
            None => Ok(Self::default()),
        }
    }

    /// The settings stored in the shared store at boot.
    ///
    /// # Panics
    /// When called before `after_context` stored them (a wiring bug).
    #[must_use]
    pub fn get(ctx: &AppContext) -> std::sync::Arc<Self> {
        ctx.shared_store
            .get::<std::sync::Arc<Self>>()
            .expect("settings are stored in after_context")
    }
}
