//! `SeaORM` entities, one per table. Written in the shape sea-orm-codegen
//! produces; behaviour belongs in `src/models/<table>.rs`, not here.
pub mod prelude;

pub mod password_resets;
pub mod sessions;
pub mod users;
