//! Votes, the append-only reputation ledger and its per-day rollup.
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
            "votes",
            &[
                ("id", ColType::PkAuto),
                // 1 question, 2 answer, 3 review
                ("target_kind", ColType::SmallInteger),
                ("target_id", ColType::BigInteger),
                // +1 or -1
                ("value", ColType::SmallInteger),
            ],
            &[("user", "")],
        )
        .await?;
        create_table(
            m,
            "reputation_events",
            &[
                ("id", ColType::PkAuto),
                ("delta", ColType::Integer),
                ("reason", ColType::StringLen(32)),
                // vote | accept | moderation | adjustment
                ("source", ColType::StringLen(16)),
                ("vote_id", ColType::BigIntegerNull),
                ("target_kind", ColType::SmallIntegerNull),
                ("target_id", ColType::BigIntegerNull),
                ("actor_id", ColType::BigIntegerNull),
                ("note", ColType::TextNull),
            ],
            &[("user", "")],
        )
        .await?;
        m.create_table(
            Table::create()
                .table("reputation_daily")
                .col(ColumnDef::new("user_id").big_integer().not_null())
                .col(ColumnDef::new("day").date().not_null())
                .col(ColumnDef::new("total").big_integer().not_null().default(0))
                .col(
                    ColumnDef::new("vote_total")
                        .big_integer()
                        .not_null()
                        .default(0),
                )
                .primary_key(Index::create().col("user_id").col("day"))
                .to_owned(),
        )
        .await?;
        exec_all(
            m,
            &[
                // one vote per user and target, whatever the races
                "CREATE UNIQUE INDEX votes_one_per_user ON votes (user_id, target_kind, target_id)",
                "CREATE INDEX votes_target ON votes (target_kind, target_id)",
                "CREATE INDEX reputation_events_user ON reputation_events (user_id, id DESC)",
                "CREATE INDEX reputation_events_vote ON reputation_events (vote_id)",
                "CREATE INDEX reputation_events_target ON reputation_events (target_kind, target_id)",
                "CREATE INDEX reputation_daily_day ON reputation_daily (day, user_id)",
            ],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_table(m, "reputation_daily").await?;
        drop_table(m, "reputation_events").await?;
        drop_table(m, "votes").await
    }
}
