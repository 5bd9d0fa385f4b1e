//! NightCoder-RS: a server-rendered developer forum with reputation voting.
pub mod app;
pub mod avatars;
pub mod controllers;
pub mod forms;
pub mod i18n;
pub mod initializers;
pub mod mailers;
pub mod models;
pub mod passwords;
pub mod settings;
pub mod tasks;
pub mod text;
pub mod views;
pub mod web;
