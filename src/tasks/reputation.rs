//! `reputation:verify` and `reputation:rebuild`.
use loco_rs::{
    app::AppContext,
    task::{Task, TaskInfo, Vars},
    Error, Result,
};
use sea_orm::TransactionTrait;

use crate::votes::ledger;

pub struct Verify;

#[async_trait::async_trait]
impl Task for Verify {
    fn task(&self) -> TaskInfo {
        TaskInfo {
            name: "reputation:verify".to_string(),
            detail: "compare every cached reputation and post tally with the ledger and votes; fails on a difference"
                .to_string(),
        }
    }

    async fn run(&self, ctx: &AppContext, _vars: &Vars) -> Result<()> {
        let (users, posts) = ledger::verify(&ctx.db).await?;
        for m in &users {
            println!(
                "user {}: cached {} in {} rows but ledger says {} in {} rows",
                m.id, m.cached, m.cached_rows, m.ledger, m.ledger_rows
            );
        }
        for p in &posts {
            println!("{p}: tally differs from its votes");
        }
        if users.is_empty() && posts.is_empty() {
            println!("reputation:verify: every total matches the ledger");
            Ok(())
        } else {
            Err(Error::Message(format!(
                "reputation:verify: {} user(s) and {} post(s) differ; run reputation:rebuild",
                users.len(),
                posts.len()
            )))
        }
    }
}

pub struct Rebuild;

#[async_trait::async_trait]
impl Task for Rebuild {
    fn task(&self) -> TaskInfo {
        TaskInfo {
            name: "reputation:rebuild".to_string(),
            detail: "recompute cached reputations, daily totals and post tallies from the ledger and votes".to_string(),
        }
    }

    async fn run(&self, ctx: &AppContext, _vars: &Vars) -> Result<()> {
        let txn = ctx.db.begin().await?;
        let fixed = ledger::rebuild(&txn).await?;
        txn.commit().await?;
        println!("reputation:rebuild: {fixed} user total(s) corrected");
        Ok(())
    }
}
