//! Accounts: lookup, registration, roles and status.
use chrono::{DateTime, Utc};
use loco_rs::prelude::*;
use sea_orm::{
    sea_query::{ExprTrait, Func},
    ActiveValue::Set,
    Condition, FromQueryResult,
};
use serde::{Deserialize, Serialize};

pub use super::_entities::users::{self, ActiveModel, Column, Entity, Model};
use crate::{
    forms::FieldErrors,
    i18n::{Arg, Lang},
    passwords,
    text::has_forbidden_chars,
};

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
    pub async fn find_by_username(
        db: &impl ConnectionTrait,
        name: &str,
    ) -> ModelResult<Option<Self>> {
        if !valid_username(name) {
            return Ok(None);
        }
        Ok(Entity::find()
            .filter(Expr::expr(Func::lower(Expr::col(Column::Username))).eq(name.to_lowercase()))
            .filter(Column::DeletedAt.is_null())
            .one(db)
            .await?)
    }

    /// Finds a live account by e-mail (case-insensitive).
    ///
    /// # Errors
    /// On database errors.
    pub async fn find_by_email(
        db: &impl ConnectionTrait,
        email: &str,
    ) -> ModelResult<Option<Self>> {
        Ok(Entity::find()
            .filter(Column::Email.eq(normalize_email(email)))
            .filter(Column::DeletedAt.is_null())
            .one(db)
            .await?)
    }

    /// Finds the account a login form names: an e-mail when it contains `@`,
    /// else a username (usernames cannot contain `@`, so one can never
    /// shadow another account's address).
    ///
    /// # Errors
    /// On database errors.
    pub async fn find_by_login(
        db: &impl ConnectionTrait,
        login: &str,
    ) -> ModelResult<Option<Self>> {
        let login = login.trim();
        if login.contains('@') {
            Self::find_by_email(db, login).await
        } else {
            Self::find_by_username(db, login).await
        }
    }

    /// Finds users by a username or e-mail fragment (admin search).
    ///
    /// # Errors
    /// On database errors.
    pub async fn search(
        db: &impl ConnectionTrait,
        term: &str,
        limit: u64,
    ) -> ModelResult<Vec<Self>> {
        let term = term.trim().to_lowercase();
        // LIKE wildcards are dropped rather than escaped: SQLite has no
        // default escape character
        let like = format!("%{}%", term.replace(['\\', '%', '_'], ""));
        let cond = Condition::any()
            .add(Expr::expr(Func::lower(Expr::col(Column::Username))).like(like.clone()))
            .add(Column::Email.like(like));
        Ok(Entity::find()
            .filter(cond)
            .order_by_asc(Column::Username)
            .limit(limit)
            .all(db)
            .await?)
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
    /// Checks every field; messages are in `lang`.
    #[must_use]
    pub fn validate(&self, lang: Lang) -> FieldErrors {
        let mut errors = FieldErrors::new();
        let username = self.username.trim();
        if username.is_empty() {
            errors.add(lang, "username", "error-required");
        } else if username.contains('@') {
            errors.add(lang, "username", "error-username-email");
        } else if !valid_username(username) {
            errors.add_args(
                lang,
                "username",
                "error-username-format",
                &[("min", Arg::Num(3)), ("max", Arg::Num(32))],
            );
        }
        let email = normalize_email(&self.email);
        if email.is_empty() {
            errors.add(lang, "email", "error-required");
        } else if email.len() > 254
            || has_forbidden_chars(&email, false)
            || !validator::ValidateEmail::validate_email(&email)
        {
            errors.add(lang, "email", "error-email-invalid");
        }
        if let Err(weak) = passwords::check_policy(&self.password, username, &email) {
            errors.add_args(
                lang,
                "password",
                weak.key(),
                &[
                    ("min", Arg::Num(passwords::MIN_LEN as i64)),
                    ("max", Arg::Num(passwords::MAX_LEN as i64)),
                ],
            );
        }
        if self.password != self.password_confirm {
            errors.add(lang, "password_confirm", "error-password-mismatch");
        }
        errors
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

/// Why a registration failed after validation.
#[derive(Debug)]
pub enum RegisterError {
    /// Usernames are public, so saying it is taken reveals nothing.
    UsernameTaken,
    Other(Error),
}

impl From<sea_orm::DbErr> for RegisterError {
    fn from(err: sea_orm::DbErr) -> Self {
        Self::Other(err.into())
    }
}

/// The unique indexes of `users`, by the names each database reports.
const USERNAME_INDEX: &str = "users_username_lower";
const EMAIL_INDEX: &[&str] = &["users_email", "users.email"];

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
    ) -> Result<Registered, RegisterError> {
        let hash = passwords::hash(&params.password)
            .await
            .map_err(RegisterError::Other)?;
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
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        };
        let txn = crate::db::write_txn(db).await?;
        match user.insert(&txn).await {
            Ok(model) => {
                // the member count grows when an account is confirmed
                if confirmed {
                    super::counters::add(&txn, super::counters::USERS, 1).await?;
                } else {
                    let job = crate::workers::ConfirmRequest {
                        user_id: model.id,
                        lang,
                    };
                    crate::jobs::enqueue(&txn, crate::workers::CONFIRM, &job).await?;
                }
                txn.commit().await?;
                Ok(Registered::New(Box::new(model)))
            }
            Err(err) => {
                txn.rollback().await?;
                let Some(index) = crate::db::violated_unique(&err) else {
                    return Err(RegisterError::Other(err.into()));
                };
                // Which index a database reports when both are taken differs
                // (SQLite checks the newest first): the username is asked
                // about on its own, so a taken address can never show
                // through as "username taken" or the other way round.
                let username = params.username.trim();
                if index == USERNAME_INDEX
                    || Model::find_by_username(db, username)
                        .await
                        .map_err(|e| RegisterError::Other(e.into()))?
                        .is_some()
                {
                    return Err(RegisterError::UsernameTaken);
                }
                if !EMAIL_INDEX.contains(&index.as_str()) {
                    return Err(RegisterError::Other(err.into()));
                }
                let job = crate::workers::AddressTaken { email };
                crate::jobs::enqueue(db, crate::workers::ADDRESS_TAKEN, &job).await?;
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
    pub async fn confirm_email(db: &impl ConnectionTrait, user_id: i64) -> ModelResult<()> {
        let now = Utc::now().fixed_offset();
        let changed = Entity::update_many()
            .col_expr(Column::EmailConfirmedAt, Expr::value(now))
            .filter(Column::Id.eq(user_id))
            .filter(Column::EmailConfirmedAt.is_null())
            .exec(db)
            .await?
            .rows_affected;
        if changed == 1 {
            super::counters::add(db, super::counters::USERS, 1).await?;
        }
        Ok(())
    }

    /// A member's public page: live and confirmed. An unconfirmed account
    /// is not shown anywhere, so its existence cannot tell that the e-mail
    /// address it registered with was free.
    ///
    /// # Errors
    /// On database errors.
    pub async fn find_public(db: &impl ConnectionTrait, name: &str) -> ModelResult<Option<Self>> {
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
    ) -> ModelResult<()> {
        Entity::update_many()
            .col_expr(Column::PasswordHash, Expr::value(hash))
            .col_expr(Column::UpdatedAt, Expr::value(Utc::now().fixed_offset()))
            .filter(Column::Id.eq(user_id))
            .exec(txn)
            .await?;
        Self::end_sessions(txn, user_id).await?;
        super::account_tokens::revoke_all(txn, user_id, super::account_tokens::Purpose::Reset)
            .await?;
        Ok(())
    }

    /// Ends every session of the user now: a new session version (checked
    /// on every request) and the rows deleted.
    ///
    /// # Errors
    /// On database errors.
    pub async fn end_sessions(db: &impl ConnectionTrait, user_id: i64) -> ModelResult<()> {
        Self::bump_session_version(db, user_id).await?;
        crate::web::session_store::DbSessionStore::delete_for_user(db, user_id, None).await?;
        Ok(())
    }

    /// Remembers the language the user last used the site in (for mails).
    ///
    /// # Errors
    /// On database errors.
    pub async fn set_lang(db: &impl ConnectionTrait, user_id: i64, lang: Lang) -> ModelResult<()> {
        Entity::update_many()
            .col_expr(Column::Lang, Expr::value(lang.code()))
            .filter(Column::Id.eq(user_id))
            .filter(Column::Lang.ne(lang.code()))
            .exec(db)
            .await?;
        Ok(())
    }

    /// A live (not deleted) account by id.
    ///
    /// # Errors
    /// On database errors.
    pub async fn find_live(db: &impl ConnectionTrait, id: i64) -> ModelResult<Option<Self>> {
        Ok(Entity::find_by_id(id)
            .filter(Column::DeletedAt.is_null())
            .one(db)
            .await?)
    }
}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// Ends every session of the user on their next request: sessions store
    /// the version they were created with, and the auth layer refuses a
    /// mismatch. Returns the new version.
    ///
    /// # Errors
    /// On database errors.
    pub async fn bump_session_version(db: &impl ConnectionTrait, user_id: i64) -> ModelResult<i32> {
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
            .ok_or(ModelError::EntityNotFound)?;
        Ok(user.session_version)
    }
}

impl Model {
    /// The `n` users with the most reputation (ties: earlier account first).
    ///
    /// # Errors
    /// On database errors.
    pub async fn top(db: &impl ConnectionTrait, n: u64) -> ModelResult<Vec<Self>> {
        Ok(Entity::find()
            .filter(Column::DeletedAt.is_null())
            .filter(Column::EmailConfirmedAt.is_not_null())
            .order_by_desc(Column::Reputation)
            .order_by_asc(Column::CreatedAt)
            .order_by_asc(Column::Id)
            .limit(n)
            .all(db)
            .await?)
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

impl Model {
    /// The user's live questions, answers and accepted answers (one query).
    ///
    /// # Errors
    /// On database errors.
    pub async fn activity(&self, db: &impl ConnectionTrait) -> ModelResult<ActivityCounts> {
        let mut q = crate::db::Sql::new(
            "SELECT (SELECT COUNT(*) FROM questions WHERE user_id = ? AND deleted_at IS NULL) AS questions, \
             (SELECT COUNT(*) FROM answers WHERE user_id = ? AND deleted_at IS NULL) AS answers, \
             (SELECT COUNT(*) FROM answers WHERE user_id = ? AND deleted_at IS NULL AND is_accepted) AS accepted, \
             (SELECT COUNT(*) FROM reviews WHERE user_id = ? AND deleted_at IS NULL) AS reviews",
        );
        q.push_bind("", std::iter::repeat_n(sea_orm::Value::from(self.id), 4));
        Ok(
            ActivityCounts::find_by_statement(q.build(db.get_database_backend()))
                .one(db)
                .await?
                .unwrap_or_default(),
        )
    }
}

impl Model {
    /// How many unexpired sessions the user has.
    ///
    /// # Errors
    /// On database errors.
    pub async fn live_sessions(&self, db: &impl ConnectionTrait) -> ModelResult<u64> {
        Ok(super::_entities::sessions::Entity::find()
            .filter(super::_entities::sessions::Column::UserId.eq(self.id))
            .filter(super::_entities::sessions::Column::ExpiryDate.gt(Utc::now().timestamp()))
            .count(db)
            .await?)
    }
}
