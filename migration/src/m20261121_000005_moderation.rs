//! Flags raised by users and the moderators' audit log.
use loco_rs::schema::*;
use sea_orm_migration::prelude::*;

use crate::sql::{exec_all, is_postgres};

/// SQLite trigger refusing deletions from the audit log; `truncate_all`
/// drops and re-creates it around a full reset.
pub const SQLITE_AUDIT_NO_DELETE: &str =
    "CREATE TRIGGER audit_logs_no_delete BEFORE DELETE ON audit_logs \
     BEGIN SELECT RAISE(ABORT, 'audit_logs is append-only'); END";

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        create_table(
            m,
            "flags",
            &[
                ("id", ColType::PkAuto),
                // 1 question, 2 answer, 3 review
                ("target_kind", ColType::SmallInteger),
                ("target_id", ColType::BigInteger),
                // spam | offensive | off_topic | other
                ("reason", ColType::StringLen(16)),
                ("note", ColType::TextNull),
                // pending | helpful | declined
                (
                    "status",
                    ColType::StringLenWithDefault(16, "pending".to_string()),
                ),
                ("resolved_by", ColType::BigIntegerNull),
                ("resolved_at", ColType::TimestampWithTimeZoneNull),
                ("resolution_note", ColType::TextNull),
            ],
            &[("user", "")],
        )
        .await?;
        create_table(
            m,
            "audit_logs",
            &[
                ("id", ColType::PkAuto),
                ("action", ColType::StringLen(32)),
                // user | question | answer | review | flag
                ("target_kind", ColType::StringLen(16)),
                ("target_id", ColType::BigInteger),
                ("target_user_id", ColType::BigIntegerNull),
                ("reason", ColType::TextNull),
                ("details", ColType::TextNull),
            ],
            &[("users", "actor_id")],
        )
        .await?;
        exec_all(
            m,
            &[
                // a user flags a post once
                "CREATE UNIQUE INDEX flags_once ON flags (user_id, target_kind, target_id)",
                "CREATE INDEX flags_queue ON flags (status, id)",
                "CREATE INDEX flags_target ON flags (target_kind, target_id)",
                "CREATE INDEX flags_user ON flags (user_id, id DESC)",
                "CREATE INDEX audit_log_newest ON audit_logs (id DESC)",
                "CREATE INDEX audit_log_actor ON audit_logs (actor_id, id DESC)",
                "CREATE INDEX audit_log_action ON audit_logs (action, id DESC)",
                "CREATE INDEX audit_log_target ON audit_logs (target_kind, target_id)",
            ],
        )
        .await?;
        // the log is append-only in the database itself, not just by habit
        if is_postgres(m) {
            exec_all(
                m,
                &[
                    "CREATE FUNCTION audit_logs_append_only() RETURNS trigger LANGUAGE plpgsql AS \
                     $$ BEGIN RAISE EXCEPTION 'audit_logs is append-only'; END $$",
                    "CREATE TRIGGER audit_logs_no_change BEFORE UPDATE OR DELETE ON audit_logs \
                     FOR EACH ROW EXECUTE FUNCTION audit_logs_append_only()",
                ],
            )
            .await
        } else {
            exec_all(
                m,
                &[
                    "CREATE TRIGGER audit_logs_no_update BEFORE UPDATE ON audit_logs \
                     BEGIN SELECT RAISE(ABORT, 'audit_logs is append-only'); END",
                    SQLITE_AUDIT_NO_DELETE,
                ],
            )
            .await
        }
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_table(m, "audit_logs").await?;
        if is_postgres(m) {
            exec_all(m, &["DROP FUNCTION IF EXISTS audit_logs_append_only()"]).await?;
        }
        drop_table(m, "flags").await
    }
}
