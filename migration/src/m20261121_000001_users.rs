//! Accounts, server-side sessions and password-reset tokens.
use loco_rs::schema::*;
use sea_orm_migration::prelude::*;

use crate::sql::exec_all;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        create_table(
            m,
            "users",
            &[
                ("id", ColType::PkAuto),
                ("username", ColType::StringLen(32)),
                // stored lower-cased: addresses are unique case-insensitively
                ("email", ColType::StringLen(254)),
                ("password_hash", ColType::String),
                (
                    "role",
                    ColType::StringLenWithDefault(16, "user".to_string()),
                ),
                // every account starts at 1, the sum of an empty ledger plus one
                ("reputation", ColType::BigIntegerWithDefault(1)),
                ("bio", ColType::TextWithDefault(String::new())),
                ("website", ColType::StringLenNull(200)),
                ("birthday", ColType::DateNull),
                ("avatar", ColType::StringLenNull(80)),
                // bumped to end every session of the user at once
                ("session_version", ColType::IntegerWithDefault(0)),
                ("suspended_until", ColType::TimestampWithTimeZoneNull),
                ("suspension_reason", ColType::TextNull),
                ("deleted_at", ColType::TimestampWithTimeZoneNull),
            ],
            &[],
        )
        .await?;
        exec_all(
            m,
            &[
                "CREATE UNIQUE INDEX users_username_lower ON users (lower(username))",
                "CREATE UNIQUE INDEX users_email ON users (email)",
                "CREATE INDEX users_reputation ON users (reputation DESC, created_at, id)",
            ],
        )
        .await?;

        m.create_table(
            Table::create()
                .table("sessions")
                .col(ColumnDef::new("id").string_len(64).not_null().primary_key())
                .col(ColumnDef::new("data").text().not_null())
                .col(ColumnDef::new("expiry_date").big_integer().not_null())
                .col(ColumnDef::new("user_id").big_integer().null())
                .to_owned(),
        )
        .await?;
        exec_all(
            m,
            &[
                "CREATE INDEX sessions_expiry ON sessions (expiry_date)",
                "CREATE INDEX sessions_user ON sessions (user_id)",
            ],
        )
        .await?;

        create_table(
            m,
            "password_resets",
            &[
                ("id", ColType::PkAuto),
                // sha-256 of the token: a leaked table cannot be replayed
                ("token_hash", ColType::StringLenUniq(64)),
                ("expires_at", ColType::TimestampWithTimeZone),
                ("used_at", ColType::TimestampWithTimeZoneNull),
            ],
            &[("user", "")],
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_table(m, "password_resets").await?;
        drop_table(m, "sessions").await?;
        drop_table(m, "users").await
    }
}
