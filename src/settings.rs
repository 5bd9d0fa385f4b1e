//! Application settings from the `settings:` block of `config/<env>.yaml`.
//!
//! Everything tunable lives here, in one place; code reads it through
//! [`Settings::get`] from the app context's shared store.
use loco_rs::{app::AppContext, Error, Result};
use serde::{Deserialize, Serialize};

use crate::limits::Rule;

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
    /// Comment anywhere (one's own posts and answers to one's own question
    /// need nothing).
    pub comment_min: i64,
    /// Edit others' posts directly; below it an edit is a suggestion.
    pub edit_min: i64,
    /// Vote to close or reopen a question.
    pub close_min: i64,
    /// Close votes that close (or reopen) a question.
    pub close_votes: i64,
    /// Approve or reject suggested edits.
    pub review_edits_min: i64,
    /// Points for an approved suggested edit, and their lifetime cap.
    pub suggested_edit: i64,
    pub suggested_edit_cap: i64,
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
            comment_min: 50,
            edit_min: 2_000,
            close_min: 500,
            close_votes: 3,
            review_edits_min: 2_000,
            suggested_edit: 2,
            suggested_edit_cap: 1_000,
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

/// Posts of one kind an account may make per hour, by standing: new
/// accounts (reputation below `new_below`) get the first number, trusted
/// ones (from `trusted_from`) the last.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PerHour {
    pub new: i64,
    pub regular: i64,
    pub trusted: i64,
}

impl PerHour {
    const fn of(new: i64, regular: i64, trusted: i64) -> Self {
        Self {
            new,
            regular,
            trusted,
        }
    }
}

/// Posting limits per user and hour (staff are exempt).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct PostLimits {
    /// Below this reputation an account counts as new.
    pub new_below: i64,
    /// From this reputation on an account counts as trusted.
    pub trusted_from: i64,
    pub question: PerHour,
    pub answer: PerHour,
    pub review: PerHour,
    pub comment: PerHour,
    pub flag: PerHour,
    pub edit: PerHour,
}

impl Default for PostLimits {
    fn default() -> Self {
        Self {
            new_below: 10,
            trusted_from: 1_000,
            question: PerHour::of(3, 10, 30),
            answer: PerHour::of(10, 30, 90),
            review: PerHour::of(3, 10, 30),
            comment: PerHour::of(10, 60, 180),
            flag: PerHour::of(10, 30, 90),
            edit: PerHour::of(10, 60, 180),
        }
    }
}

/// Abuse limits (see `limits`): each is a list of windows, all enforced.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct LimitSettings {
    /// Failed logins per account; the longer windows make the wait grow.
    pub login_account: Vec<Rule>,
    /// Failed logins per client address.
    pub login_client: Vec<Rule>,
    /// Password-reset requests per e-mail address typed in.
    pub reset_address: Vec<Rule>,
    /// Password-reset requests per client address.
    pub reset_client: Vec<Rule>,
    /// Mails of one kind (reset, confirmation) to one account.
    pub account_mail: Vec<Rule>,
    /// New accounts per client address.
    pub register_client: Vec<Rule>,
    /// Votes per user and UTC day (Stack Overflow allows 40).
    pub votes_per_day: i64,
    pub posts: PostLimits,
    /// Live previews per user (`POST /preview`, debounced by the page).
    pub preview: Vec<Rule>,
}

impl Default for LimitSettings {
    fn default() -> Self {
        Self {
            login_account: vec![
                Rule::new(5, 60),
                Rule::new(10, 900),
                Rule::new(20, 3_600),
                Rule::new(50, 86_400),
            ],
            login_client: vec![Rule::new(20, 60), Rule::new(100, 3_600)],
            reset_address: vec![Rule::new(3, 3_600)],
            reset_client: vec![Rule::new(5, 3_600), Rule::new(20, 86_400)],
            account_mail: vec![Rule::new(1, 600)],
            preview: vec![Rule::new(60, 60), Rule::new(1_000, 3_600)],
            register_client: vec![Rule::new(3, 3_600), Rule::new(10, 86_400)],
            votes_per_day: 40,
            posts: PostLimits::default(),
        }
    }
}

