//! `SeaORM` Entity for `notifications`
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notifications")]
pub struct Model {
    pub created_at: DateTimeWithTimeZone,
    pub updated_at: DateTimeWithTimeZone,
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kind: String,
    pub group_key: Option<String>,
    pub actor_id: Option<i64>,
    pub question_id: Option<i64>,
    pub url: String,
    pub title: String,
    pub detail: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub reason: Option<String>,
    pub count: i32,
    pub read_at: Option<DateTimeWithTimeZone>,
    pub emailed_at: Option<DateTimeWithTimeZone>,
    pub user_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
