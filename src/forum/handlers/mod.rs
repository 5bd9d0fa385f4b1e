//! The forum's pages.
use loco_rs::prelude::Routes;

mod answers;
mod closing;
mod comments;
mod discovery;
mod editing;
mod history;
mod home;
mod preview;
mod questions;
mod review;
mod tags;

pub fn routes() -> Routes {
    home::routes()
        .merge(questions::routes())
        .merge(answers::routes())
        .merge(closing::routes())
        .merge(comments::routes())
        .merge(editing::routes())
        .merge(history::routes())
        .merge(tags::routes())
        .merge(review::routes())
        .merge(discovery::routes())
        .merge(preview::routes())
}
