//! The reviews module's pages.
use loco_rs::prelude::Routes;

mod courses;
mod reviews;

pub fn routes() -> Routes {
    reviews::routes().merge(courses::routes())
}
