//! Votes and the reputation ledger. Their rules live in `crate::votes`
//! (service + repository); these tables have no behaviour of their own.
pub use super::_entities::{reputation_daily, reputation_events, votes};

impl sea_orm::ActiveModelBehavior for votes::ActiveModel {}
impl sea_orm::ActiveModelBehavior for reputation_events::ActiveModel {}
impl sea_orm::ActiveModelBehavior for reputation_daily::ActiveModel {}
