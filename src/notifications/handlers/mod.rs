//! The notification pages: the inbox, the e-mail settings and unsubscribe.
use loco_rs::prelude::Routes;

mod inbox;
mod settings;
mod unsubscribe;

pub fn routes() -> Routes {
    inbox::routes()
        .merge(settings::routes())
        .merge(unsubscribe::routes())
}
