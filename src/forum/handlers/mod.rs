//! The forum's pages.
use loco_rs::prelude::Routes;

mod answers;
mod home;
mod questions;
mod tags;

pub fn routes() -> Routes {
    home::routes()
        .merge(questions::routes())
        .merge(answers::routes())
        .merge(tags::routes())
}
