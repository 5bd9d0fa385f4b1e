//! The votes module's pages: one vote handler for every kind of post, the
//! leaderboard and a user's reputation history.
use loco_rs::prelude::Routes;

mod history;
mod leaderboard;
mod vote;

pub fn routes() -> Routes {
    vote::routes()
        .merge(leaderboard::routes())
        .merge(history::routes())
}
