//! Proof that a gateway address belongs to this Keyport home's sandbox.
//!
//! The app's sandbox moves to a free port when 127.0.0.1:9393 is taken, so
//! whatever listens on the default port may be another local user's program
//! waiting for an API key and a fresh token. A sandbox that serves a home
//! writes its address and a random secret into the home (mode 0600 in a 0700
//! folder, so only the home's owner reads it). A client sends a random
//! challenge to `POST /keyport/v1/attest` and accepts the address only if the
//! answer is the HMAC-SHA256 of that challenge under the secret: a process
//! that cannot read the home cannot answer.

use aws_lc_rs::hmac;
use rand::{CryptoRng, Rng};
use zeroize::Zeroizing;

/// Bytes of the secret and of a challenge.
pub const LEN: usize = 32;

/// Separates these proofs from any other use of an HMAC key.
const CONTEXT: &[u8] = b"keyport sandbox attestation v1\0";

/// The sandbox's secret; wiped from memory on drop.
pub struct AttestSecret(Zeroizing<[u8; LEN]>);

impl AttestSecret {
    pub fn generate(rng: &mut (impl CryptoRng + Rng)) -> AttestSecret {
        let mut bytes = Zeroizing::new([0u8; LEN]);
        rng.fill_bytes(bytes.as_mut());
        AttestSecret(bytes)
    }

    /// Reads the hex form [`AttestSecret::to_hex`] writes; `None` if malformed.
    pub fn from_hex(text: &str) -> Option<AttestSecret> {
        let bytes = from_hex(text.trim())?;
        Some(AttestSecret(Zeroizing::new(bytes)))
    }

    pub fn to_hex(&self) -> Zeroizing<String> {
        Zeroizing::new(to_hex(self.0.as_ref()))
    }

    fn key(&self) -> hmac::Key {
        hmac::Key::new(hmac::HMAC_SHA256, self.0.as_ref())
    }

    /// The answer to `challenge` (hex).
    pub fn proof(&self, challenge: &[u8; LEN]) -> String {
        let tag = hmac::sign(&self.key(), &[CONTEXT, challenge.as_slice()].concat());
        to_hex(tag.as_ref())
    }

    /// Whether `proof` (hex) answers `challenge`, compared in constant time.
    pub fn verify(&self, challenge: &[u8; LEN], proof: &str) -> bool {
        let Some(tag) = from_hex(proof.trim()) else { return false };
        hmac::verify(&self.key(), &[CONTEXT, challenge.as_slice()].concat(), &tag).is_ok()
    }
}

impl std::fmt::Debug for AttestSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AttestSecret(…)")
    }
}

/// A fresh challenge.
pub fn challenge(rng: &mut (impl CryptoRng + Rng)) -> [u8; LEN] {
    let mut bytes = [0u8; LEN];
    rng.fill_bytes(&mut bytes);
    bytes
}

/// Reads a challenge (64 hex digits); `None` if malformed.
pub fn parse_challenge(text: &str) -> Option<[u8; LEN]> {
    from_hex(text)
}

pub fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn from_hex(text: &str) -> Option<[u8; LEN]> {
    if text.len() != 2 * LEN || !text.is_ascii() {
        return None;
    }
    let mut out = [0u8; LEN];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    #[test]
    fn only_the_secret_answers_a_challenge() {
        let mut rng = StdRng::seed_from_u64(7);
        let secret = AttestSecret::generate(&mut rng);
        let other = AttestSecret::generate(&mut rng);
        let challenge = challenge(&mut rng);
        let proof = secret.proof(&challenge);
        assert!(secret.verify(&challenge, &proof));
        assert!(!other.verify(&challenge, &proof), "another secret");
        assert!(!secret.verify(&[0; LEN], &proof), "another challenge");
        let reread = AttestSecret::from_hex(&secret.to_hex()).unwrap();
        assert!(reread.verify(&challenge, &proof), "the hex form round-trips");
    }

    #[test]
    fn malformed_hex_is_refused_not_a_panic() {
        let secret = AttestSecret::generate(&mut StdRng::seed_from_u64(1));
        for bad in ["", "zz", &"0".repeat(63), &"0".repeat(65), &"é".repeat(32), &"g".repeat(64)] {
            assert!(AttestSecret::from_hex(bad).is_none(), "{bad:?}");
            assert!(parse_challenge(bad).is_none(), "{bad:?}");
            assert!(!secret.verify(&[0; LEN], bad), "{bad:?}");
        }
        assert!(format!("{secret:?}").contains('…'), "the secret never reaches a log");
    }
}
