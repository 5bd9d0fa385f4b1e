//! `SeaORM` Entity for `reviews`
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reviews")]
pub struct Model {
    pub created_at: DateTimeWithTimeZone,
    pub updated_at: DateTimeWithTimeZone,
    #[sea_orm(primary_key)]
    pub id: i64,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    #[sea_orm(column_type = "Text")]
    pub body_html: String,
    pub excerpt: String,
    pub rating: i16,
    pub score: i32,
    pub up_count: i32,
    pub down_count: i32,
    pub edited_at: Option<DateTimeWithTimeZone>,
    pub edited_by: Option<i64>,
    pub deleted_at: Option<DateTimeWithTimeZone>,
    pub deleted_by: Option<i64>,
    pub course_id: i64,
    pub user_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
