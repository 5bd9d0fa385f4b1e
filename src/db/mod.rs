//! Database helpers shared by the models: write transactions and a tiny SQL
//! builder for the few queries the ORM cannot express on both databases.
pub mod entities;
pub mod pool;
pub mod sqlite;
pub mod statements;

use sea_orm::{
    ConnectionTrait, DatabaseBackend, DatabaseConnection, DatabaseTransaction, DbErr,
    SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait, Value,
};

/// The result of a database read or write that has no rule to break.
pub type DbResult<T> = Result<T, DbErr>;

/// Begins a transaction that will write.
///
/// On SQLite it is `BEGIN IMMEDIATE`: a deferred transaction that reads and
/// then writes fails at once with `SQLITE_BUSY` when another writer is
/// active, whatever the busy timeout, while an immediate one waits its turn.
/// On PostgreSQL it is a plain `BEGIN`; writers lock the rows they change.
///
/// # Errors
/// When the transaction cannot start.
pub async fn write_txn(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    // no access mode: on PostgreSQL it is a second round trip
    // (`SET TRANSACTION`) for the default, read-write
    db.begin_with_options(TransactionOptions {
        isolation_level: None,
        access_mode: None,
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
    })
    .await
}

/// Why the database could not serve a request that may succeed later
/// (answered 503, not 500).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outage {
    /// No connection: the pool timed out or is closed, the link dropped,
    /// the server is shutting down or out of connections.
    Unreachable,
    /// SQLite: another writer held the lock past the busy timeout.
    Busy,
}

