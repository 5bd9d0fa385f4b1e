//! Forum: questions, answers, tags, accepted answers, the question lists
//! and search, the home page.
//!
//! Owns the tables `questions`, `answers`, `tags` and `question_tags`, and
//! the pages `/`, `/questions…`, `/answers…` and `/tags…`.
//!
//! Offers the other modules:
//! * [`questions`] — `Model` (a question), [`list`](questions::list) with
//!   [`ListFilter`](questions::ListFilter) and the [`QuestionSummary`] rows
//!   lists show, `set_deleted` / `set_locked_in` for moderation, the shared
//!   body and title checks;
//! * [`answers`] — `Model` (an answer), `latest_by_user`, `set_deleted`;
//! * [`tags`] — names and counts.
pub mod answers;
mod handlers;
pub mod questions;
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
    #[error(transparent)]
    Db(#[from] sea_orm::DbErr),
}
