//! The forum's pages.
use loco_rs::prelude::Routes;

mod answers;
mod comments;
mod home;
mod questions;
mod tags;

pub fn routes() -> Routes {
    home::routes()
        .merge(questions::routes())
        .merge(answers::routes())
        .merge(comments::routes())
        .merge(tags::routes())
}
