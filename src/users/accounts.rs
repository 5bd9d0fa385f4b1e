//! Accounts: lookup, registration, roles and status.
use chrono::{DateTime, Utc};
use sea_orm::{entity::prelude::*, QueryOrder, QuerySelect};
use sea_orm::{
    sea_query::{ExprTrait, Func},
    ActiveValue::Set,
    Condition, FromQueryResult,
};
use serde::{Deserialize, Serialize};

pub use crate::db::entities::users::{ActiveModel, Column, Entity, Model};
use crate::{
    counters,
    db::{DbResult, Sql, Unique},
    forms::{FieldErrors, Value},
    i18n::Lang,
    markdown::Mentions,
    passwords,
    text::has_forbidden_chars,
};

/// The columns of a request's viewer: the live user row (`users`) and
/// their unread notifications (`unread`), for the navbar's badge.
pub const VIEWER_COLUMNS: &str = "users.*, (SELECT COUNT(*) FROM notifications n \
     WHERE n.user_id = users.id AND n.read_at IS NULL) AS unread";

/// What a user may do beyond posting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    User,
    Moderator,
    Admin,
}

impl Role {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Moderator => "moderator",
            Self::Admin => "admin",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "user" => Some(Self::User),
            "moderator" => Some(Self::Moderator),
            "admin" => Some(Self::Admin),
            _ => None,
        }
    }
}

/// Username rules (SPEC): 3–32 of `[A-Za-z0-9_-]`.
#[must_use]
pub fn valid_username(name: &str) -> bool {
    (3..=32).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// The key a login form's `login` names an account by, for counting
/// failures: e-mails and usernames compare case-insensitively.
#[must_use]
pub fn normalize_login(login: &str) -> String {
    login.trim().to_lowercase()
}

/// The abuse-limit bucket of failed logins to account `user_id`.
#[must_use]
pub fn login_bucket(user_id: i64) -> String {
    format!("login:{user_id}")
}

/// Lower-cases and trims an e-mail address for storage and lookup.
#[must_use]
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

impl Model {
    #[must_use]
    pub fn role(&self) -> Role {
        Role::parse(&self.role).unwrap_or(Role::User)
    }

    #[must_use]
    pub fn is_deleted(&self) -> bool {
        self.deleted_at.is_some()
    }

    #[must_use]
    pub fn is_suspended(&self, now: DateTime<Utc>) -> bool {
        self.suspended_until.is_some_and(|until| until > now)
    }

    /// Neither deleted nor suspended right now.
    #[must_use]
    pub fn can_log_in(&self, now: DateTime<Utc>) -> bool {
        !self.is_deleted() && !self.is_suspended(now)
    }

    #[must_use]
    pub fn avatar_url(&self) -> Option<String> {
        self.avatar.as_ref().map(|name| format!("/avatars/{name}"))
    }

    #[must_use]
    pub fn url(&self) -> String {
        format!("/users/{}", self.username)
    }

    /// Finds a live (not deleted) account by username, case-insensitively.
    ///
    /// # Errors
    /// On database errors.
    pub async fn find_by_username(db: &impl ConnectionTrait, name: &str) -> DbResult<Option<Self>> {
        if !valid_username(name) {
            return Ok(None);
        }
        Entity::find()
            .filter(Expr::expr(Func::lower(Expr::col(Column::Username))).eq(name.to_lowercase()))
            .filter(Column::DeletedAt.is_null())
            .one(db)
            .await
    }

    /// Finds a live account by e-mail (case-insensitive).
    ///
    /// # Errors
    /// On database errors.
    pub async fn find_by_email(db: &impl ConnectionTrait, email: &str) -> DbResult<Option<Self>> {
        Entity::find()
            .filter(Column::Email.eq(normalize_email(email)))
            .filter(Column::DeletedAt.is_null())
            .one(db)
            .await
    }

    /// Finds the account a login form names: an e-mail when it contains `@`,
    /// else a username (usernames cannot contain `@`, so one can never
    /// shadow another account's address).
    ///
    /// # Errors
    /// On database errors.
    pub async fn find_by_login(db: &impl ConnectionTrait, login: &str) -> DbResult<Option<Self>> {
        let login = login.trim();
        if login.contains('@') {
            Self::find_by_email(db, login).await
        } else {
            Self::find_by_username(db, login).await
        }
    }

    /// Finds users by a username or e-mail fragment (admin search); with
    /// an empty `term`, the newest accounts.
    ///
    /// # Errors
    /// On database errors.
    pub async fn search(db: &impl ConnectionTrait, term: &str, limit: u64) -> DbResult<Vec<Self>> {
        let term = term.trim().to_lowercase();
        if term.is_empty() {
            return Entity::find()
                .order_by_desc(Column::Id)
                .limit(limit)
                .all(db)
                .await;
        }
        // LIKE wildcards are dropped rather than escaped: SQLite has no
        // default escape character
        let like = format!("%{}%", term.replace(['\\', '%', '_'], ""));
        let cond = Condition::any()
            .add(Expr::expr(Func::lower(Expr::col(Column::Username))).like(like.clone()))
            .add(Column::Email.like(like));
        Entity::find()
            .filter(cond)
            .order_by_asc(Column::Username)
            .limit(limit)
            .all(db)
            .await
    }
}

/// The registration form.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterParams {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub email: String,
    #[serde(default, skip_serializing)]
    pub password: String,
    #[serde(default, skip_serializing)]
    pub password_confirm: String,
}

