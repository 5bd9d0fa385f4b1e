//! Abuse limits, server keys, e-mail confirmation and the job queue.
//!
//! * `rate_limits`: one counter per bucket and time window, shared by every
//!   app process (an upsert increments it).
//! * `app_secrets`: keys generated once per installation (CSRF tokens of
//!   anonymous forms, signed links), so several processes agree on them
//!   without configuration.
//! * `users.email_confirmed_at`: accounts that existed before confirmation
//!   are confirmed by this migration; `users.lang`: the language e-mails to
//!   the user are written in (the one they last used the site in).
//! * `password_resets` becomes `account_tokens` with a `purpose`: reset
//!   and e-mail confirmation links share one single-use, hashed mechanism.
//! * `jobs`: background work kept in the database (mails first), claimed
//!   by one process at a time.
use loco_rs::schema::*;
use sea_orm_migration::prelude::*;

use crate::sql::exec_all;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("rate_limits")
                .col(ColumnDef::new("bucket").string_len(200).not_null())
                .col(ColumnDef::new("window_start").big_integer().not_null())
                .col(ColumnDef::new("hits").integer().not_null())
                .col(ColumnDef::new("expires_at").big_integer().not_null())
                .primary_key(Index::create().col("bucket").col("window_start"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("app_secrets")
                .col(
                    ColumnDef::new("name")
                        .string_len(32)
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new("value").string_len(128).not_null())
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("users")
                .add_column(
                    ColumnDef::new("email_confirmed_at")
                        .timestamp_with_time_zone()
                        .null(),
                )
                .to_owned(),
        )
        .await?;
        exec_all(
            m,
            &[
                "CREATE INDEX rate_limits_expiry ON rate_limits (expires_at)",
                "UPDATE users SET email_confirmed_at = created_at",
                "ALTER TABLE users ADD COLUMN lang VARCHAR(5) NOT NULL DEFAULT 'en'",
                "ALTER TABLE password_resets RENAME TO account_tokens",
                "ALTER TABLE account_tokens ADD COLUMN purpose VARCHAR(16) NOT NULL DEFAULT 'reset'",
                "CREATE INDEX account_tokens_user ON account_tokens (user_id, purpose)",
            ],
        )
        .await?;
        create_table(
            m,
            "jobs",
            &[
                ("id", ColType::PkAuto),
                ("kind", ColType::StringLen(64)),
                ("payload", ColType::Text),
                // one job per (kind, key) when set: a digest per user and day
                ("dedup_key", ColType::StringLenNull(128)),
                ("run_at", ColType::TimestampWithTimeZone),
                ("attempts", ColType::IntegerWithDefault(0)),
                ("locked_by", ColType::StringLenNull(64)),
                ("locked_until", ColType::TimestampWithTimeZoneNull),
                ("done_at", ColType::TimestampWithTimeZoneNull),
                ("failed_at", ColType::TimestampWithTimeZoneNull),
                ("last_error", ColType::TextNull),
            ],
            &[],
        )
        .await?;
        exec_all(
            m,
            &[
                "CREATE INDEX jobs_due ON jobs (run_at, id) WHERE done_at IS NULL AND failed_at IS NULL",
                "CREATE UNIQUE INDEX jobs_dedup ON jobs (kind, dedup_key)",
            ],
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_table(m, "jobs").await?;
        exec_all(
            m,
            &[
                "DROP INDEX account_tokens_user",
                "DELETE FROM account_tokens WHERE purpose <> 'reset'",
                "ALTER TABLE account_tokens DROP COLUMN purpose",
                "ALTER TABLE account_tokens RENAME TO password_resets",
                "ALTER TABLE users DROP COLUMN email_confirmed_at",
                "ALTER TABLE users DROP COLUMN lang",
            ],
        )
        .await?;
        drop_table(m, "app_secrets").await?;
        drop_table(m, "rate_limits").await
    }
}
