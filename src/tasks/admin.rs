//! `user:admin` — makes an account admin (or moderator) from the command
//! line; the only way to create the first admin. Production has no default
//! account.
//!
//! ```text
//! cargo loco task user:admin username:alice                 # promote an existing user
//! cargo loco task user:admin username:alice role:moderator
//! NIGHTCODER_ADMIN_PASSWORD=… cargo loco task user:admin username:alice email:a@example.org
//! ```
//! Creating an account without `NIGHTCODER_ADMIN_PASSWORD` generates a
//! random password and prints it once.
use base64::Engine;
use chrono::Utc;
use loco_rs::{
    app::AppContext,
    task::{Task, TaskInfo, Vars},
    Error, Result,
};
use sea_orm::{ActiveModelTrait, ActiveValue::Set};

use crate::{
    i18n::Lang,
    users::{self, accounts::Error as UsersError, RegisterParams, Registered, Role},
};

pub struct MakeAdmin;

#[async_trait::async_trait]
impl Task for MakeAdmin {
    fn task(&self) -> TaskInfo {
        TaskInfo {
            name: "user:admin".to_string(),
            detail: "promote or create an admin: username:<name> [email:<address>] [role:admin|moderator|user]"
                .to_string(),
        }
    }

    async fn run(&self, ctx: &AppContext, vars: &Vars) -> Result<()> {
        let username = vars.cli_arg("username")?;
        let role = match vars.cli.get("role") {
            Some(role) => {
                Role::parse(role).ok_or_else(|| Error::Message(format!("unknown role `{role}`")))?
            }
            None => Role::Admin,
        };
        let user = match users::Model::find_by_username(&ctx.db, username).await? {
            Some(user) => user,
            None => create(ctx, username, vars).await?,
        };
        let confirmed = user.email_confirmed_at;
        let mut active: users::ActiveModel = user.into();
        active.role = Set(role.as_str().to_string());
        active.updated_at = Set(Utc::now().fixed_offset());
        // the operator vouches for the account's address
        active.email_confirmed_at = Set(confirmed.or(Some(Utc::now().fixed_offset())));
        let user = active.update(&ctx.db).await?;
        println!("{} is now {}", user.username, role.as_str());
        Ok(())
    }
}

async fn create(ctx: &AppContext, username: &str, vars: &Vars) -> Result<users::Model> {
    let email = vars.cli.get("email").ok_or_else(|| {
        Error::Message(format!(
            "no user `{username}`; pass email:<address> to create one"
        ))
    })?;
    let (password, generated) = match std::env::var("NIGHTCODER_ADMIN_PASSWORD") {
        Ok(p) if !p.is_empty() => (p, false),
        _ => {
            let bytes: [u8; 18] = rand::random();
            (
                base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes),
                true,
            )
        }
    };
    let params = RegisterParams {
        username: username.to_string(),
        email: email.clone(),
        password: password.clone(),
        password_confirm: password.clone(),
    };
    let errors = params.validate();
    if !errors.is_empty() {
        return Err(Error::Message(format!(
            "invalid account: {}",
            serde_json::to_string(&errors.translate(Lang::En))?
        )));
    }
    // an operator vouches for the address: the account is confirmed
    let user = match users::ActiveModel::register(&ctx.db, &params, Lang::En, true).await {
        Ok(Registered::New(user)) => *user,
        Ok(Registered::AddressTaken) => {
            return Err(Error::Message(format!(
                "cannot create: {email} already belongs to an account"
            )))
        }
        Err(UsersError::UsernameTaken) => {
            return Err(Error::Message(format!(
                "cannot create: the username {username} is taken"
            )))
        }
        Err(err) => return Err(Error::Message(err.to_string())),
    };
    if generated {
        println!("created {username} with password: {password}");
        println!("(shown once; change it at /settings/password)");
    } else {
        println!("created {username}");
    }
    Ok(user)
}
