//! Unguessable identifiers and tokens from the OS CSPRNG, the digest that stores them, and HMAC.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use sha2::{Digest, Sha256};

/// `n` random bytes, base64url-encoded.
pub fn token(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    // The OS RNG failing is not something we can recover from or work around safely.
    getrandom::fill(&mut bytes).expect("the operating system's random source failed");
    URL_SAFE_NO_PAD.encode(bytes)
}

/// How refresh tokens are stored: a plain SHA-256 is right here because the token itself has
/// 256 bits of entropy, so there is nothing to brute-force and no need for a slow hash.
pub fn sha256_hex(value: impl AsRef<[u8]>) -> String {
    hex(&Sha256::digest(value.as_ref()))
}

/// HMAC-SHA256 of `data` under `key`.
pub fn hmac_sha256(key: &[u8], data: &[u8]) -> Vec<u8> {
    use hmac::Mac;
    let mut mac = hmac::Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// Whether `tag` is the HMAC-SHA256 of `data` under `key`, compared in constant time.
pub fn hmac_sha256_verify(key: &[u8], data: &[u8], tag: &[u8]) -> bool {
    use hmac::Mac;
    let mut mac = hmac::Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(data);
    mac.verify_slice(tag).is_ok()
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
