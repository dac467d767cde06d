//! Access tokens (JWT, HS256 pinned; `exp`, `iss`, `aud` required and checked) and refresh
//! tokens (random, shown once, stored as a SHA-256 hash).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use kariz_persistence::clock::SharedClock;

use crate::error::{ApiError, ErrorCode};

pub const ISSUER: &str = "kariz";
pub const AUDIENCE: &str = "kariz-api";

/// What an access token says: who the caller is (the user and their workspace) and until when.
/// Not what they may do: their role is read from the store on every request, so that a demotion
/// applies at once. (Tokens of earlier versions carry a `role` claim, which is ignored.)
#[derive(Debug, Serialize, Deserialize)]
pub struct AccessClaims {
    pub sub: Uuid,
    /// The workspace the user belongs to.
    pub wid: Uuid,
    /// The user's session generation when the token was issued: deactivation and a new password
    /// move it on, which ends every token of before. (Absent in tokens of earlier versions: 0.)
    #[serde(default)]
    pub sgen: i64,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    pub exp: i64,
}

/// An HS256 signing key long enough to resist guessing: at least [`JwtSecret::MIN_BYTES`].
/// The application takes nothing else, so a short or empty key (tokens anyone could forge)
/// cannot reach it from any source.
#[derive(Clone)]
pub struct JwtSecret(Vec<u8>);

#[derive(Debug, thiserror::Error)]
#[error("is {length} bytes long; a JWT secret must be at least {min} bytes", min = JwtSecret::MIN_BYTES)]
pub struct ShortJwtSecret {
    pub length: usize,
}

impl JwtSecret {
    /// 256 bits, the size of HS256's hash.
    pub const MIN_BYTES: usize = 32;

    pub fn new(secret: impl Into<Vec<u8>>) -> Result<JwtSecret, ShortJwtSecret> {
        let secret = secret.into();
        if secret.len() < Self::MIN_BYTES {
            return Err(ShortJwtSecret { length: secret.len() });
        }
        Ok(JwtSecret(secret))
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl std::fmt::Debug for JwtSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JwtSecret(..)")
    }
}

pub struct IssuedTokens {
    pub access_token: String,
    pub expires_in: i64,
}

pub struct TokenService {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    access_ttl_seconds: i64,
    clock: SharedClock,
}

/// Seconds a token may be past its expiry and still pass, for clocks a little apart.
const LEEWAY_SECONDS: i64 = 5;

impl TokenService {
    pub fn new(secret: &JwtSecret, access_ttl_seconds: i64, clock: SharedClock) -> TokenService {
        let secret = secret.as_bytes();
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        // Expiry is checked against the application's clock below, not the library's.
        validation.validate_exp = false;
        TokenService {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            access_ttl_seconds,
            clock,
        }
    }

    pub fn issue_access(&self, user_id: Uuid, workspace_id: Uuid, session_generation: i64) -> Result<IssuedTokens, ApiError> {
        let now = self.clock.now().timestamp();
        let claims = AccessClaims {
            sub: user_id,
            wid: workspace_id,
            sgen: session_generation,
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
            iat: now,
            exp: now + self.access_ttl_seconds,
        };
        let access_token = encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("signing a token failed: {e}")))?;
        Ok(IssuedTokens { access_token, expires_in: self.access_ttl_seconds })
    }

    pub fn verify_access(&self, token: &str) -> Result<AccessClaims, ApiError> {
        use jsonwebtoken::errors::ErrorKind;
        let expired = || ApiError::refused(ErrorCode::TokenExpired, "the access token has expired; refresh it");
        let claims =
            decode::<AccessClaims>(token, &self.decoding, &self.validation).map(|data| data.claims).map_err(|err| match err.kind() {
                ErrorKind::ExpiredSignature => expired(),
                _ => ApiError::Unauthenticated("the access token is not valid".to_owned()),
            })?;
        if claims.exp + LEEWAY_SECONDS < self.clock.now().timestamp() {
            return Err(expired());
        }
        Ok(claims)
    }
}

/// A new refresh token: 32 random bytes, URL-safe. Returns (token, hash to store).
pub fn new_refresh_token() -> Result<(String, String), ApiError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| ApiError::Internal(anyhow::anyhow!("no randomness: {e}")))?;
    let token = format!("rt_{}", URL_SAFE_NO_PAD.encode(bytes));
    let hash = refresh_token_hash(&token);
    Ok((token, hash))
}

/// A plain hash is enough: the token has 256 bits of entropy, so it cannot be guessed from it.
pub fn refresh_token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use kariz_persistence::clock::SystemClock;
    use std::sync::Arc;

    fn clock() -> SharedClock {
        Arc::new(SystemClock)
    }

    #[test]
    fn tokens_round_trip_and_are_checked() {
        let secret = |raw: &[u8]| JwtSecret::new(raw).unwrap();
        let service = TokenService::new(&secret(b"a-test-secret-of-reasonable-length"), 60, clock());
        let (user, workspace) = (Uuid::now_v7(), Uuid::now_v7());
        let issued = service.issue_access(user, workspace, 3).unwrap();
        let claims = service.verify_access(&issued.access_token).unwrap();
        assert_eq!((claims.sub, claims.wid, claims.sgen), (user, workspace, 3));

        let other = TokenService::new(&secret(b"another-secret-entirely-different"), 60, clock());
        assert!(other.verify_access(&issued.access_token).is_err(), "wrong key");

        let expired = TokenService::new(&secret(b"a-test-secret-of-reasonable-length"), -120, clock());
        let old = expired.issue_access(user, workspace, 0).unwrap();
        assert!(service.verify_access(&old.access_token).is_err(), "expired");

        // alg=none, and a token for another audience, are refused.
        let unsigned =
            format!("{}.{}.", URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#), issued.access_token.split('.').nth(1).unwrap());
        assert!(service.verify_access(&unsigned).is_err());
        let now = clock().now().timestamp();
        let foreign =
            AccessClaims { sub: user, wid: workspace, sgen: 0, iss: ISSUER.into(), aud: "elsewhere".into(), iat: now, exp: now + 60 };
        let foreign =
            encode(&Header::new(Algorithm::HS256), &foreign, &EncodingKey::from_secret(b"a-test-secret-of-reasonable-length")).unwrap();
        assert!(service.verify_access(&foreign).is_err());
    }

    #[test]
    fn short_secrets_are_refused() {
        for short in [&b""[..], b"x", &[b'k'; 31]] {
            assert!(JwtSecret::new(short).is_err(), "{} bytes", short.len());
        }
        assert!(JwtSecret::new([b'k'; 32]).is_ok());
    }

    #[test]
    fn refresh_tokens_are_random_and_hashed() {
        let (a, hash_a) = new_refresh_token().unwrap();
        let (b, _) = new_refresh_token().unwrap();
        assert_ne!(a, b);
        assert_eq!(refresh_token_hash(&a), hash_a);
        assert_eq!(hash_a.len(), 64);
    }
}
