//! History and curation: revisions of every post, suggested edits, close
//! and reopen votes, closed questions and duplicates.
//!
//! * `revisions`: one row per create, edit, rollback or approved suggestion
//!   of a question (title, body, tags), answer (body) or review (course,
//!   title, body, rating), numbered per post from 1. Posts that existed
//!   before get their current text as revision 1.
//! * `suggested_edits`: at most one pending per post (partial unique index).
//! * `close_votes`: one per user, question and action while the question
//!   is in the state the vote wants to change; cleared when it changes.
//! * `questions.closed_at` / `close_reason` / `closed_by` (null when the
//!   community closed it) / `duplicate_of`.
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
            "revisions",
            &[
                ("id", ColType::PkAuto),
                // 1 question, 2 answer, 3 review
                ("post_kind", ColType::SmallInteger),
                ("post_id", ColType::BigInteger),
                ("number", ColType::Integer),
                // create | edit | rollback | suggestion
                ("kind", ColType::StringLen(16)),
                ("title", ColType::TextNull),
                ("body", ColType::Text),
                ("tags", ColType::StringLenNull(200)),
                ("course", ColType::StringLenNull(200)),
                ("rating", ColType::SmallIntegerNull),
                ("summary", ColType::StringLenNull(300)),
                ("rolled_back_to", ColType::IntegerNull),
            ],
            &[("user", "")],
        )
        .await?;
        create_table(
            m,
            "suggested_edits",
            &[
                ("id", ColType::PkAuto),
                // 1 question, 2 answer
                ("post_kind", ColType::SmallInteger),
                ("post_id", ColType::BigInteger),
                ("title", ColType::TextNull),
                ("body", ColType::Text),
                ("tags", ColType::StringLenNull(200)),
                ("summary", ColType::StringLenNull(300)),
                // pending | approved | rejected
                ("status", ColType::StringLen(16)),
                ("reviewer_id", ColType::BigIntegerNull),
                ("reviewed_at", ColType::TimestampWithTimeZoneNull),
                ("reason", ColType::TextNull),
            ],
            &[("user", "")],
        )
        .await?;
        create_table(
            m,
            "close_votes",
            &[
                ("id", ColType::PkAuto),
                // close | reopen
                ("action", ColType::StringLen(8)),
                ("reason", ColType::StringLenNull(16)),
                ("duplicate_of", ColType::BigIntegerNull),
            ],
            &[("user", ""), ("question", "")],
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("questions")
                .add_column(
                    ColumnDef::new("closed_at")
                        .timestamp_with_time_zone()
                        .null(),
                )
                .to_owned(),
        )
        .await?;
        exec_all(
            m,
            &[
                "ALTER TABLE questions ADD COLUMN closed_by BIGINT",
                "ALTER TABLE questions ADD COLUMN close_reason VARCHAR(16)",
                "ALTER TABLE questions ADD COLUMN duplicate_of BIGINT",
                "CREATE UNIQUE INDEX revisions_number ON revisions (post_kind, post_id, number)",
                "CREATE INDEX revisions_user ON revisions (user_id, id DESC)",
                "CREATE UNIQUE INDEX suggested_edits_one_pending ON suggested_edits (post_kind, post_id) \
                 WHERE status = 'pending'",
                "CREATE INDEX suggested_edits_queue ON suggested_edits (status, id)",
                "CREATE UNIQUE INDEX close_votes_once ON close_votes (question_id, user_id, action)",
                "CREATE INDEX questions_duplicates ON questions (duplicate_of) WHERE duplicate_of IS NOT NULL",
                // what exists now is each post's first known revision
                "INSERT INTO revisions (post_kind, post_id, number, kind, title, body, tags, user_id, \
                 created_at, updated_at) SELECT 1, q.id, 1, 'create', q.title, q.body, NULL, q.user_id, \
                 q.created_at, q.created_at FROM questions q",
                "INSERT INTO revisions (post_kind, post_id, number, kind, body, user_id, created_at, \
                 updated_at) SELECT 2, a.id, 1, 'create', a.body, a.user_id, a.created_at, a.created_at \
                 FROM answers a",
                "INSERT INTO revisions (post_kind, post_id, number, kind, title, body, course, rating, \
                 user_id, created_at, updated_at) SELECT 3, r.id, 1, 'create', r.title, r.body, c.name, \
                 r.rating, r.user_id, r.created_at, r.created_at FROM reviews r \
                 JOIN courses c ON c.id = r.course_id",
            ],
        )
        .await?;
        let tags = if is_postgres(m) {
            "UPDATE revisions SET tags = (SELECT string_agg(t.name, ' ' ORDER BY t.name) \
             FROM question_tags qt JOIN tags t ON t.id = qt.tag_id WHERE qt.question_id = revisions.post_id) \
             WHERE post_kind = 1"
        } else {
            "UPDATE revisions SET tags = (SELECT group_concat(name, ' ') FROM (SELECT t.name FROM \
             question_tags qt JOIN tags t ON t.id = qt.tag_id WHERE qt.question_id = revisions.post_id \
             ORDER BY t.name)) WHERE post_kind = 1"
        };
        exec_all(m, &[tags]).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["close_votes", "suggested_edits", "revisions"] {
            drop_table(m, table).await?;
        }
        exec_all(
            m,
            &[
                "DROP INDEX questions_duplicates",
                "ALTER TABLE questions DROP COLUMN closed_at",
                "ALTER TABLE questions DROP COLUMN closed_by",
                "ALTER TABLE questions DROP COLUMN close_reason",
                "ALTER TABLE questions DROP COLUMN duplicate_of",
            ],
        )
        .await
    }
}
