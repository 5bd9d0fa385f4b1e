//! `SeaORM` Entity for `questions`
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "questions")]
pub struct Model {
    pub created_at: DateTimeWithTimeZone,
    pub updated_at: DateTimeWithTimeZone,
    #[sea_orm(primary_key)]
    pub id: i64,
    pub title: String,
    pub slug: String,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    #[sea_orm(column_type = "Text")]
    pub body_html: String,
    pub excerpt: String,
    pub score: i32,
    pub up_count: i32,
    pub down_count: i32,
    pub answer_count: i32,
    pub accepted_answer_id: Option<i64>,
    pub last_activity_at: DateTimeWithTimeZone,
    pub edited_at: Option<DateTimeWithTimeZone>,
    pub edited_by: Option<i64>,
    pub locked_at: Option<DateTimeWithTimeZone>,
    pub locked_by: Option<i64>,
    pub closed_at: Option<DateTimeWithTimeZone>,
    pub closed_by: Option<i64>,
    pub close_reason: Option<String>,
    pub duplicate_of: Option<i64>,
    pub deleted_at: Option<DateTimeWithTimeZone>,
    pub deleted_by: Option<i64>,
    pub user_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::UserId",
        to = "super::users::Column::Id",
        on_update = "Cascade",
        on_delete = "Cascade"
    )]
    Users,
    #[sea_orm(has_many = "super::answers::Entity")]
    Answers,
}

impl Related<super::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Users.def()
    }
}

impl Related<super::answers::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Answers.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
