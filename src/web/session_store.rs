//! A `tower-sessions` store on sea-orm: one `sessions` table in the app's own
//! pool, identical on SQLite and PostgreSQL.
//!
//! The owning user id is copied into its own indexed column so that a
//! suspension or "log out everywhere" can delete every session of a user
//! with one statement (`users::sessions`, which also decides what a session
//! is worth).
use async_trait::async_trait;
use sea_orm::{
    sea_query::OnConflict, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait,
    QueryFilter,
};
use time::OffsetDateTime;
use tower_sessions::{
    session::{Id, Record},
    session_store::{self, ExpiredDeletion},
    SessionStore,
};

use crate::{
    db::entities::sessions,
    users::sessions::{self as rules, LOGIN_KEY},
};

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
        let Some(row) = sessions::Entity::find_by_id(id.to_string())
            .filter(sessions::Column::ExpiryDate.gt(now))
            .one(&self.db)
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        let data = serde_json::from_str(&row.data)
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        let expiry_date = OffsetDateTime::from_unix_timestamp(row.expiry_date)
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date,
        }))
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