impl RegisterParams {
    /// Checks every field.
    #[must_use]
    pub fn validate(&self) -> FieldErrors {
        let mut errors = FieldErrors::new();
        let username = self.username.trim();
        if username.is_empty() {
            errors.add("username", "error-required");
        } else if username.contains('@') {
            errors.add("username", "error-username-email");
        } else if !valid_username(username) {
            errors.add_with(
                "username",
                "error-username-format",
                vec![("min", Value::Num(3)), ("max", Value::Num(32))],
            );
        }
        let email = normalize_email(&self.email);
        if email.is_empty() {
            errors.add("email", "error-required");
        } else if email.len() > 254
            || has_forbidden_chars(&email, false)
            || !validator::ValidateEmail::validate_email(&email)
        {
            errors.add("email", "error-email-invalid");
        }
        check_new_password(
            &mut errors,
            ("password", "password_confirm"),
            (&self.password, &self.password_confirm),
            (username, &email),
        );
        errors
    }
}

/// Checks a new password and its confirmation for `username` / `email`
/// (registration, reset and change share the rules); problems go to
/// `fields.0` and `fields.1`.
pub fn check_new_password(
    errors: &mut FieldErrors,
    fields: (&str, &str),
    (password, confirm): (&str, &str),
    (username, email): (&str, &str),
) {
    if let Err(weak) = passwords::check_policy(password, username, email) {
        errors.add_with(
            fields.0,
            weak.key(),
            vec![
                ("min", passwords::MIN_LEN.into()),
                ("max", passwords::MAX_LEN.into()),
            ],
        );
    }
    if password != confirm {
        errors.add(fields.1, "error-password-mismatch");
    }
}

/// What a registration did. Both outcomes look the same to the visitor:
/// the page never says whether an address has an account.
#[derive(Debug)]
pub enum Registered {
    /// A new account (unconfirmed unless asked otherwise).
    New(Box<Model>),
    /// The address already has an account: its owner is mailed instead.
    AddressTaken,
}

