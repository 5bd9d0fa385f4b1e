pub use super::password_resets::Entity as PasswordResets;
pub use super::sessions::Entity as Sessions;
pub use super::users::Entity as Users;
