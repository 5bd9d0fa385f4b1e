//! Each user's e-mail setting per kind of notification. Only the kinds a
//! user changed are stored; the rest follow [`Kind::default_mode`].
use sea_orm::{ConnectionTrait, FromQueryResult, Value};

use super::{Kind, Mode};
use crate::db::{DbResult, Sql};

#[derive(Debug, FromQueryResult)]
struct Row {
    kind: String,
    mode: String,
}

/// Every kind with `user_id`'s setting for it.
///
/// # Errors
/// On database errors.
pub async fn of_user(db: &impl ConnectionTrait, user_id: i64) -> DbResult<Vec<(Kind, Mode)>> {
    let mut q = Sql::new("SELECT kind, mode FROM notification_prefs WHERE user_id = ?");
    q.push_bind("", [Value::from(user_id)]);
    let stored = Row::find_by_statement(q.build(db.get_database_backend()))
        .all(db)
        .await?;
    Ok(Kind::ALL
        .into_iter()
        .map(|kind| {
            let mode = stored
                .iter()
                .find(|r| r.kind == kind.as_str())
                .and_then(|r| Mode::parse(&r.mode))
                .unwrap_or(kind.default_mode());
            (kind, mode)
        })
        .collect())
}

/// Stores `mode` for `kind` (one upsert).
///
/// # Errors
/// On database errors.
pub async fn set(db: &impl ConnectionTrait, user_id: i64, kind: Kind, mode: Mode) -> DbResult<()> {
    Sql::new(
        "INSERT INTO notification_prefs (user_id, kind, mode) VALUES (?, ?, ?) \
         ON CONFLICT (user_id, kind) DO UPDATE SET mode = excluded.mode",
    )
    .push_bind(
        "",
        [
            Value::from(user_id),
            Value::from(kind.as_str()),
            Value::from(mode.as_str()),
        ],
    )
    .execute(db)
    .await?;
    Ok(())
}

/// `CASE` arms that give a kind's default mode, for queries that join the
/// stored settings: `COALESCE(p.mode, CASE n.kind … END)`.
pub fn push_default_mode(q: &mut Sql) {
    q.push("CASE n.kind");
    for kind in Kind::ALL {
        q.push_bind(
            " WHEN ? THEN ?",
            [
                Value::from(kind.as_str()),
                Value::from(kind.default_mode().as_str()),
            ],
        );
    }
    q.push(" ELSE 'off' END");
}
