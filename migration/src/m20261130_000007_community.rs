//! The community loop: comments, following questions, notifications and the
//! e-mail settings of each user.
//!
//! * `comments` hang under a question or an answer (`post_kind` 1 or 2);
//!   `question_id` is kept for both so a question page loads every comment
//!   of its posts with one indexed query. Deleting is soft.
//! * `comment_votes`: up only, one per user and comment, no reputation.
//! * `follows`: who hears about new answers on a question.
//! * `notifications`: an unread notification with a `group_key` absorbs
//!   repeats (`count` + 1) instead of a new row; the partial unique index
//!   makes that an upsert that holds under concurrency.
//! * `notification_prefs`: only the kinds a user changed from the default.
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
            "comments",
            &[
                ("id", ColType::PkAuto),
                // 1 question, 2 answer
                ("post_kind", ColType::SmallInteger),
                ("post_id", ColType::BigInteger),
                ("body", ColType::Text),
                ("body_html", ColType::Text),
                ("score", ColType::IntegerWithDefault(0)),
                ("edited_at", ColType::TimestampWithTimeZoneNull),
                ("deleted_at", ColType::TimestampWithTimeZoneNull),
                ("deleted_by", ColType::BigIntegerNull),
            ],
            &[("user", ""), ("question", "")],
        )
        .await?;
        m.create_table(
            Table::create()
                .table("comment_votes")
                .col(ColumnDef::new("comment_id").big_integer().not_null())
                .col(ColumnDef::new("user_id").big_integer().not_null())
                .col(
                    ColumnDef::new("created_at")
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .primary_key(Index::create().col("comment_id").col("user_id"))
                .foreign_key(
                    ForeignKey::create()
                        .from("comment_votes", "comment_id")
                        .to("comments", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from("comment_votes", "user_id")
                        .to("users", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("follows")
                .col(ColumnDef::new("user_id").big_integer().not_null())
                .col(ColumnDef::new("question_id").big_integer().not_null())
                .col(
                    ColumnDef::new("created_at")
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .primary_key(Index::create().col("user_id").col("question_id"))
                .foreign_key(
                    ForeignKey::create()
                        .from("follows", "user_id")
                        .to("users", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from("follows", "question_id")
                        .to("questions", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        create_table(
            m,
            "notifications",
            &[
                ("id", ColType::PkAuto),
                ("kind", ColType::StringLen(16)),
                // repeats of one event on one thing share it while unread
                ("group_key", ColType::StringLenNull(64)),
                ("actor_id", ColType::BigIntegerNull),
                ("question_id", ColType::BigIntegerNull),
                // the exact place: path and anchor
                ("url", ColType::StringLen(300)),
                ("title", ColType::StringLen(200)),
                // what happened, when the kind alone does not say: the
                // moderator's action (closed, locked …), a flag's outcome
                ("detail", ColType::StringLenNull(32)),
                // the reason a moderator gave
                ("reason", ColType::TextNull),
                ("count", ColType::IntegerWithDefault(1)),
                ("read_at", ColType::TimestampWithTimeZoneNull),
                ("emailed_at", ColType::TimestampWithTimeZoneNull),
            ],
            &[("user", "")],
        )
        .await?;
        m.create_table(
            Table::create()
                .table("notification_prefs")
                .col(ColumnDef::new("user_id").big_integer().not_null())
                .col(ColumnDef::new("kind").string_len(16).not_null())
                .col(ColumnDef::new("mode").string_len(8).not_null())
                .primary_key(Index::create().col("user_id").col("kind"))
                .foreign_key(
                    ForeignKey::create()
                        .from("notification_prefs", "user_id")
                        .to("users", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        exec_all(
            m,
            &[
                "CREATE INDEX comments_question ON comments (question_id, id) WHERE deleted_at IS NULL",
                "CREATE INDEX comments_user ON comments (user_id, id DESC)",
                "CREATE INDEX follows_question ON follows (question_id, user_id)",
                "CREATE UNIQUE INDEX notifications_group ON notifications (user_id, group_key) \
                 WHERE read_at IS NULL",
                "CREATE INDEX notifications_inbox ON notifications (user_id, updated_at DESC, id DESC)",
                "CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL",
                "CREATE INDEX notifications_unmailed ON notifications (created_at) \
                 WHERE emailed_at IS NULL AND read_at IS NULL",
            ],
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "notification_prefs",
            "notifications",
            "follows",
            "comment_votes",
            "comments",
        ] {
            drop_table(m, table).await?;
        }
        Ok(())
    }
}
