//! The integration suite: real database (SQLite by default, PostgreSQL when
//! `DATABASE_URL=postgres://…`), real router, real templates.
mod architecture;
mod locales;
mod models;
mod requests;
mod support;
mod tasks;
mod templates;
