//! Password hashing with argon2id (the crate's default algorithm and OWASP-recommended parameters).

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use kariz_domain::Password;

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

/// argon2id of a random string nobody knows, with the default parameters.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Ox0Y0hPGC0F4fPR4qRRtXmJ9cHUCAtpXM1rGhWwnEyE";

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_differ_per_salt() {
        let password = Password::parse("correct horse battery").unwrap();
        let first = hash_password(password.clone()).await.unwrap();
        let second = hash_password(password).await.unwrap();
        assert!(first.starts_with("$argon2id$"));
        assert_ne!(first, second);
        assert!(verify_password("correct horse battery".into(), Some(first.clone())).await.unwrap());
        assert!(!verify_password("wrong horse battery".into(), Some(first)).await.unwrap());
        assert!(!verify_password("anything".into(), None).await.unwrap());
    }
}
