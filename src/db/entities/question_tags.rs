//! `SeaORM` Entity for `question_tags`
use sea_orm::entity::prelude::*;
use sea_orm::DatabaseBackend;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "question_tags")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub question_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub tag_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The names of question `q`'s tags, space-separated in name order: a
/// subquery for statements that call the question `q` (the question page,
/// the review queue, the revision backfill).
#[must_use]
pub fn names_of_q(backend: DatabaseBackend) -> &'static str {
    if backend == DatabaseBackend::Postgres {
        "(SELECT string_agg(t.name, ' ' ORDER BY t.name) FROM question_tags qt JOIN tags t \
         ON t.id = qt.tag_id WHERE qt.question_id = q.id)"
    } else {
        "(SELECT group_concat(name, ' ') FROM (SELECT t.name FROM question_tags qt JOIN tags t \
         ON t.id = qt.tag_id WHERE qt.question_id = q.id ORDER BY t.name))"
    }
}
