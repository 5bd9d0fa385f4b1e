//! Courses and their reviews, with full-text search over reviews.
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
            "courses",
            &[
                ("id", ColType::PkAuto),
                // as first written
                ("name", ColType::StringLen(120)),
                // lower-cased, spaces collapsed: "Django Mastery" = " django  mastery "
                ("name_key", ColType::StringLenUniq(120)),
                ("slug", ColType::StringLenUniq(100)),
                // live reviews only; kept current by every review write
                ("review_count", ColType::IntegerWithDefault(0)),
                ("rating_sum", ColType::IntegerWithDefault(0)),
                ("rating_1", ColType::IntegerWithDefault(0)),
                ("rating_2", ColType::IntegerWithDefault(0)),
                ("rating_3", ColType::IntegerWithDefault(0)),
                ("rating_4", ColType::IntegerWithDefault(0)),
                ("rating_5", ColType::IntegerWithDefault(0)),
                ("avg_rating", ColType::DoubleWithDefault(0.0)),
            ],
            &[],
        )
        .await?;
        create_table(
            m,
            "reviews",
            &[
                ("id", ColType::PkAuto),
                ("title", ColType::StringLen(150)),
                ("body", ColType::Text),
                ("body_html", ColType::Text),
                ("excerpt", ColType::StringLen(320)),
                ("rating", ColType::SmallInteger),
                ("score", ColType::IntegerWithDefault(0)),
                ("up_count", ColType::IntegerWithDefault(0)),
                ("down_count", ColType::IntegerWithDefault(0)),
                ("edited_at", ColType::TimestampWithTimeZoneNull),
                ("edited_by", ColType::BigIntegerNull),
                ("deleted_at", ColType::TimestampWithTimeZoneNull),
                ("deleted_by", ColType::BigIntegerNull),
            ],
            &[("course", ""), ("user", "")],
        )
        .await?;
        exec_all(
            m,
            &[
                // one live review per user and course; a deleted one frees the slot
                "CREATE UNIQUE INDEX reviews_one_per_course ON reviews (user_id, course_id) WHERE deleted_at IS NULL",
                "CREATE INDEX reviews_newest ON reviews (id DESC) WHERE deleted_at IS NULL",
                "CREATE INDEX reviews_course_newest ON reviews (course_id, id DESC) WHERE deleted_at IS NULL",
                "CREATE INDEX reviews_course_helpful ON reviews (course_id, score DESC, id DESC) WHERE deleted_at IS NULL",
                "CREATE INDEX reviews_user ON reviews (user_id, id DESC)",
                "CREATE INDEX courses_by_rating ON courses (avg_rating DESC, review_count DESC, id) WHERE review_count > 0",
                "CREATE INDEX courses_by_reviews ON courses (review_count DESC, id) WHERE review_count > 0",
            ],
        )
        .await?;
        if is_postgres(m) {
            exec_all(
                m,
                &[
                    "ALTER TABLE reviews ADD COLUMN search_vector tsvector",
                    "CREATE INDEX reviews_search ON reviews USING GIN (search_vector)",
                ],
            )
            .await?;
        } else {
            exec_all(
                m,
                &["CREATE VIRTUAL TABLE reviews_fts USING fts5(course, title, body, tokenize = 'unicode61 remove_diacritics 2')"],
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if !is_postgres(m) {
            exec_all(m, &["DROP TABLE IF EXISTS reviews_fts"]).await?;
        }
        drop_table(m, "reviews").await?;
        drop_table(m, "courses").await
    }
}
