//! Forum: questions, answers, tags, accepted answers, the question lists
//! and search, the home page.
//!
//! Owns the tables `questions`, `answers`, `comments`, `comment_votes`,
//! `tags` and `question_tags`, and the pages `/`, `/questions…` (with
//! `/questions/{id}/follow`), `/answers…`, `/comments…` and `/tags…`.
//!
//! Offers the other modules:
//! * [`questions`] — `Model` (a question), [`list`](questions::list) with
//!   [`ListFilter`](questions::ListFilter) and the [`QuestionSummary`] rows
//!   lists show, `set_deleted` / `set_locked_in` for moderation, the shared
//!   body and title checks;
//! * [`answers`] — `Model` (an answer), `latest_by_user`, `set_deleted`;
//! * [`comments`] — `set_deleted` and `find_live` for moderation and flags;
//! * [`tags`] — names and counts.
pub mod answers;
pub mod closing;
pub mod comments;
pub mod discovery;
pub mod editing;
mod handlers;
pub mod questions;
pub mod suggestions;
pub mod tags;
mod views;

pub use handlers::routes;
pub use questions::QuestionSummary;

/// Why the forum refused something.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The question or answer does not exist or is deleted.
    #[error("no such post")]
    NotFound,
    /// The question is locked.
    #[error("locked question")]
    Locked,
    /// The actor may not do this.
    #[error("not allowed")]
    Forbidden,
    /// The actor needs this much reputation first.
    #[error("needs {0} reputation")]
    Reputation(i64),
    /// The time to edit has run out.
    #[error("too late to edit")]
    TooLate,
    /// Not on one's own post or comment.
    #[error("own post")]
    Own,
    /// The post already has a suggested edit waiting.
    #[error("a suggestion is pending")]
    Pending,
    /// Someone decided on the suggestion first.
    #[error("already reviewed")]
    Reviewed,
    /// A rejection needs a reason.
    #[error("a reason is needed")]
    ReasonNeeded,
    /// The question is closed: no new answers.
    #[error("closed question")]
    Closed,
    /// The user already voted to close (or reopen) it.
    #[error("already voted")]
    AlreadyVoted,
    /// Closing a closed question or reopening an open one.
    #[error("not in that state")]
    WrongState,
    /// A duplicate must name another live question.
    #[error("bad duplicate")]
    BadDuplicate,
    #[error(transparent)]
    Db(#[from] sea_orm::DbErr),
}

/// The kept search rankings, stored at boot.
///
/// # Panics
/// When called before `after_context` stored them (a wiring bug).
#[must_use]
pub fn kept_rankings(ctx: &loco_rs::app::AppContext) -> questions::KeptRankings {
    ctx.shared_store
        .get::<questions::KeptRankings>()
        .expect("the kept search rankings are stored in after_context")
}

/// The question pages' related-questions cache, stored at boot.
///
/// # Panics
/// When called before `after_context` stored it (a wiring bug).
#[must_use]
pub fn related_cache(ctx: &loco_rs::app::AppContext) -> questions::RelatedCache {
    ctx.shared_store
        .get::<questions::RelatedCache>()
        .expect("the related-questions cache is stored in after_context")
}
