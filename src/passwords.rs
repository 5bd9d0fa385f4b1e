//! Password hashing (argon2id, OWASP parameters) and the password policy.
//!
//! Hashing costs ~30 ms of CPU, so it runs on the blocking pool behind a
//! semaphore sized to the CPU count: a burst of logins queues there instead
//! of starving the async runtime that serves every other page.
use std::{
    collections::HashSet,
    sync::{Arc, OnceLock},
};

use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Algorithm, Argon2, Params, Version,
};
use loco_rs::{Error, Result};
use tokio::sync::Semaphore;

/// Length limits in characters (SPEC: 12–128).
pub const MIN_LEN: usize = 12;
pub const MAX_LEN: usize = 128;

fn argon2() -> Argon2<'static> {
    // m=19456 KiB, t=2, p=1: the OWASP minimum for argon2id
    let params = Params::new(19_456, 2, 1, None).expect("static argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn permits() -> Arc<Semaphore> {
    static SEM: OnceLock<Arc<Semaphore>> = OnceLock::new();
    SEM.get_or_init(|| {
        let cpus = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        Arc::new(Semaphore::new(cpus))
    })
    .clone()
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    let _permit = permits()
        .acquire_owned()
        .await
        .map_err(|_| Error::InternalServerError)?;
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::Message(format!("hashing task failed: {e}")))
}

/// Hashes `plain` into a PHC string.
///
/// # Errors
/// When the blocking task fails.
pub async fn hash(plain: &str) -> Result<String> {
    let plain = plain.to_owned();
    blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(plain.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| Error::Message(format!("argon2: {e}")))
    })
    .await?
}

/// Checks `plain` against `stored`. With `stored = None` (unknown user) it
/// verifies against a fixed dummy hash and returns false, so both cases take
/// the same time.
///
/// # Errors
/// When the blocking task fails.
pub async fn verify(plain: &str, stored: Option<&str>) -> Result<bool> {
    let plain = plain.to_owned();
    let known = stored.is_some();
    let stored = stored.map_or_else(|| dummy_hash().to_string(), str::to_owned);
    let ok = blocking(move || {
        PasswordHash::new(&stored)
            .is_ok_and(|parsed| argon2().verify_password(plain.as_bytes(), &parsed).is_ok())
    })
    .await?;
    Ok(known && ok)
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(b"not a password anyone has", &salt)
            .map(|h| h.to_string())
            .expect("hashing a constant succeeds")
    })
}

/// Computes the dummy hash ahead of the first login, so the first unknown
/// user does not take longer than the rest.
pub fn warm_up() {
    let _ = dummy_hash();
}

/// Why a new password is refused; each maps to a Fluent key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weakness {
    TooShort,
    TooLong,
    Common,
    SameAsName,
}

impl Weakness {
    #[must_use]
    pub const fn key(self) -> &'static str {
        match self {
            Self::TooShort => "error-password-too-short",
            Self::TooLong => "error-password-too-long",
            Self::Common => "error-password-common",
            Self::SameAsName => "error-password-like-name",
        }
    }
}

/// Checks the policy: 12–128 characters, not on the shipped common list,
/// not the username or e-mail. The password is taken exactly as typed;
/// nothing is trimmed or case-folded.
///
/// # Errors
/// The first rule the password breaks.
pub fn check_policy(password: &str, username: &str, email: &str) -> Result<(), Weakness> {
    let len = password.chars().count();
    if len < MIN_LEN {
        return Err(Weakness::TooShort);
    }
    if len > MAX_LEN {
        return Err(Weakness::TooLong);
    }
    let lower = password.to_lowercase();
    let distinct: HashSet<char> = lower.chars().collect();
    // "aaaaaaaaaaaa" and "abababababab" are as guessable as any list entry
    if common_passwords().contains(lower.as_str()) || distinct.len() <= 2 {
        return Err(Weakness::Common);
    }
    let email_local = email.split('@').next().unwrap_or_default().to_lowercase();
    if (!username.is_empty()
        && lower.contains(&username.to_lowercase())
        && len < username.len() + 4)
        || (!email_local.is_empty() && lower == email_local)
    {
        return Err(Weakness::SameAsName);
    }
    Ok(())
}

/// The common-password list shipped in `assets/data/common-passwords.txt`
/// (entries of 12+ characters only: shorter ones are refused anyway).
fn common_passwords() -> &'static HashSet<&'static str> {
    static LIST: OnceLock<HashSet<&'static str>> = OnceLock::new();
    LIST.get_or_init(|| {
        include_str!("../assets/data/common-passwords.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_refuses_short_long_and_common() {
        assert_eq!(
            check_policy("short", "bob", "b@x.io"),
            Err(Weakness::TooShort)
        );
        assert_eq!(
            check_policy(&"x".repeat(129), "bob", "b@x.io"),
            Err(Weakness::TooLong)
        );
        assert_eq!(
            check_policy("qwertyuiop12", "bob", "b@x.io"),
            Err(Weakness::Common)
        );
        assert_eq!(
            check_policy("123456789012", "bob", "b@x.io"),
            Err(Weakness::Common)
        );
        assert_eq!(
            check_policy("alice_wonder1", "alice_wonder", "a@x.io"),
            Err(Weakness::SameAsName)
        );
        assert_eq!(
            check_policy("🦀 crabs all the way down 🦀", "bob", "b@x.io"),
            Ok(())
        );
        assert_eq!(check_policy(&"éa1".repeat(42), "bob", "b@x.io"), Ok(()));
        assert_eq!(
            check_policy("aaaaaaaaaaaaaa", "bob", "b@x.io"),
            Err(Weakness::Common)
        );
    }

    #[tokio::test]
    async fn hashes_are_argon2id_with_owasp_parameters_and_salted() {
        let a = hash("correct horse battery").await.unwrap();
        let b = hash("correct horse battery").await.unwrap();
        assert!(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{a}");
        assert_ne!(a, b);
        assert!(verify("correct horse battery", Some(&a)).await.unwrap());
        assert!(!verify("correct horse battery ", Some(&a)).await.unwrap());
        assert!(!verify("Correct horse battery", Some(&a)).await.unwrap());
        assert!(!verify("correct horse battery", None).await.unwrap());
    }
}
