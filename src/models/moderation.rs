//! Moderator and admin actions on accounts. Each runs in one transaction
//! with its audit row and its reputation effect.
use chrono::{DateTime, NaiveDate, Utc};
use loco_rs::prelude::*;
use sea_orm::{ActiveValue::Set, QuerySelect, Value};

use super::{
    audit,
    users::{self, Role},
};
use crate::{
    db::{write_txn, Sql},
    votes::{Reason, SqlTx, Votes},
    web::CurrentUser,
};

/// May `actor` act on `target`? Admins on anyone but themselves; moderators
/// only on plain users.
#[must_use]
pub fn may_moderate(actor: &CurrentUser, target: &users::Model) -> bool {
    actor.id != target.id && (actor.is_admin() || (actor.is_staff() && target.role() == Role::User))
}

/// Suspends `user` until `until` with a reason: sessions end at once, login,
/// posting and voting stop, and the reputation their votes gave others is
/// reversed until they are reinstated.
///
/// # Errors
/// On database errors.
pub async fn suspend(
    db: &DatabaseConnection,
    votes: &Votes,
    actor: &CurrentUser,
    user: &users::Model,
    until: DateTime<Utc>,
    reason: &str,
) -> Result<()> {
    let txn = write_txn(db).await?;
    Sql::new(
        "UPDATE users SET suspended_until = ?, suspension_reason = ?, updated_at = ? WHERE id = ?",
    )
    .push_bind(
        "",
        [
            Value::from(until.fixed_offset()),
            Value::from(reason.to_string()),
            Value::from(Utc::now().fixed_offset()),
            Value::from(user.id),
        ],
    )
    .execute(&txn)
    .await?;
    users::Model::end_sessions(&txn, user.id).await?;
    // a reset link mailed before the suspension must not open a new login
    super::account_tokens::revoke_all(&txn, user.id, super::account_tokens::Purpose::Reset).await?;
    crate::votes::voter_status_changed(
        votes,
        &txn,
        user.id,
        Reason::VoterSuspended,
        Some(actor.id),
    )
    .await?;
    let entry = audit::Entry::new(actor.id, "user.suspend", "user", user.id)
        .user(user.id)
        .reason(reason)
        .details(format!("→ {}", until.format("%Y-%m-%d %H:%M UTC")));
    audit::record(&txn, &entry).await?;
    txn.commit().await?;
    Ok(())
}

/// Lifts a suspension; the user's votes count again.
///
/// # Errors
/// On database errors.
pub async fn unsuspend(
    db: &DatabaseConnection,
    votes: &Votes,
    actor: &CurrentUser,
    user: &users::Model,
    reason: &str,
) -> Result<()> {
    let txn = write_txn(db).await?;
    Sql::new("UPDATE users SET suspended_until = NULL, suspension_reason = NULL, updated_at = ? WHERE id = ?")
        .push_bind("", [Value::from(Utc::now().fixed_offset()), Value::from(user.id)])
        .execute(&txn)
        .await?;
    crate::votes::voter_status_changed(votes, &txn, user.id, Reason::VoterRestored, Some(actor.id))
        .await?;
    audit::record(
        &txn,
        &audit::Entry::new(actor.id, "user.unsuspend", "user", user.id)
            .user(user.id)
            .reason(reason),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Reinstates every user whose suspension has run out: clears it and lets
/// their votes pay again. Runs at login (for that user), hourly in the
/// server and from `sessions:purge`; a user re-suspended meanwhile is left
/// alone (the update re-checks the date).
///
/// # Errors
/// On database errors.
pub async fn lift_expired(
    db: &DatabaseConnection,
    votes: &Votes,
    only: Option<i64>,
    now: DateTime<Utc>,
) -> Result<u64> {
    let mut query = users::Entity::find()
        .select_only()
        .column(users::Column::Id)
        .filter(users::Column::SuspendedUntil.lte(now.fixed_offset()));
    if let Some(id) = only {
        query = query.filter(users::Column::Id.eq(id));
    }
    let ids: Vec<i64> = query.into_tuple().all(db).await?;
    let mut lifted = 0;
    for id in ids {
        let txn = write_txn(db).await?;
        let changed = Sql::new("UPDATE users SET suspended_until = NULL, suspension_reason = NULL WHERE id = ? AND suspended_until <= ?")
            .push_bind("", [Value::from(id), Value::from(now.fixed_offset())])
            .execute(&txn)
            .await?;
        if changed == 1 {
            crate::votes::voter_status_changed(votes, &txn, id, Reason::VoterRestored, None)
                .await?;
            lifted += 1;
        }
        txn.commit().await?;
    }
    Ok(lifted)
}

/// Changes `user`'s role (admins only).
///
/// # Errors
/// On database errors.
pub async fn set_role(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    user: &users::Model,
    role: Role,
    reason: &str,
) -> Result<()> {
    let txn = write_txn(db).await?;
    let mut active: users::ActiveModel = user.clone().into();
    active.role = Set(role.as_str().to_string());
    active.updated_at = Set(Utc::now().fixed_offset());
    active.update(&txn).await?;
    let entry = audit::Entry::new(actor.id, "user.role", "user", user.id)
        .user(user.id)
        .reason(reason)
        .details(format!("{} → {}", user.role, role.as_str()));
    audit::record(&txn, &entry).await?;
    txn.commit().await?;
    Ok(())
}

/// Ends every session of `user` ("log out everywhere").
///
/// # Errors
/// On database errors.
pub async fn logout_everywhere(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    user: &users::Model,
    reason: &str,
) -> Result<()> {
    let txn = write_txn(db).await?;
    users::Model::end_sessions(&txn, user.id).await?;
    audit::record(
        &txn,
        &audit::Entry::new(actor.id, "user.logout", "user", user.id)
            .user(user.id)
            .reason(reason),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Adds `delta` to `user`'s reputation as a ledger row with the reason
/// (admins only).
///
/// # Errors
/// On database errors.
pub async fn adjust_reputation(
    db: &DatabaseConnection,
    votes: &Votes,
    actor: &CurrentUser,
    user: &users::Model,
    delta: i64,
    reason: &str,
    day: NaiveDate,
) -> Result<()> {
    let txn = write_txn(db).await?;
    let mut tx = SqlTx::borrowed(&txn);
    votes
        .adjust(&mut tx, user.id, delta, reason, actor.id, day)
        .await
        .map_err(|e| Error::Message(e.to_string()))?;
    let entry = audit::Entry::new(actor.id, "user.reputation", "user", user.id)
        .user(user.id)
        .reason(reason)
        .details(format!("{delta:+}"));
    audit::record(&txn, &entry).await?;
    txn.commit().await?;
    Ok(())
}
