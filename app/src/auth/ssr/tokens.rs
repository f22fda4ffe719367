//! Access tokens: short-lived HS256 JWTs.
//!
//! Defences from RFC 8725: the algorithm is pinned; `iss`, `aud`, `sub`, `iat`, `exp` and `sid`
//! are all required; the header `typ` must be `at+jwt` (RFC 9068) so no other JWT we might ever
//! sign can pass as an access token; `kid` only selects among our own keys. Expiry is checked
//! here against the app's clock, not by the JWT library against the system's, so tests can move
//! time forward.

use crate::auth::model::{SessionId, UserId};
use crate::error::AppError;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use std::time::Duration;

pub const TOKEN_TYPE: &str = "at+jwt";
pub const ISSUER: &str = "bmw";
pub const AUDIENCE: &str = "bmw";
/// Clock skew tolerated between processes.
pub const LEEWAY_SECS: u64 = 5;
/// Shorter keys are refused at start-up: HS256 needs 256 bits of real entropy.
pub const MIN_SECRET_BYTES: usize = 32;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessClaims {
    /// The user id.
    pub sub: String,
    /// The session id: lets a revoked session's tokens be refused before they expire.
    pub sid: String,
    pub iss: String,
    pub aud: String,
    pub iat: u64,
    pub exp: u64,
}

impl AccessClaims {
    pub fn user_id(&self) -> Option<UserId> {
        self.sub.parse().ok().map(UserId)
    }

    pub fn session_id(&self) -> SessionId {
        SessionId(self.sid.clone())
    }
}

struct Key {
    kid: String,
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl Key {
    fn new(secret: &[u8]) -> Self {
        // The kid is a short digest of the key: stable across restarts, and it reveals nothing.
        let digest = crate::ssr::crypto::sha256_hex(secret);
        Self {
            kid: digest[..16].to_string(),
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
        }
    }
}

pub struct TokenIssuer {
    current: Key,
    /// Older keys, still accepted for verification during a rotation.
    previous: Vec<Key>,
    ttl: Duration,
    validation: Validation,
    /// Derives each refresh token's successor (see [`TokenIssuer::successor`]).
    successor_key: Vec<u8>,
    /// Signs device cookies (see [`TokenIssuer::device_token`]).
    device_key: Vec<u8>,
}

impl TokenIssuer {
    pub fn new(secret: &[u8], previous: &[Vec<u8>], ttl: Duration) -> Result<Self, String> {
        for key in std::iter::once(secret).chain(previous.iter().map(Vec::as_slice)) {
            if key.len() < MIN_SECRET_BYTES {
                return Err(format!("JWT secrets must be at least {MIN_SECRET_BYTES} bytes (got {})", key.len()));
            }
        }
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        validation.validate_exp = false;
        Ok(Self {
            current: Key::new(secret),
            previous: previous.iter().map(|k| Key::new(k)).collect(),
            ttl,
            validation,
            successor_key: crate::ssr::crypto::hmac_sha256(secret, b"bmw: refresh token successors"),
            device_key: crate::ssr::crypto::hmac_sha256(secret, b"bmw: device cookies"),
        })
    }

