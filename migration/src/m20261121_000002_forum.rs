//! Questions, answers, tags, full-text search and site counters.
use loco_rs::schema::*;
use sea_orm_migration::prelude::*;

use crate::sql::{exec_all, is_postgres};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        create_table(
            m,
            "questions",
            &[
                ("id", ColType::PkAuto),
                ("title", ColType::StringLen(150)),
                ("slug", ColType::StringLen(90)),
                ("body", ColType::Text),
                // rendered and sanitized once, on save
                ("body_html", ColType::Text),
                // plain-text start of the body, so lists never load bodies
                ("excerpt", ColType::StringLen(320)),
                ("score", ColType::IntegerWithDefault(0)),
                ("up_count", ColType::IntegerWithDefault(0)),
                ("down_count", ColType::IntegerWithDefault(0)),
                ("answer_count", ColType::IntegerWithDefault(0)),
                ("accepted_answer_id", ColType::BigIntegerNull),
                ("last_activity_at", ColType::TimestampWithTimeZone),
                ("edited_at", ColType::TimestampWithTimeZoneNull),
                ("edited_by", ColType::BigIntegerNull),
                ("locked_at", ColType::TimestampWithTimeZoneNull),
                ("locked_by", ColType::BigIntegerNull),
                ("deleted_at", ColType::TimestampWithTimeZoneNull),
                ("deleted_by", ColType::BigIntegerNull),
            ],
            &[("user", "")],
        )
        .await?;
        create_table(
            m,
            "answers",
            &[
                ("id", ColType::PkAuto),
                ("body", ColType::Text),
                ("body_html", ColType::Text),
                ("score", ColType::IntegerWithDefault(0)),
                ("up_count", ColType::IntegerWithDefault(0)),
                ("down_count", ColType::IntegerWithDefault(0)),
                ("is_accepted", ColType::BooleanWithDefault(false)),
                ("edited_at", ColType::TimestampWithTimeZoneNull),
                ("edited_by", ColType::BigIntegerNull),
                ("deleted_at", ColType::TimestampWithTimeZoneNull),
                ("deleted_by", ColType::BigIntegerNull),
            ],
            &[("question", ""), ("user", "")],
        )
        .await?;
        create_table(
            m,
            "tags",
            &[
                ("id", ColType::PkAuto),
                ("name", ColType::StringLenUniq(32)),
                ("question_count", ColType::IntegerWithDefault(0)),
            ],
            &[],
        )
        .await?;
        m.create_table(
            Table::create()
                .table("question_tags")
                .col(ColumnDef::new("question_id").big_integer().not_null())
                .col(ColumnDef::new("tag_id").big_integer().not_null())
                .primary_key(Index::create().col("question_id").col("tag_id"))
                .foreign_key(
                    ForeignKey::create()
                        .from("question_tags", "question_id")
                        .to("questions", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from("question_tags", "tag_id")
                        .to("tags", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("site_counters")
                .col(
                    ColumnDef::new("name")
                        .string_len(32)
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new("value").big_integer().not_null().default(0))
                .to_owned(),
        )
        .await?;

        exec_all(
            m,
            &[
                // every list order and filter has its index; deleted rows are
                // left out of them (partial indexes work on both databases)
                "CREATE INDEX questions_newest ON questions (id DESC) WHERE deleted_at IS NULL",
                "CREATE INDEX questions_votes ON questions (score DESC, id DESC) WHERE deleted_at IS NULL",
                "CREATE INDEX questions_active ON questions (last_activity_at DESC, id DESC) WHERE deleted_at IS NULL",
                "CREATE INDEX questions_unanswered ON questions (id DESC) WHERE deleted_at IS NULL AND answer_count = 0",
                "CREATE INDEX questions_user ON questions (user_id, id DESC)",
                "CREATE INDEX answers_question ON answers (question_id, score DESC, id)",
                "CREATE INDEX answers_user ON answers (user_id, id DESC)",
                // at most one accepted answer per question, whatever the races
                "CREATE UNIQUE INDEX answers_one_accepted ON answers (question_id) WHERE is_accepted",
                "CREATE INDEX question_tags_tag ON question_tags (tag_id, question_id DESC)",
                "CREATE INDEX tags_popular ON tags (question_count DESC, name)",
                "INSERT INTO site_counters (name, value) VALUES ('users', 0), ('questions', 0), ('answers', 0), ('solved', 0), ('reviews', 0)",
                "UPDATE site_counters SET value = (SELECT COUNT(*) FROM users WHERE deleted_at IS NULL) WHERE name = 'users'",
            ],
        )
        .await?;

        if is_postgres(m) {
            exec_all(
                m,
                &[
                    "ALTER TABLE questions ADD COLUMN search_vector tsvector",
                    "CREATE INDEX questions_search ON questions USING GIN (search_vector)",
                ],
            )
            .await?;
        } else {
            exec_all(
                m,
                &["CREATE VIRTUAL TABLE questions_fts USING fts5(title, body, answers, tokenize = 'unicode61 remove_diacritics 2')"],
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if !is_postgres(m) {
            exec_all(m, &["DROP TABLE IF EXISTS questions_fts"]).await?;
        }
        drop_table(m, "site_counters").await?;
        drop_table(m, "question_tags").await?;
        drop_table(m, "tags").await?;
        drop_table(m, "answers").await?;
        drop_table(m, "questions").await
    }
}