/// The anonymous page cache (`web::page_cache`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct PageCacheSettings {
    pub enabled: bool,
    /// Memory for cached pages, in bytes (headers and bodies).
    pub max_bytes: u64,
    /// The oldest a cached page may be.
    pub ttl_seconds: u64,
    /// How often a process publishes its writes and looks for others'.
    pub poll_ms: u64,
}

impl Default for PageCacheSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            max_bytes: 16 * 1024 * 1024,
            ttl_seconds: 30,
            poll_ms: 250,
        }
    }
}

/// The background job queue (mails).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct JobSettings {
    /// Run the worker loop and the hourly housekeeping inside the server
    /// (tests run both explicitly).
    pub worker: bool,
    /// How often the worker looks for due jobs, in milliseconds.
    pub poll_ms: u64,
}

impl Default for JobSettings {
    fn default() -> Self {
        Self {
            worker: true,
            poll_ms: 1_000,
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
    pub limits: LimitSettings,
    pub jobs: JobSettings,
    /// Client networks allowed to read `/metrics` (CIDR). Requests through
    /// the public Nginx carry the visitor's address and are refused; the
    /// public server also answers 404 for the path itself.
    pub metrics_allow: Vec<String>,
    pub page_cache: PageCacheSettings,
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
            limits: LimitSettings::default(),
            jobs: JobSettings::default(),
            metrics_allow: [
                "127.0.0.0/8",
                "::1/128",
                "10.0.0.0/8",
                "172.16.0.0/12",
                "192.168.0.0/16",
            ]
            .map(str::to_string)
            .to_vec(),
            page_cache: PageCacheSettings::default(),
        }
    }
}

/// Replaces the config's `settings:` block by the same block written as one
/// JSON string, which [`Settings::from_context`] reads back: cloning a
/// string is one copy, cloning the tree one allocation per key and value.
pub fn compact(block: &mut Option<serde_json::Value>) {
    if let Some(value @ (serde_json::Value::Object(_) | serde_json::Value::Array(_))) = block {
        *block = Some(serde_json::Value::String(value.to_string()));
    }
}

impl Settings {
    /// Parses the `settings:` block of the loaded config.
    ///
    /// # Errors
    /// When the block has unknown keys or wrong types.
    pub fn from_context(ctx: &AppContext) -> Result<Self> {
        Self::parse(ctx.config.settings.as_ref())
    }

    fn parse(block: Option<&serde_json::Value>) -> Result<Self> {
        let invalid =
            |e: serde_json::Error| Error::Message(format!("invalid `settings` in config: {e}"));
        match block {
            Some(serde_json::Value::String(compacted)) => {
                serde_json::from_str(compacted).map_err(invalid)
            }
            Some(value) => serde_json::from_value(value.clone()).map_err(invalid),
            None => Ok(Self::default()),
        }
    }

    /// `path` as an absolute URL at the forum's public address (mails,
    /// feeds, the sitemap).
    #[must_use]
    pub fn absolute_url(&self, path: &str) -> String {
        format!("{}{path}", self.public_url.trim_end_matches('/'))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_compacted_block_reads_back_as_the_same_settings() {
        let block = serde_json::json!({
            "public_url": "https://forum.example",
            "limits": { "votes_per_day": 7, "login_client": [{ "max": 3, "per_secs": 60 }] },
            "reputation": { "accept": 20 },
        });
        let mut config = Some(block.clone());
        compact(&mut config);
        assert!(matches!(config, Some(serde_json::Value::String(_))));
        let read = Settings::parse(config.as_ref()).expect("compacted block");
        let original = Settings::parse(Some(&block)).expect("original block");
        assert_eq!(read.limits.votes_per_day, 7);
        assert_eq!(read.reputation.accept, 20);
        assert_eq!(
            serde_json::to_value(&read).expect("settings serialize"),
            serde_json::to_value(&original).expect("settings serialize"),
        );
        // compacting twice (loco's `start` runs the hook twice) changes nothing
        compact(&mut config);
        let again = Settings::parse(config.as_ref()).expect("compacted twice");
        assert_eq!(again.limits.votes_per_day, 7);
    }

    #[test]
    fn a_bad_block_is_refused_compacted_or_not() {
        let block = serde_json::json!({ "no_such_key": true });
        assert!(Settings::parse(Some(&block)).is_err());
        let compacted = serde_json::Value::String(block.to_string());
        assert!(Settings::parse(Some(&compacted)).is_err());
    }
}