    /// A device cookie for a browser where `username` just signed in: a fresh nonce, and a MAC
    /// binding it to the (normalised) username (OWASP's "device cookies").
    pub fn device_token(&self, username: &str) -> String {
        use base64::Engine;
        let nonce = crate::ssr::crypto::token(16);
        let mac = crate::ssr::crypto::hmac_sha256(&self.device_key, format!("{username}\n{nonce}").as_bytes());
        format!("{nonce}.{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac))
    }

    /// The device's nonce, when `token` is a device cookie given at a sign-in of `username`.
    pub fn device_of(&self, token: &str, username: &str) -> Option<String> {
        use base64::Engine;
        let (nonce, mac) = token.split_once('.')?;
        let mac = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(mac).ok()?;
        let data = format!("{username}\n{nonce}");
        crate::ssr::crypto::hmac_sha256_verify(&self.device_key, data.as_bytes(), &mac).then(|| nonce.to_string())
    }

    /// The refresh token that replaces `token`: a MAC of it, so every refresh with one token
    /// (the first, and any replay inside the grace window: parallel requests, restored tabs)
    /// gets the same successor. A replayed token therefore never starts a second chain that
    /// reuse detection could not see; whoever spends the successor later than the other side's
    /// grace is caught. Unguessable without the key and the token it replaces.
    pub fn successor(&self, token: &str) -> String {
        use base64::Engine;
        let mac = crate::ssr::crypto::hmac_sha256(&self.successor_key, token.as_bytes());
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac)
    }

    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    pub fn issue(&self, user_id: UserId, session_id: &SessionId, now: i64) -> Result<(String, AccessClaims), AppError> {
        let iat = now.max(0) as u64;
        let claims = AccessClaims {
            sub: user_id.to_string(),
            sid: session_id.0.clone(),
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            iat,
            exp: iat + self.ttl.as_secs(),
        };
        let mut header = Header::new(Algorithm::HS256);
        header.typ = Some(TOKEN_TYPE.into());
        header.kid = Some(self.current.kid.clone());
        let token = jsonwebtoken::encode(&header, &claims, &self.current.encoding).map_err(AppError::internal)?;
        Ok((token, claims))
    }

    /// The claims of an access token valid at `now` (Unix seconds), or None for anything else.
    pub fn verify(&self, token: &str, now: i64) -> Option<AccessClaims> {
        let header = jsonwebtoken::decode_header(token).ok()?;
        if header.alg != Algorithm::HS256 || header.typ.as_deref() != Some(TOKEN_TYPE) {
            return None;
        }
        let kid = header.kid?;
        let key = std::iter::once(&self.current).chain(&self.previous).find(|k| k.kid == kid)?;
        let claims = jsonwebtoken::decode::<AccessClaims>(token, &key.decoding, &self.validation).ok()?.claims;
        let now = now.max(0) as u64;
        // Not yet expired, and not issued in the future either (jsonwebtoken checks neither
        // against our clock): a token from a clock gone wrong is refused (review I6).
        (claims.exp.saturating_add(LEEWAY_SECS) >= now && claims.iat <= now.saturating_add(LEEWAY_SECS))
            .then_some(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"0123456789abcdef0123456789abcdef";

    fn issuer() -> TokenIssuer {
        TokenIssuer::new(KEY, &[], Duration::from_secs(60)).unwrap()
    }

    fn now() -> i64 {
        crate::ssr::clock::Clock::unix_secs(&crate::ssr::clock::SystemClock)
    }

    fn sid() -> SessionId {
        SessionId("sid".into())
    }

    #[test]
    fn round_trip() {
        let issuer = issuer();
        let (token, claims) = issuer.issue(UserId(7), &sid(), now()).unwrap();
        assert_eq!(issuer.verify(&token, now()), Some(claims));
    }

    #[test]
    fn refuses_short_keys() {
        assert!(TokenIssuer::new(b"short", &[], Duration::from_secs(60)).is_err());
    }

    #[test]
    fn rejects_expired_and_foreign_tokens() {
        let issuer = issuer();
        let (old, _) = issuer.issue(UserId(7), &sid(), now() - 3600).unwrap();
        assert_eq!(issuer.verify(&old, now()), None);
        assert!(issuer.verify(&old, now() - 3600).is_some(), "valid when it was issued");
        let (future, _) = issuer.issue(UserId(7), &sid(), now() + 600).unwrap();
        assert_eq!(issuer.verify(&future, now()), None, "issued in the future");
        let other = TokenIssuer::new(&[b'x'; 32], &[], Duration::from_secs(60)).unwrap();
        let (foreign, _) = other.issue(UserId(7), &sid(), now()).unwrap();
        assert_eq!(issuer.verify(&foreign, now()), None);
    }
}