/// Whether `err` is an [`Outage`], and which.
#[must_use]
pub fn outage(err: &DbErr) -> Option<Outage> {
    use sea_orm::{sqlx::Error as SqlxError, ConnAcquireErr, RuntimeErr};
    match err {
        DbErr::ConnectionAcquire(ConnAcquireErr::Timeout | ConnAcquireErr::ConnectionClosed)
        | DbErr::Conn(_) => Some(Outage::Unreachable),
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => {
            match e.as_ref() {
                SqlxError::Io(_)
                | SqlxError::Tls(_)
                | SqlxError::PoolTimedOut
                | SqlxError::PoolClosed
                | SqlxError::WorkerCrashed
                | SqlxError::Protocol(_) => Some(Outage::Unreachable),
                SqlxError::Database(db) => {
                    let code = db.code().unwrap_or_default();
                    // SQLite: 5 BUSY, 6 LOCKED and their extended codes;
                    // PostgreSQL: class 08 (connection), 53 (resources),
                    // 57P01-57P03 (shutting down, cannot connect now)
                    if matches!(code.as_ref(), "5" | "6" | "261" | "262" | "517" | "773") {
                        Some(Outage::Busy)
                    } else if code.starts_with("08")
                        || code.starts_with("53")
                        || matches!(code.as_ref(), "57P01" | "57P02" | "57P03")
                    {
                        Some(Outage::Unreachable)
                    } else {
                        None
                    }
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// The name of the unique index (or constraint) that `err` violated:
/// PostgreSQL names it; SQLite names an expression index (`index 'x'`) or
/// lists the columns (`table.column`), which is then the name to match.
#[must_use]
pub fn violated_unique(err: &DbErr) -> Option<String> {
    use sea_orm::{sqlx::Error as SqlxError, RuntimeErr, SqlErr};
    if !matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) {
        return None;
    }
    let (DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e))) = err
    else {
        return None;
    };
    let SqlxError::Database(db) = e.as_ref() else {
        return None;
    };
    if let Some(name) = db.constraint() {
        return Some(name.to_string());
    }
    // SQLite: "UNIQUE constraint failed: index 'name'" or "…: t.a, t.b"
    let detail = db.message().split_once("constraint failed: ")?.1.trim();
    Some(
        detail
            .strip_prefix("index '")
            .and_then(|rest| rest.strip_suffix('\''))
            .unwrap_or(detail)
            .to_string(),
    )
}

/// A unique index, by the name each database reports when it is violated:
/// PostgreSQL gives the index's name; SQLite gives it for an expression
/// index and lists the columns (`table.a, table.b`) otherwise.
#[derive(Debug, Clone, Copy)]
pub struct Unique {
    pub name: &'static str,
    pub sqlite: &'static str,
}

impl Unique {
    /// True when `err` violated this index.
    #[must_use]
    pub fn violated_by(&self, err: &DbErr) -> bool {
        violated_unique(err).is_some_and(|n| n == self.name || n == self.sqlite)
    }
}

/// A row lock until commit on PostgreSQL; nothing on SQLite, where the
/// immediate transaction already holds the write lock.
///
/// `FOR NO KEY UPDATE`, not `FOR UPDATE`: inserting a row that references
/// the locked one (a vote's voter, an answer's question) takes a key-share
/// lock on it, which `FOR UPDATE` blocks. Two voters who are each other's
/// authors then deadlocked (one lock taken in each order); no locked row
/// here ever has its key changed or is deleted under the lock.
pub const ROW_LOCK: &str = " FOR NO KEY UPDATE";

/// [`ROW_LOCK`] on PostgreSQL, nothing on SQLite.
#[must_use]
pub fn for_update(backend: DatabaseBackend) -> &'static str {
    if backend == DatabaseBackend::Postgres {
        ROW_LOCK
    } else {
        ""
    }
}

/// A statement assembled from static SQL fragments and bound values.
///
/// Fragments are `&'static str`, so no user text can ever become SQL; values
/// are always bound. `?` placeholders become `$n` on PostgreSQL.
#[derive(Debug, Default)]
pub struct Sql {
    text: String,
    values: Vec<Value>,
}

impl Sql {
    #[must_use]
    pub fn new(fragment: &'static str) -> Self {
        Self {
            text: fragment.to_string(),
            values: Vec::new(),
        }
    }

    /// Appends a fragment.
    pub fn push(&mut self, fragment: &'static str) -> &mut Self {
        self.text.push_str(fragment);
        self
    }

    /// Appends a fragment whose `?`s take `values`, in order.
    pub fn push_bind(
        &mut self,
        fragment: &'static str,
        values: impl IntoIterator<Item = Value>,
    ) -> &mut Self {
        self.text.push_str(fragment);
        self.values.extend(values);
        self
    }

    /// Appends ` LIMIT limit OFFSET offset` with the numbers written into
    /// the statement (numbers, so still no text from outside), not bound.
    ///
    /// PostgreSQL costs a generic plan without the values of its
    /// parameters: with a bound OFFSET it guesses a tenth of the rows
    /// skipped, and for a join such as a tag's page that plan cost ten
    /// times the plan for the page at hand, so every view was planned anew
    /// (0.55 ms of the large set's tag page). With literals, the plan is
    /// kept after the driver's fifth run of the statement on a connection.
    ///
    /// Not a rule for every list: it moves the comparison PostgreSQL makes
    /// between the two plans. A statement left with no parameters at all
    /// (the whole question list) is planned once; a tag's page keeps its
    /// plan after five runs; but a user's reputation history (a six-way
    /// join, 0.8–1.5 ms to plan) and a user's questions went the other way,
    /// from a kept plan to planning every view. Check with
    /// `pg_prepared_statements` (after six runs, `generic_plans` > 0) on
    /// the large benchmark set before using it elsewhere.
    pub fn push_page(&mut self, limit: u64, offset: u64) -> &mut Self {
        use std::fmt::Write as _;
        let _ = write!(self.text, " LIMIT {limit} OFFSET {offset}");
        self
    }

    /// Appends `(?, ?, …)` for `values`.
    pub fn push_in(&mut self, values: impl IntoIterator<Item = Value>) -> &mut Self {
        let start = self.values.len();
        self.values.extend(values);
        let n = self.values.len() - start;
        self.text.push('(');
        for i in 0..n {
            self.text.push_str(if i == 0 { "?" } else { ", ?" });
        }
        self.text.push(')');
        self
    }

    /// The statement for `backend`.
    #[must_use]
    pub fn build(&self, backend: DatabaseBackend) -> Statement {
        let text = if backend == DatabaseBackend::Postgres {
            let mut out = String::with_capacity(self.text.len() + 8);
            let mut n = 0;
            for c in self.text.chars() {
                if c == '?' {
                    n += 1;
                    out.push('$');
                    out.push_str(&n.to_string());
                } else {
                    out.push(c);
                }
            }
            out
        } else {
            self.text.clone()
        };
        Statement::from_sql_and_values(backend, text, self.values.clone())
    }

    /// Runs it as a statement that returns no rows.
    ///
    /// # Errors
    /// On database errors.
    pub async fn execute(&self, db: &impl ConnectionTrait) -> Result<u64, DbErr> {
        Ok(db
            .execute_raw(self.build(db.get_database_backend()))
            .await?
            .rows_affected())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_follow_the_backend() {
        let mut q = Sql::new("SELECT 1 FROM t WHERE a = ?");
        q.push_bind("", [Value::from(0i64)]);
        q.push_bind(" AND b = ?", [Value::from(1i64)])
            .push(" AND c IN ")
            .push_in([Value::from(2i64), Value::from(3i64)]);
        q.push_page(20, 40);
        let sqlite = q.build(DatabaseBackend::Sqlite);
        assert!(sqlite.sql.contains("c IN (?, ?)"));
        assert_eq!(
            q.build(DatabaseBackend::Postgres).sql,
            "SELECT 1 FROM t WHERE a = $1 AND b = $2 AND c IN ($3, $4) LIMIT 20 OFFSET 40"
        );
        assert_eq!(sqlite.values.map_or(0, |v| v.0.len()), 4);
    }
}
