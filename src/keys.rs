//! Server keys for signed values (CSRF tokens of anonymous forms, links in
//! e-mails). One random master key per installation is created in the
//! database on first start, so every app process signs and checks with the
//! same key without any configuration; each use derives its own key from it.
use std::sync::Arc;

use base64::Engine;
use hmac::{Hmac, Mac};
use sea_orm::{ConnectionTrait, DbErr, FromQueryResult, Value};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::db::Sql;

type HmacSha256 = Hmac<Sha256>;

const MASTER: &str = "master";

/// What a signature is for: a token signed for one use never verifies as
/// another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    Csrf,
    Unsubscribe,
}

impl Use {
    const fn label(self) -> &'static [u8] {
        match self {
            Self::Csrf => b"csrf",
            Self::Unsubscribe => b"unsubscribe",
        }
    }
}

/// The installation's keys.
#[derive(Clone)]
pub struct Keys {
    master: Arc<[u8; 32]>,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys(..)")
    }
}

#[derive(FromQueryResult)]
struct Secret {
    value: String,
}

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
}

impl Keys {
    /// Reads the master key, creating it on first start (insert-or-nothing,
    /// then read: two processes starting together agree on one key).
    ///
    /// # Errors
    /// On database errors, or a stored key that is not 32 bytes.
    pub async fn load(db: &impl ConnectionTrait) -> Result<Self, DbErr> {
        let fresh: [u8; 32] = rand::random();
        Sql::new(
            "INSERT INTO app_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
        )
        .push_bind("", [Value::from(MASTER), Value::from(b64().encode(fresh))])
        .execute(db)
        .await?;
        let mut q = Sql::new("SELECT value FROM app_secrets WHERE name = ?");
        q.push_bind("", [Value::from(MASTER)]);
        let stored = Secret::find_by_statement(q.build(db.get_database_backend()))
            .one(db)
            .await?
            .ok_or_else(|| DbErr::RecordNotFound("app_secrets.master".into()))?;
        let bytes = b64()
            .decode(stored.value.as_bytes())
            .ok()
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
            .ok_or_else(|| DbErr::Custom("app_secrets.master is not a 32-byte key".into()))?;
        Ok(Self {
            master: Arc::new(bytes),
        })
    }

    /// Keys for unit tests.
    #[must_use]
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self {
            master: Arc::new(bytes),
        }
    }

    fn mac(&self, purpose: Use, message: &str) -> HmacSha256 {
        let mut derive = HmacSha256::new_from_slice(self.master.as_slice())
            .expect("HMAC takes keys of any length");
        derive.update(purpose.label());
        let key = derive.finalize().into_bytes();
        let mut mac = HmacSha256::new_from_slice(&key).expect("HMAC takes keys of any length");
        mac.update(message.as_bytes());
        mac
    }

    /// `message` with its signature appended: `message.signature`.
    #[must_use]
    pub fn sign(&self, purpose: Use, message: &str) -> String {
        let tag = self.mac(purpose, message).finalize().into_bytes();
        format!("{message}.{}", b64().encode(&tag[..16]))
    }

    /// The message of a value [`Self::sign`] made for `purpose`, if the
    /// signature holds.
    #[must_use]
    pub fn verify<'a>(&self, purpose: Use, signed: &'a str) -> Option<&'a str> {
        let (message, tag) = signed.rsplit_once('.')?;
        let tag = b64().decode(tag.as_bytes()).ok()?;
        let expected = self.mac(purpose, message).finalize().into_bytes();
        bool::from(expected[..16].ct_eq(&tag)).then_some(message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_hold_only_for_their_message_and_use() {
        let keys = Keys::from_bytes([7; 32]);
        let signed = keys.sign(Use::Csrf, "abc");
        assert_eq!(keys.verify(Use::Csrf, &signed), Some("abc"));
        assert_eq!(keys.verify(Use::Unsubscribe, &signed), None);
        assert_eq!(keys.verify(Use::Csrf, &signed.replace("abc", "abd")), None);
        assert_eq!(keys.verify(Use::Csrf, "abc"), None);
        let other = Keys::from_bytes([8; 32]);
        assert_eq!(other.verify(Use::Csrf, &signed), None);
    }
}