/// Why the users module refused something.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Usernames are public, so saying one is taken reveals nothing.
    #[error("the username is taken")]
    UsernameTaken,
    #[error(transparent)]
    Password(#[from] crate::passwords::Error),
    #[error("storing the avatar: {0}")]
    Storage(#[from] loco_rs::storage::StorageError),
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// The unique indexes of `users`.
const USERNAME_INDEX: Unique = Unique {
    name: "users_username_lower",
    sqlite: "users_username_lower",
};
const EMAIL_INDEX: Unique = Unique {
    name: "users_email",
    sqlite: "users.email",
};

impl ActiveModel {
    /// Creates an account (role `user`, reputation 1) from validated input,
    /// writing its confirmation mail to the job queue in the same
    /// transaction (or marking it confirmed, for accounts an operator makes).
    ///
    /// # Errors
    /// `UsernameTaken` when the username exists (decided by the unique
    /// index, not by a prior lookup).
    pub async fn register(
        db: &DatabaseConnection,
        params: &RegisterParams,
        lang: Lang,
        confirmed: bool,
    ) -> Result<Registered, Error> {
        let hash = passwords::hash(&params.password).await?;
        let now = Utc::now().fixed_offset();
        let email = normalize_email(&params.email);
        let user = Self {
            username: Set(params.username.trim().to_string()),
            email: Set(email.clone()),
            password_hash: Set(hash),
            role: Set(Role::User.as_str().to_string()),
            reputation: Set(1),
            bio: Set(String::new()),
            session_version: Set(0),
            email_confirmed_at: Set(confirmed.then_some(now)),
            lang: Set(lang.code().to_string()),
            // set, not left to the column defaults: a connection that had
            // run the ALTER TABLE adding them (auto-migrating apps, tests)
            // now and then got NULL for them from SQLite's RETURNING
            ledger_rows: Set(0),
            question_count: Set(0),
            answer_count: Set(0),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        };
        let txn = crate::db::write_txn(db).await?;
        match user.insert(&txn).await {
            Ok(model) => {
                // the member count grows when an account is confirmed
                if confirmed {
                    counters::add(&txn, counters::USERS, 1).await?;
                } else {
                    super::jobs::confirm(&txn, model.id, lang).await?;
                }
                txn.commit().await?;
                Ok(Registered::New(Box::new(model)))
            }
            Err(err) => {
                txn.rollback().await?;
                if crate::db::violated_unique(&err).is_none() {
                    return Err(err.into());
                }
                // Which index a database reports when both are taken differs
                // (SQLite checks the newest first): the username is asked
                // about on its own, so a taken address can never show
                // through as "username taken" or the other way round.
                let username = params.username.trim();
                if USERNAME_INDEX.violated_by(&err)
                    || Model::find_by_username(db, username).await?.is_some()
                {
                    return Err(Error::UsernameTaken);
                }
                if !EMAIL_INDEX.violated_by(&err) {
                    return Err(err.into());
                }
                super::jobs::address_taken(db, email).await?;
                Ok(Registered::AddressTaken)
            }
        }
    }
}

impl Model {
    /// Confirms the account's address (idempotent); from then on it is a
    /// member others can see.
    ///
    /// # Errors
    /// On database errors.
    pub async fn confirm_email(db: &impl ConnectionTrait, user_id: i64) -> DbResult<()> {
        let now = Utc::now().fixed_offset();
        let changed = Entity::update_many()
            .col_expr(Column::EmailConfirmedAt, Expr::value(now))
            .filter(Column::Id.eq(user_id))
            .filter(Column::EmailConfirmedAt.is_null())
            .exec(db)
            .await?
            .rows_affected;
        if changed == 1 {
            counters::add(db, counters::USERS, 1).await?;
        }
        Ok(())
    }

    /// A member's public page: live and confirmed. An unconfirmed account
    /// is not shown anywhere, so its existence cannot tell that the e-mail
    /// address it registered with was free.
    ///
    /// # Errors
    /// On database errors.
    pub async fn find_public(db: &impl ConnectionTrait, name: &str) -> DbResult<Option<Self>> {
        Ok(Self::find_by_username(db, name)
            .await?
            .filter(|u| u.email_confirmed_at.is_some()))
    }

    /// Sets a new password hash and ends everything the old password
    /// opened: every session (a new session version, the rows deleted) and
    /// every outstanding reset link. Runs inside the caller's transaction.
    ///
    /// # Errors
    /// On database errors.
    pub async fn set_password(
        txn: &impl ConnectionTrait,
        user_id: i64,
        hash: String,
    ) -> DbResult<()> {
        Entity::update_many()
            .col_expr(Column::PasswordHash, Expr::value(hash))
            .col_expr(Column::UpdatedAt, Expr::value(Utc::now().fixed_offset()))
            .filter(Column::Id.eq(user_id))
            .exec(txn)
            .await?;
        Self::end_sessions(txn, user_id).await?;
        super::tokens::revoke_all(txn, user_id, super::tokens::Purpose::Reset).await?;
        Ok(())
    }

    /// Ends every session of the user now: a new session version (checked
    /// on every request) and the rows deleted.
    ///
    /// # Errors
    /// On database errors.
    pub async fn end_sessions(db: &impl ConnectionTrait, user_id: i64) -> DbResult<()> {
        Self::bump_session_version(db, user_id).await?;
        super::sessions::delete_for_user(db, user_id, None).await?;
        Ok(())
    }

    /// Remembers the language the user last used the site in (for mails).
    ///
    /// # Errors
    /// On database errors.
    pub async fn set_lang(db: &impl ConnectionTrait, user_id: i64, lang: Lang) -> DbResult<()> {
        Entity::update_many()
            .col_expr(Column::Lang, Expr::value(lang.code()))
            .filter(Column::Id.eq(user_id))
            .filter(Column::Lang.ne(lang.code()))
            .exec(db)
            .await?;
        Ok(())
    }

    /// An account by id, deleted or not (a deleted author still has a
    /// name on old posts).
    ///
    /// # Errors
    /// On database errors.
    pub async fn find_by_id_any(db: &impl ConnectionTrait, id: i64) -> DbResult<Option<Self>> {
        Entity::find_by_id(id).one(db).await
    }

    /// A live (not deleted) account by id.
    ///
    /// # Errors
    /// On database errors.
    pub async fn find_live(db: &impl ConnectionTrait, id: i64) -> DbResult<Option<Self>> {
        Entity::find_by_id(id)
            .filter(Column::DeletedAt.is_null())
            .one(db)
            .await
    }

    /// The signed-in user of a request with their unread notifications:
    /// the count rides along with the row the request loads anyway, so
    /// the navbar's badge costs no query of its own.
    ///
    /// # Errors
    /// On database errors.
    pub async fn find_viewer(db: &impl ConnectionTrait, id: i64) -> DbResult<Option<(Self, i64)>> {
        let mut q = Sql::new("SELECT ");
        q.push(VIEWER_COLUMNS)
            .push(" FROM users WHERE users.id = ? AND users.deleted_at IS NULL");
        q.push_bind("", [sea_orm::Value::from(id)]);
        match db.query_one_raw(q.build(db.get_database_backend())).await? {
            Some(row) => Self::viewer_from_row(&row),
            None => Ok(None),
        }
    }

    /// The viewer in a row that selected [`VIEWER_COLUMNS`], possibly
    /// through a left join that found no live user (then `None`).
    ///
    /// # Errors
    /// When the row does not hold the viewer's columns.
    pub fn viewer_from_row(row: &sea_orm::QueryResult) -> DbResult<Option<(Self, i64)>> {
        if row.try_get::<Option<i64>>("", "id")?.is_none() {
            return Ok(None);
        }
        let user = Self::from_query_result(row, "")?;
        let unread: i64 = row.try_get("", "unread")?;
        Ok(Some((user, unread)))
    }

    /// The live accounts among `names` (lower-cased user names): whom a
    /// text's `@mentions` name. One query.
    ///
    /// # Errors
    /// On database errors.
    pub async fn mentioned(db: &impl ConnectionTrait, names: &[String]) -> DbResult<Mentions> {
        let mut mentions = Mentions::none();
        if names.is_empty() {
            return Ok(mentions);
        }
        let found = Entity::find()
            .filter(
                Expr::expr(Func::lower(Expr::col(Column::Username)))
                    .is_in(names.iter().map(String::as_str)),
            )
            .filter(Column::DeletedAt.is_null())
            .filter(Column::EmailConfirmedAt.is_not_null())
            .all(db)
            .await?;
        for user in found {
            mentions.add(user.id, &user.username);
        }
        Ok(mentions)
    }
}

impl Model {
    /// Ends every session of the user on their next request: sessions store
    /// the version they were created with, and the auth layer refuses a
    /// mismatch. Returns the new version.
    ///
    /// # Errors
    /// On database errors.
    pub async fn bump_session_version(db: &impl ConnectionTrait, user_id: i64) -> DbResult<i32> {
        Entity::update_many()
            .col_expr(
                Column::SessionVersion,
                Expr::col(Column::SessionVersion).add(1),
            )
            .col_expr(Column::UpdatedAt, Expr::value(Utc::now().fixed_offset()))
            .filter(Column::Id.eq(user_id))
            .exec(db)
            .await?;
        let user = Entity::find_by_id(user_id)
            .one(db)
            .await?
            .ok_or_else(|| DbErr::RecordNotFound("user".into()))?;
        Ok(user.session_version)
    }
}

impl Model {
    /// The `n` users with the most reputation (ties: earlier account first).
    ///
    /// # Errors
    /// On database errors.
    pub async fn top(db: &impl ConnectionTrait, n: u64) -> DbResult<Vec<Self>> {
        Entity::find()
            .filter(Column::DeletedAt.is_null())
            .filter(Column::EmailConfirmedAt.is_not_null())
            .order_by_desc(Column::Reputation)
            .order_by_asc(Column::CreatedAt)
            .order_by_asc(Column::Id)
            .limit(n)
            .all(db)
            .await
    }
}

/// What a profile shows about a user's activity.
#[derive(Debug, Clone, Default, sea_orm::FromQueryResult, Serialize)]
pub struct ActivityCounts {
    pub questions: i64,
    pub answers: i64,
    pub accepted: i64,
    pub reviews: i64,
}

/// The counts a profile cannot read off the user's row.
#[derive(sea_orm::FromQueryResult)]
struct Counted {
    accepted: i64,
    reviews: i64,
}

impl Model {
    /// The user's live questions and answers (kept on the user's row), and
    /// their accepted answers and reviews (counted, in one query).
    ///
    /// # Errors
    /// On database errors.
    pub async fn activity(&self, db: &impl ConnectionTrait) -> DbResult<ActivityCounts> {
        let mut q = crate::db::Sql::new(
            "SELECT (SELECT COUNT(*) FROM answers WHERE user_id = ? AND deleted_at IS NULL AND is_accepted) AS accepted, \
             (SELECT COUNT(*) FROM reviews WHERE user_id = ? AND deleted_at IS NULL) AS reviews",
        );
        q.push_bind(
            "",
            [sea_orm::Value::from(self.id), sea_orm::Value::from(self.id)],
        );
        let counted = Counted::find_by_statement(q.build(db.get_database_backend()))
            .one(db)
            .await?;
        Ok(ActivityCounts {
            questions: self.question_count,
            answers: self.answer_count,
            accepted: counted.as_ref().map_or(0, |c| c.accepted),
            reviews: counted.map_or(0, |c| c.reviews),
        })
    }
}
