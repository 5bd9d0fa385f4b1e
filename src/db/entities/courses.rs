//! `SeaORM` Entity for `courses`
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "courses")]
pub struct Model {
    pub created_at: DateTimeWithTimeZone,
    pub updated_at: DateTimeWithTimeZone,
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    #[sea_orm(unique)]
    pub name_key: String,
    #[sea_orm(unique)]
    pub slug: String,
    pub review_count: i32,
    pub rating_sum: i32,
    pub rating_1: i32,
    pub rating_2: i32,
    pub rating_3: i32,
    pub rating_4: i32,
    pub rating_5: i32,
    #[sea_orm(column_type = "Double")]
    pub avg_rating: f64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
