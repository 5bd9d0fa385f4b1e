//! Server-side sessions; the store in `web::session_store` does the work.
pub use super::_entities::sessions::{self, ActiveModel, Column, Entity, Model};

impl sea_orm::ActiveModelBehavior for ActiveModel {}
