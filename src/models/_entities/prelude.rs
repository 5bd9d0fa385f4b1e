pub use super::answers::Entity as Answers;
pub use super::password_resets::Entity as PasswordResets;
pub use super::question_tags::Entity as QuestionTags;
pub use super::questions::Entity as Questions;
pub use super::sessions::Entity as Sessions;
pub use super::site_counters::Entity as SiteCounters;
pub use super::tags::Entity as Tags;
pub use super::users::Entity as Users;
