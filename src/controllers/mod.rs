pub mod auth;
pub mod avatars;
pub mod home;
pub mod lang;
pub mod pages;
pub mod password_reset;
pub mod settings;
pub mod users;
