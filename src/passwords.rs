//! Password hashing (argon2id, OWASP parameters) and the password policy.
//!
//! Hashing costs ~30 ms of CPU and 19 MiB of memory, so it runs on the
//! blocking pool behind a semaphore sized to the CPU count: a burst of logins
//! queues there instead of starving the async runtime that serves every
//! other page. Each hash gets its work area from a mapping of its own,
//! unmapped when the hash is done: from the global allocator, the freed
//! areas stayed with the process (glibc: 32 → 369 MiB after 40 logins at
//! once; mimalloc: 39 → 87 MiB), and keeping one area per CPU for reuse
//! held 38 MiB for good, over a third of the memory budget.
use std::{
    collections::HashSet,
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc, OnceLock,
    },
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

/// The permits for hashing at once: one per CPU.
fn permits() -> &'static Arc<Semaphore> {
    static PERMITS: OnceLock<Arc<Semaphore>> = OnceLock::new();
    PERMITS.get_or_init(|| {
        let cpus = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        Arc::new(Semaphore::new(cpus))
    })
}

/// Runs `f` on the blocking pool once a permit is free.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    let _permit = permits()
        .clone()
        .acquire_owned()
        .await
        .map_err(|_| Error("the hasher pool is closed".into()))?;
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error(format!("hashing task failed: {e}")))
}

/// Work areas alive now, and the most ever alive at once (tests read them).
static AREAS: AtomicUsize = AtomicUsize::new(0);
static AREAS_PEAK: AtomicUsize = AtomicUsize::new(0);

/// One hash's work area: an anonymous mapping, zero-filled, returned to
/// the system when dropped.
struct Area {
    map: memmap2::MmapMut,
    blocks: usize,
}

impl Area {
    fn new(blocks: usize) -> Option<Self> {
        let map = memmap2::MmapMut::map_anon(blocks.checked_mul(size_of::<Block>())?).ok()?;
        let alive = AREAS.fetch_add(1, Ordering::SeqCst) + 1;
        AREAS_PEAK.fetch_max(alive, Ordering::SeqCst);
        Some(Self { map, blocks })
    }

    #[allow(unsafe_code)]
    fn blocks(&mut self) -> &mut [Block] {
        // SAFETY: the mapping is page-aligned (a Block needs 64 bytes),
        // exactly `blocks` Blocks long, zero-filled (all zeros is a valid
        // Block: plain u64 words), and borrowed mutably as long as the slice
        const _: () = assert!(std::mem::align_of::<Block>() <= 4096);
        unsafe {
            std::slice::from_raw_parts_mut(self.map.as_mut_ptr().cast::<Block>(), self.blocks)
        }
    }
}

impl Drop for Area {
    fn drop(&mut self) {
        AREAS.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Hashes `plain` with `salt` into `out` in a work area of `blocks`.
fn compute(argon: &Argon2<'_>, plain: &[u8], salt: &[u8], out: &mut [u8], blocks: usize) -> bool {
    let Some(mut area) = Area::new(blocks) else {
        return false;
    };
    argon
        .hash_password_into_with_memory(plain, salt, out, area.blocks())
        .is_ok()
}

/// Hashes `plain` into a PHC string.
///
/// # Errors
/// When the blocking task fails.
pub async fn hash(plain: &str) -> Result<String> {
    let plain = plain.to_owned();
    blocking(move || hash_with(&plain)).await?
}

fn hash_with(plain: &str) -> Result<String> {
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
fn matches(plain: &str, stored: &str) -> bool {
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
    if !compute(&argon, plain.as_bytes(), salt_raw, &mut out, blocks) {
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
    let ok = blocking(move || matches(&plain, &stored)).await?;
    Ok(known && ok)
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        hash_with("not a password anyone has").expect("hashing a constant succeeds")
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
    async fn a_burst_of_hashes_holds_at_most_one_work_area_per_permit() {
        let stored = hash("burst password 1").await.unwrap();
        let checks = (0..16).map(|_| {
            let stored = stored.clone();
            tokio::spawn(async move { verify("burst password 1", Some(&stored)).await.unwrap() })
        });
        for ok in futures_util::future::join_all(checks).await {
            assert!(ok.unwrap());
        }
        let cpus = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        // the dummy hash is computed once outside the permits
        let peak = AREAS_PEAK.load(Ordering::SeqCst);
        assert!(
            peak <= cpus + 1,
            "{peak} work areas at once for {cpus} permits"
        );
    }

    #[test]
    fn a_work_area_is_zeroed_and_sized() {
        let mut area = Area::new(8).expect("a small mapping");
        assert_eq!(area.blocks().len(), 8);
        assert!(area
            .blocks()
            .iter()
            .all(|b| b.as_ref().iter().all(|w| *w == 0)));
        drop(area);
        assert!(
            Area::new(usize::MAX).is_none(),
            "an impossible size is refused"
        );
    }
}
