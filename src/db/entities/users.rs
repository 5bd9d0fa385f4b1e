//! `SeaORM` Entity for `users`
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "users")]
pub struct Model {
    pub created_at: DateTimeWithTimeZone,
    pub updated_at: DateTimeWithTimeZone,
    #[sea_orm(primary_key)]
    pub id: i64,
    pub username: String,
    pub email: String,
    #[serde(skip_serializing)]
    pub password_hash: String,
    pub role: String,
    pub reputation: i64,
    #[sea_orm(column_type = "Text")]
    pub bio: String,
    pub website: Option<String>,
    pub birthday: Option<Date>,
    pub avatar: Option<String>,
    pub session_version: i32,
    pub suspended_until: Option<DateTimeWithTimeZone>,
    #[sea_orm(column_type = "Text", nullable)]
    pub suspension_reason: Option<String>,
    pub deleted_at: Option<DateTimeWithTimeZone>,
    pub email_confirmed_at: Option<DateTimeWithTimeZone>,
    /// en | ru: the language of e-mails to this user.
    pub lang: String,
    /// How many reputation ledger rows the user has (kept with `reputation`).
    pub ledger_rows: i64,
    /// Live questions and answers (kept by the writes that change them).
    pub question_count: i64,
    pub answer_count: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::account_tokens::Entity")]
    AccountTokens,
}

impl Related<super::account_tokens::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::AccountTokens.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
