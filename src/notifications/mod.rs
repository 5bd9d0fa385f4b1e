//! Notifications: the inbox, following questions, e-mail settings, the
//! notification e-mails (instant and daily digest) and one-click
//! unsubscribe.
//!
//! Owns the tables `notifications`, `follows` and `notification_prefs`, and
//! the pages `/notifications…`, `/settings/notifications` and
//! `/unsubscribe/{token}`.
//!
//! Offers the other modules:
//! * [`notify`] and [`notify_followers`] with a [`Note`] — called inside
//!   the transaction of the event (an answer, a comment, an acceptance, a
//!   moderator's action …), so a notification exists exactly when its
//!   event does; repeats fold into one unread notification by group key.
//! * [`follows`] — follow (automatic for askers and answerers), toggle,
//!   and a user's list.
//! * [`jobs`] — the mail jobs the worker runs, and the daily digest's
//!   schedule for the housekeeping.
pub mod follows;
mod handlers;
pub mod jobs;
mod kinds;
mod mails;
pub mod prefs;
mod store;
mod text;
pub mod unsubscribe;
mod views;

pub use handlers::routes;
pub use kinds::{Kind, Mode};
pub use store::{notify, notify_followers, open, purge_read, read_all, unread_count, Note};
