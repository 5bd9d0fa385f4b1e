//! Password hashing (argon2id, OWASP parameters) and the password policy.
//!
//! Hashing costs ~30 ms of CPU and 19 MiB of memory, so it runs on the
//! blocking pool behind a semaphore sized to the CPU count: a burst of logins
//! queues there instead of starving the async runtime that serves every
//! other page. Each permit owns a reusable work area: letting argon2 allocate
//! its 19 MiB per call left the allocator holding hundreds of MiB after a
//! burst of logins (measured: 32 MiB → 369 MiB after 40 at once); with the
//! pool the process holds at most one work area per CPU.
use std::{
    collections::HashSet,
    sync::{Arc, Mutex, OnceLock},
};

use argon2::{
    password_hash::{rand_core::OsRng, Output, ParamsString, PasswordHash, SaltString},
    Algorithm, Argon2, Block, Params, Version,
};
/// Hashing could not run (a failed task, a broken parameter): never the
/// user's fault, always a 500.
#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct Error(String);

type Result<T, E = Error> = std::result::Result<T, E>;
use tokio::sync::Semaphore;

/// Length limits in characters (SPEC: 12–128).
pub const MIN_LEN: usize = 12;
pub const MAX_LEN: usize = 128;

fn params() -> Params {
    // m=19456 KiB, t=2, p=1: the OWASP minimum for argon2id
    Params::new(19_456, 2, 1, None).expect("static argon2 parameters are valid")
}

/// Work areas and the permits that guard them.
struct Pool {
    permits: Arc<Semaphore>,
    areas: Mutex<Vec<Vec<Block>>>,
}

fn pool() -> &'static Pool {
    static POOL: OnceLock<Pool> = OnceLock::new();
    POOL.get_or_init(|| {
        let cpus = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        Pool {
            permits: Arc::new(Semaphore::new(cpus)),
            areas: Mutex::new(Vec::new()),
        }
    })
}

/// Runs `f` on the blocking pool with a work area (empty the first time;
/// `compute` sizes it).
async fn blocking<T: Send + 'static>(
    f: impl FnOnce(&mut Vec<Block>) -> T + Send + 'static,
) -> Result<T> {
    let pool = pool();
    let _permit = pool
        .permits
        .clone()
        .acquire_owned()
        .await
        .map_err(|_| Error("the hasher pool is closed".into()))?;
    let mut area = pool
        .areas
        .lock()
        .map_err(|_| Error("the hasher pool is poisoned".into()))?
        .pop()
        .unwrap_or_default();
    let (out, area) = tokio::task::spawn_blocking(move || {
        let out = f(&mut area);
        (out, area)
    })
    .await
    .map_err(|e| Error(format!("hashing task failed: {e}")))?;
    if let Ok(mut areas) = pool.areas.lock() {
        areas.push(area);
    }
    Ok(out)
}

/// Hashes `plain` with `salt` into `out` using `area` (grown if the stored
/// parameters of an old hash need more memory than today's).
fn compute(
    argon: &Argon2<'_>,
    plain: &[u8],
    salt: &[u8],
    out: &mut [u8],
    area: &mut Vec<Block>,
    blocks: usize,
) -> bool {
    if area.len() < blocks {
        area.resize(blocks, Block::default());
    }
    argon
        .hash_password_into_with_memory(plain, salt, out, &mut area[..blocks])
        .is_ok()
}

/// Hashes `plain` into a PHC string.
///
/// # Errors
/// When the blocking task fails.
pub async fn hash(plain: &str) -> Result<String> {
    let plain = plain.to_owned();
    blocking(move |area| hash_with(&plain, area)).await?
}

fn hash_with(plain: &str, area: &mut Vec<Block>) -> Result<String> {
    let params = params();
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_bytes = [0u8; 64];
    let salt_raw = salt
        .decode_b64(&mut salt_bytes)
        .map_err(|e| Error(format!("argon2 salt: {e}")))?;
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    if !compute(
        &argon,
        plain.as_bytes(),
        salt_raw,
        &mut out,
        area,
        params.block_count(),
    ) {
        return Err(Error("argon2 failed".into()));
    }
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| Error(format!("argon2: {e}")))?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).map_err(|e| Error(format!("argon2: {e}")))?),
    };
    Ok(phc.to_string())
}

/// Does `plain` match the PHC string `stored`? Any malformed or foreign
/// hash is simply "no".
fn matches(plain: &str, stored: &str, area: &mut Vec<Block>) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    let (Ok(algorithm), Ok(params), Some(salt), Some(expected)) = (
        Algorithm::try_from(parsed.algorithm),
        Params::try_from(&parsed),
        parsed.salt,
        parsed.hash,
    ) else {
        return false;
    };
    let version = parsed.version.map_or(Ok(Version::V0x13), Version::try_from);
    let Ok(version) = version else {
        return false;
    };
    let mut salt_bytes = [0u8; 64];
    let Ok(salt_raw) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    let mut out = vec![0u8; expected.len()];
    let blocks = params.block_count();
    let argon = Argon2::new(algorithm, version, params);
    if !compute(&argon, plain.as_bytes(), salt_raw, &mut out, area, blocks) {
        return false;
    }
    // Output's equality is constant-time
    Output::new(&out).is_ok_and(|computed| computed == expected)
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
    let ok = blocking(move |area| matches(&plain, &stored, area)).await?;
    Ok(known && ok)
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let mut area = Vec::new();
        hash_with("not a password anyone has", &mut area).expect("hashing a constant succeeds")
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

    #[tokio::test]
    async fn the_pooled_hashing_agrees_with_the_argon2_crate_both_ways() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let standard = Argon2::new(Algorithm::Argon2id, Version::V0x13, params());
        // a hash made the crate's way (as stored before the pool) verifies here
        let salt = SaltString::generate(&mut OsRng);
        let old = standard
            .hash_password(b"an older stored password", &salt)
            .unwrap()
            .to_string();
        assert!(verify("an older stored password", Some(&old))
            .await
            .unwrap());
        assert!(!verify("an older stored passworD", Some(&old))
            .await
            .unwrap());
        // and ours verifies the crate's way
        let ours = hash("a brand new password").await.unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(standard
            .verify_password(b"a brand new password", &parsed)
            .is_ok());
        // other parameters (a future cost change) still verify
        let cheaper = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(8_192, 1, 1, None).unwrap(),
        );
        let legacy = cheaper
            .hash_password(b"legacy cost", &salt)
            .unwrap()
            .to_string();
        assert!(verify("legacy cost", Some(&legacy)).await.unwrap());
        // junk is a plain "no"
        for junk in [
            "",
            "$argon2id$",
            "$2b$12$abcdefghijklmnopqrstuv",
            "$argon2id$v=19$m=1,t=1,p=1$c2FsdA$aGFzaA",
        ] {
            assert!(!verify("x", Some(junk)).await.unwrap(), "{junk}");
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_burst_of_hashes_keeps_one_work_area_per_permit() {
        let stored = hash("burst password 1").await.unwrap();
        let checks = (0..16).map(|_| {
            let stored = stored.clone();
            tokio::spawn(async move { verify("burst password 1", Some(&stored)).await.unwrap() })
        });
        for ok in futures_util::future::join_all(checks).await {
            assert!(ok.unwrap());
        }
        let cpus = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        let areas = pool().areas.lock().unwrap().len();
        assert!(areas <= cpus, "{areas} work areas for {cpus} permits");
    }
}
