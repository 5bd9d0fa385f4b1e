//! A `tower-sessions` store on sea-orm: one `sessions` table in the app's own
//! pool, identical on SQLite and PostgreSQL.
//!
//! The owning user id is copied into its own indexed column so that a
//! suspension or "log out everywhere" can delete every session of a user
//! with one statement (`users::sessions`, which also decides what a session
//! is worth).
//!
//! While the auth layer resolves the viewer ([`with_viewer`]), a load
//! reads the session's user with the session row, in one statement: every
//! signed-in request saves a statement and a pool checkout (which costs
//! a round trip of its own, sqlx pings a connection it takes back).
use std::{cell::RefCell, future::Future};

use async_trait::async_trait;
use sea_orm::{
    sea_query::OnConflict, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, Value,
};
use time::OffsetDateTime;
use tower_sessions::{
    session::{Id, Record},
    session_store::{self, ExpiredDeletion},
    SessionStore,
};

use crate::{
    db::{entities::sessions, Sql},
    users::{
        self,
        sessions::{self as rules, LOGIN_KEY},
    },
};

/// A viewer read with the session: the live user and their unread count,
/// or `None` when the session names no live user.
pub type Prefetched = Option<(users::Model, i64)>;

tokio::task_local! {
    /// Set while the auth layer resolves a request's viewer; a load puts
    /// the session's user here.
    static PREFETCH: RefCell<Option<(Option<i64>, Prefetched)>>;
}

/// Runs `work` (the auth layer's resolving) so that a session load in it
/// also reads the session's user, for [`take_viewer`].
pub async fn with_viewer<F: Future>(work: F) -> F::Output {
    PREFETCH.scope(RefCell::new(None), work).await
}

/// The user read with this request's session when the session's row
/// names `uid`; `None` when no load read it (the caller reads the user
/// itself).
#[must_use]
pub fn take_viewer(uid: i64) -> Option<Prefetched> {
    let (owner, found) = PREFETCH.try_with(|slot| slot.borrow_mut().take()).ok()??;
    (owner == Some(uid)).then_some(found)
}

#[derive(Clone, Debug)]
pub struct DbSessionStore {
    db: DatabaseConnection,
}

impl DbSessionStore {
    #[must_use]
    pub const fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    fn row(record: &Record) -> session_store::Result<sessions::ActiveModel> {
        let data = serde_json::to_string(&record.data)
            .map_err(|e| session_store::Error::Encode(e.to_string()))?;
        let user_id = record
            .data
            .get(LOGIN_KEY)
            .and_then(|auth| auth.get("uid"))
            .and_then(serde_json::Value::as_i64);
        Ok(sessions::ActiveModel {
            id: Set(record.id.to_string()),
            data: Set(data),
            expiry_date: Set(record.expiry_date.unix_timestamp()),
            user_id: Set(user_id),
        })
    }
}

fn backend(err: sea_orm::DbErr) -> session_store::Error {
    session_store::Error::Backend(err.to_string())
}

fn record(id: &Id, data: &str, expiry: i64) -> session_store::Result<Record> {
    let decode = |e: String| session_store::Error::Decode(e);
    Ok(Record {
        id: *id,
        data: serde_json::from_str(data).map_err(|e| decode(e.to_string()))?,
        expiry_date: OffsetDateTime::from_unix_timestamp(expiry)
            .map_err(|e| decode(e.to_string()))?,
    })
}

impl DbSessionStore {
    /// The session and, through its `user_id`, the live user it belongs to
    /// (left joined: a session without a live user still loads).
    async fn load_with_viewer(&self, id: &Id, now: i64) -> session_store::Result<Option<Record>> {
        let mut q = Sql::new(
            "SELECT s.data AS session_data, s.expiry_date AS session_expiry, \
             s.user_id AS session_uid, ",
        );
        q.push(users::accounts::VIEWER_COLUMNS)
            .push(
                " FROM sessions s LEFT JOIN users ON users.id = s.user_id \
                 AND users.deleted_at IS NULL WHERE s.id = ? AND s.expiry_date > ?",
            )
            .push_bind("", [Value::from(id.to_string()), Value::from(now)]);
        let Some(row) = self
            .db
            .query_one_raw(q.build(self.db.get_database_backend()))
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        let data: String = row.try_get("", "session_data").map_err(backend)?;
        let expiry: i64 = row.try_get("", "session_expiry").map_err(backend)?;
        let owner: Option<i64> = row.try_get("", "session_uid").map_err(backend)?;
        let viewer = users::Model::viewer_from_row(&row).map_err(backend)?;
        let _ = PREFETCH.try_with(|slot| *slot.borrow_mut() = Some((owner, viewer)));
        record(id, &data, expiry).map(Some)
    }
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // A 128-bit random id practically never collides; the loop makes the
        // store correct anyway (insert-or-nothing, then retry with a new id).
        loop {
            let inserted = sessions::Entity::insert(Self::row(record)?)
                .on_conflict(
                    OnConflict::column(sessions::Column::Id)
                        .do_nothing()
                        .to_owned(),
                )
                .exec_without_returning(&self.db)
                .await
                .map_err(backend)?;
            if inserted == 1 {
                break;
            }
            record.id = Id::default();
        }
        // Expired rows are collected here now and then, so the table stays
        // bounded even when nobody runs the `sessions:purge` task.
        if rand::random_ratio(1, 64) {
            if let Err(error) = self.delete_expired().await {
                tracing::warn!(%error, "expired sessions could not be deleted");
            }
        }
        Ok(())
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        sessions::Entity::insert(Self::row(record)?)
            .on_conflict(
                OnConflict::column(sessions::Column::Id)
                    .update_columns([
                        sessions::Column::Data,
                        sessions::Column::ExpiryDate,
                        sessions::Column::UserId,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        if PREFETCH.try_with(|_| ()).is_ok() {
            return self.load_with_viewer(id, now).await;
        }
        let Some(row) = sessions::Entity::find_by_id(id.to_string())
            .filter(sessions::Column::ExpiryDate.gt(now))
            .one(&self.db)
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        record(id, &row.data, row.expiry_date).map(Some)
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        sessions::Entity::delete_by_id(id.to_string())
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

#[async_trait]
impl ExpiredDeletion for DbSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        rules::delete_expired(&self.db).await.map_err(backend)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leave(owner: Option<i64>) {
        PREFETCH.with(|slot| *slot.borrow_mut() = Some((owner, None)));
    }

    #[tokio::test]
    async fn a_prefetched_viewer_is_taken_once_and_only_for_its_login() {
        // outside the auth layer's scope there is never one
        assert!(take_viewer(7).is_none());
        with_viewer(async {
            assert!(take_viewer(7).is_none(), "nothing loaded yet");
            leave(Some(7));
            assert_eq!(take_viewer(7), Some(None), "session 7 names no live user");
            assert!(take_viewer(7).is_none(), "taken already");
            leave(Some(8));
            assert!(take_viewer(7).is_none(), "another user's row");
            leave(None);
            assert!(take_viewer(7).is_none(), "a row without its user id");
        })
        .await;
    }
}
