//! Small helpers for statements that sea-query cannot express portably
//! (expression and partial indexes, virtual tables).
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

/// Runs each statement in order.
pub async fn exec_all(m: &SchemaManager<'_>, statements: &[&str]) -> Result<(), DbErr> {
    let db = m.get_connection();
    for stmt in statements {
        db.execute_unprepared(stmt).await?;
    }
    Ok(())
}

/// True when the migration runs on PostgreSQL.
pub fn is_postgres(m: &SchemaManager<'_>) -> bool {
    m.get_database_backend() == DbBackend::Postgres
}
