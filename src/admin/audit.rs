//! The audit log's page: the rows, newest first, filtered by action and
//! actor. Rows are written through `crate::audit` by whoever acts.
use sea_orm::{prelude::DateTimeWithTimeZone, ConnectionTrait, DbErr, FromQueryResult, Value};

use crate::{audit::Action, db::Sql};

#[derive(Debug, Clone, FromQueryResult)]
pub struct AuditRow {
    pub id: i64,
    pub action: String,
    pub target_kind: String,
    pub target_id: i64,
    pub reason: Option<String>,
    pub details: Option<String>,
    pub created_at: DateTimeWithTimeZone,
    pub actor_name: String,
    pub target_user_name: Option<String>,
}

pub const PER_PAGE: u64 = 50;

#[derive(FromQueryResult)]
struct Count {
    n: i64,
}

/// A page of the log, newest first, filtered by action and actor.
///
/// # Errors
/// On database errors.
pub async fn list(
    db: &impl ConnectionTrait,
    action: Option<Action>,
    actor_id: Option<i64>,
    page: u64,
) -> Result<(Vec<AuditRow>, u64, u64), DbErr> {
    let backend = db.get_database_backend();
    let filter = |q: &mut Sql| {
        if let Some(action) = action {
            q.push_bind(" AND l.action = ?", [Value::from(action.as_str())]);
        }
        if let Some(actor) = actor_id {
            q.push_bind(" AND l.actor_id = ?", [Value::from(actor)]);
        }
    };
    let mut count = Sql::new("SELECT COUNT(*) AS n FROM (SELECT 1 FROM audit_logs l WHERE 1 = 1");
    filter(&mut count);
    count.push_bind(" LIMIT ?) c", [Value::from((PER_PAGE * 500) as i64)]);
    let total = Count::find_by_statement(count.build(backend))
        .one(db)
        .await?
        .map_or(0, |c| c.n);
    let pages = u64::try_from(total)
        .unwrap_or(0)
        .div_ceil(PER_PAGE)
        .clamp(1, 500);
    let page = page.clamp(1, pages);
    let mut q = Sql::new(
        "SELECT l.id, l.action, l.target_kind, l.target_id, l.reason, l.details, l.created_at, \
         a.username AS actor_name, t.username AS target_user_name FROM audit_logs l \
         JOIN users a ON a.id = l.actor_id LEFT JOIN users t ON t.id = l.target_user_id WHERE 1 = 1",
    );
    filter(&mut q);
    q.push_bind(
        " ORDER BY l.id DESC LIMIT ? OFFSET ?",
        [
            Value::from(PER_PAGE as i64),
            Value::from(((page - 1) * PER_PAGE) as i64),
        ],
    );
    Ok((
        AuditRow::find_by_statement(q.build(backend))
            .all(db)
            .await?,
        page,
        pages,
    ))
}
