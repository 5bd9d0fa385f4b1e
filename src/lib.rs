//! NightCoder-RS: a server-rendered developer forum with reputation voting.
//!
//! Feature modules (each owns its tables, pages and rules; see its doc):
//! [`users`], [`forum`], [`reviews`], [`votes`], [`admin`], [`notifications`]. Shared HTTP
//! plumbing is in [`web`], the database helpers and generated entities in
//! [`db`]; small pure helpers ([`text`], [`markdown`], [`i18n`],
//! [`passwords`], [`forms`]) and shared services ([`audit`], [`counters`], [`search`],
//! [`limits`], [`jobs`], [`mail`], [`keys`], [`settings`]) sit at the top.
//! `docs/ARCHITECTURE.md` draws the map.
pub mod admin;
pub mod app;
pub mod audit;
pub mod counters;
pub mod db;
pub mod diff;
pub mod forms;
pub mod forum;
pub mod housekeeping;
pub mod i18n;
pub mod initializers;
pub mod jobs;
pub mod keys;
pub mod limits;
pub mod mail;
pub mod markdown;
pub mod notifications;
pub mod passwords;
pub mod reviews;
pub mod revisions;
pub mod search;
pub mod settings;
pub mod tasks;
pub mod text;
pub mod users;
pub mod votes;
pub mod web;
pub mod workers;
