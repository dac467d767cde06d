//! Standard Webhooks signatures: `v1,` + base64(HMAC-SHA256(secret, "{id}.{timestamp}.{body}")).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use thiserror::Error;

const PREFIX: &str = "whsec_";

#[derive(Debug, Error, PartialEq, Eq)]
#[error("a signing secret is `whsec_` followed by base64")]
pub struct SecretError;

/// A signing secret as shown to the subscriber: `whsec_` + base64 of the key bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningSecret {
    key: Vec<u8>,
}

impl SigningSecret {
    /// A new secret of 32 random bytes.
    pub fn generate() -> Result<SigningSecret, getrandom::Error> {
        let mut key = vec![0u8; 32];
        getrandom::fill(&mut key)?;
        Ok(SigningSecret { key })
    }

    pub fn parse(raw: &str) -> Result<SigningSecret, SecretError> {
        let encoded = raw.strip_prefix(PREFIX).ok_or(SecretError)?;
        let key = STANDARD.decode(encoded).map_err(|_| SecretError)?;
        if key.len() < 16 {
            return Err(SecretError);
        }
        Ok(SigningSecret { key })
    }

    /// The `whsec_…` form, shown once to the subscriber and stored for signing.
    pub fn expose(&self) -> String {
        format!("{PREFIX}{}", STANDARD.encode(&self.key))
    }

    /// One `v1,<base64>` signature of a message.
    pub fn sign(&self, id: &str, timestamp: i64, body: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC accepts keys of any length");
        mac.update(id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body.as_bytes());
        format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
    }
}

impl std::fmt::Debug for SigningSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningSecret(..)")
    }
}

/// The `webhook-signature` header: one signature per active secret, space-separated.
pub fn signature_header(secrets: &[SigningSecret], id: &str, timestamp: i64, body: &str) -> String {
    secrets.iter().map(|secret| secret.sign(id, timestamp, body)).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference vector of the Standard Webhooks specification.
    #[test]
    fn reproduces_the_standard_webhooks_reference_vector() {
        let secret = SigningSecret::parse("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD").unwrap();
        let signature =
            secret.sign("msg_27UH4WbU6Z5A5EzD8u03UvzRbpk", 1649367553, r#"{"email":"test@example.com","username":"test_user"}"#);
        assert_eq!(signature, "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=");
    }

    #[test]
    fn secrets_round_trip_and_are_random() {
        let a = SigningSecret::generate().unwrap();
        let b = SigningSecret::generate().unwrap();
        assert_ne!(a, b);
        assert!(a.expose().starts_with("whsec_"));
        assert_eq!(SigningSecret::parse(&a.expose()).unwrap(), a);
        assert_eq!(format!("{a:?}"), "SigningSecret(..)");
        for bad in ["", "whsec_", "C2FVsBQIhrscChlQIMV+b5sSYspob7oD", "whsec_!!!", "whsec_c2hvcnQ="] {
            assert_eq!(SigningSecret::parse(bad), Err(SecretError), "{bad:?}");
        }
    }

    #[test]
    fn several_secrets_give_space_separated_signatures() {
        let (old, new) = (SigningSecret::generate().unwrap(), SigningSecret::generate().unwrap());
        let header = signature_header(&[new.clone(), old.clone()], "evt", 1, "{}");
        let parts: Vec<&str> = header.split(' ').collect();
        assert_eq!(parts, [new.sign("evt", 1, "{}"), old.sign("evt", 1, "{}")]);
    }
}
