//! Password hashing with argon2id (the crate's default algorithm and OWASP-recommended
//! parameters), and the strength estimate a new password must pass (zxcvbn).

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use kariz_domain::Password;
use kariz_domain::user::{PasswordError, PasswordStrength};

use crate::error::ApiError;

/// Hashes off the async executor: argon2 is deliberately slow.
pub async fn hash_password(password: Password) -> Result<String, ApiError> {
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.expose().as_bytes())
            .map(|hash| hash.to_string())
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("password hashing failed: {e}")))
    })
    .await
    .map_err(|e| ApiError::Internal(e.into()))?
}

/// Whether `password` matches `hash`. With no hash (unknown user), a dummy hash is still checked
/// so that the response time does not reveal whether the email exists.
pub async fn verify_password(password: String, hash: Option<String>) -> Result<bool, ApiError> {
    tokio::task::spawn_blocking(move || {
        let hash = hash.unwrap_or_else(|| DUMMY_HASH.to_owned());
        let matches = Argon2::default().verify_password(password.as_bytes(), hash.as_str()).is_ok();
        matches && hash != DUMMY_HASH
    })
    .await
    .map_err(|e| ApiError::Internal(e.into()))
}

/// Which of `hashes` `password` matches, in order. With no hash (no account), the dummy hash is
/// checked once so that the response time does not reveal whether the email has an account;
/// with several, each costs a verification (the caller bounds how many it passes).
pub async fn matching_passwords(password: String, hashes: Vec<String>) -> Result<Vec<bool>, ApiError> {
    tokio::task::spawn_blocking(move || {
        if hashes.is_empty() {
            let _ = Argon2::default().verify_password(password.as_bytes(), DUMMY_HASH);
            return Vec::new();
        }
        hashes.iter().map(|hash| Argon2::default().verify_password(password.as_bytes(), hash.as_str()).is_ok()).collect()
    })
    .await
    .map_err(|e| ApiError::Internal(e.into()))
}

/// zxcvbn's estimate: a password it scores below 3 ("safely unguessable": more than 10^8 guesses,
/// what an offline attack on a slow hash takes) is refused, with its warning as the reason.
pub struct Zxcvbn;

/// Only this much of a password is estimated: zxcvbn's matching grows quickly with length, and a
/// password whose first 64 characters are strong is strong.
const ESTIMATED_CHARS: usize = 64;

impl PasswordStrength for Zxcvbn {
    fn weakness(&self, password: &str, context: &[&str]) -> Option<String> {
        let estimated: String = password.chars().take(ESTIMATED_CHARS).collect();
        let entropy = zxcvbn::zxcvbn(&estimated, context);
        if entropy.score() >= zxcvbn::Score::Three {
            return None;
        }
        let warning = entropy.feedback().and_then(|feedback| feedback.warning()).map(|warning| warning.to_string());
        Some(warning.map_or_else(|| "it would be guessed quickly".to_owned(), |w| w.trim_end_matches('.').to_lowercase()))
    }
}

/// A new password for the person with this email and name (in the workspace so named): the
/// domain's policy, judged by zxcvbn, with their own details as words it must not lean on.
pub fn new_password(raw: &str, email: &str, name: &str, workspace: Option<&str>) -> Result<Password, PasswordError> {
    let local_part = email.split('@').next().unwrap_or_default();
    let mut context: Vec<String> = vec![email.to_owned(), local_part.to_owned()];
    for phrase in [Some(name), workspace].into_iter().flatten() {
        // Each word, and the words run together ("Pars Trading" → "parstrading").
        context.extend(phrase.split_whitespace().map(str::to_owned));
        context.push(phrase.split_whitespace().collect());
    }
    let context: Vec<&str> = context.iter().map(String::as_str).collect();
    Password::parse(raw, &context, &Zxcvbn)
}

/// argon2id of a random string nobody knows, with the default parameters.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Ox0Y0hPGC0F4fPR4qRRtXmJ9cHUCAtpXM1rGhWwnEyE";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_and_personal_passwords_are_refused() {
        let check = |raw: &str| new_password(raw, "sara.ahmadi@pars.example", "Sara Ahmadi", Some("Pars Trading"));
        for weak in ["password123", "1234567890", "qwertyuiop", "sara.ahmadi2024", "parstrading1", "aaaaaaaaaaaa", "iloveyou1234"] {
            assert!(matches!(check(weak), Err(PasswordError::Guessable { .. })), "{weak}");
        }
        for strong in ["correct horse battery staple", "kariz-demo-password", "Tq8#vLm2$pW9zR", "correct-horse-battery"] {
            assert!(check(strong).is_ok(), "{strong}: {:?}", check(strong));
        }
        let started = std::time::Instant::now();
        let _ = check(&"x7Kq!".repeat(50));
        assert!(started.elapsed() < std::time::Duration::from_secs(2), "a long password is estimated quickly");
    }

    #[tokio::test]
    async fn hashes_verify_and_differ_per_salt() {
        let password = new_password("correct horse battery", "sara@example.com", "Sara", None).unwrap();
        let first = hash_password(password.clone()).await.unwrap();
        let second = hash_password(password).await.unwrap();
        assert!(first.starts_with("$argon2id$"));
        assert_ne!(first, second);
        assert!(verify_password("correct horse battery".into(), Some(first.clone())).await.unwrap());
        assert!(!verify_password("wrong horse battery".into(), Some(first)).await.unwrap());
        assert!(!verify_password("anything".into(), None).await.unwrap());
    }

    #[tokio::test]
    async fn several_hashes_are_each_checked_and_none_is_no_match() {
        let hash =
            |raw: &'static str| async move { hash_password(new_password(raw, "sara@example.com", "Sara", None).unwrap()).await.unwrap() };
        let (pars, caspian, zagros) =
            (hash("correct horse battery").await, hash("correct horse battery").await, hash("another passphrase here").await);
        let matches = matching_passwords("correct horse battery".into(), vec![pars, zagros, caspian]).await.unwrap();
        assert_eq!(matches, [true, false, true]);
        assert!(matching_passwords("correct horse battery".into(), Vec::new()).await.unwrap().is_empty());
    }
}
