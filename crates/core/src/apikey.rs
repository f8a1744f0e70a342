//! The public API key: the identifier an instance sends as `x-api-key`.
//!
//! Format (41 characters): `kp_prod_` or `kp_sbox_`, then 26 random
//! characters, then a 7-character checksum — all in lower-case Crockford
//! base32 (`0-9 a-z` without `i l o u`, so no character is mistaken for
//! another). The checksum is the CRC-32 of prefix and body; a CRC detects
//! every single-character change and every swap of neighbours, so a typo or
//! a key pasted into the other environment's field is caught offline,
//! before any request is made.

use std::fmt;

use rand::{CryptoRng, Rng};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::wire::wire_enum;
use crate::{CoreError, Environment, Result};

wire_enum!(
    /// Keys stay valid until revoked; revoked keys stay listed for the record.
    KeyStatus, UnknownKeyStatus {
        Active => "active", "Active";
        Revoked => "revoked", "Revoked";
    }
);

const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";
const PREFIX_LEN: usize = 8;
const BODY_LEN: usize = 26; // 130 random bits
const CHECK_LEN: usize = 7; // 35 bits: the 32-bit CRC, zero-padded
pub const API_KEY_LEN: usize = PREFIX_LEN + BODY_LEN + CHECK_LEN;

fn prefix(env: Environment) -> &'static str {
    match env {
        Environment::Production => "kp_prod_",
        Environment::Sandbox => "kp_sbox_",
    }
}

fn checksum(prefix_and_body: &str) -> String {
    let crc = crc32fast::hash(prefix_and_body.as_bytes());
    (0..CHECK_LEN).rev().map(|i| ALPHABET[((u64::from(crc) >> (5 * i)) & 31) as usize] as char).collect()
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(transparent)]
pub struct ApiKey(String);

impl ApiKey {
    pub fn generate<R: Rng + CryptoRng>(env: Environment, rng: &mut R) -> ApiKey {
        let mut key = String::with_capacity(API_KEY_LEN);
        key.push_str(prefix(env));
        for _ in 0..BODY_LEN {
            key.push(ALPHABET[rng.gen_range(0..32)] as char);
        }
        let check = checksum(&key);
        key.push_str(&check);
        ApiKey(key)
    }

    /// Parses a key of either environment. Surrounding white space is
    /// ignored and upper case is accepted, since keys get copied around.
    pub fn parse(raw: &str) -> Result<ApiKey> {
        let key = raw.trim().to_ascii_lowercase();
        if key.is_empty() {
            return Err(CoreError::ApiKeyMalformed("The API key is empty."));
        }
        if !key.starts_with(prefix(Environment::Production)) && !key.starts_with(prefix(Environment::Sandbox)) {
            return Err(CoreError::ApiKeyMalformed(
                "This is not a Keyport API key: it must start with kp_prod_ or kp_sbox_.",
            ));
        }
        if key.len() != API_KEY_LEN {
            return Err(CoreError::ApiKeyMalformed(
                "This API key has the wrong length: a key is 41 characters long. Was it copied completely?",
            ));
        }
        if !key.bytes().skip(PREFIX_LEN).all(|b| ALPHABET.contains(&b)) {
            return Err(CoreError::ApiKeyMalformed("This API key contains characters that never occur in a key."));
        }
        let (head, check) = key.split_at(PREFIX_LEN + BODY_LEN);
        if checksum(head) != check {
            return Err(CoreError::ApiKeyChecksum);
        }
        Ok(ApiKey(key))
    }

    /// Parses a key that must belong to `expected` (a sandbox field needs a
    /// sandbox key).
    pub fn parse_for(raw: &str, expected: Environment) -> Result<ApiKey> {
        let key = ApiKey::parse(raw)?;
        let found = key.environment();
        if found != expected {
            return Err(CoreError::ApiKeyWrongEnvironment { expected, found });
        }
        Ok(key)
    }

    pub fn environment(&self) -> Environment {
        if self.0.starts_with(prefix(Environment::Production)) { Environment::Production } else { Environment::Sandbox }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;
    use rand::{SeedableRng, rngs::StdRng};

    fn sample(env: Environment) -> ApiKey {
        ApiKey::generate(env, &mut StdRng::seed_from_u64(7))
    }

    #[test]
    fn generated_keys_parse_and_know_their_environment() {
        let mut rng = StdRng::seed_from_u64(1);
        for env in Environment::ALL {
            for _ in 0..200 {
                let key = ApiKey::generate(*env, &mut rng);
                assert_eq!(key.as_str().len(), API_KEY_LEN);
                assert_eq!(ApiKey::parse(key.as_str()).unwrap(), key);
                assert_eq!(ApiKey::parse_for(key.as_str(), *env).unwrap().environment(), *env);
            }
        }
        assert!(sample(Environment::Production).as_str().starts_with("kp_prod_"));
        assert!(sample(Environment::Sandbox).as_str().starts_with("kp_sbox_"));
    }

    #[test]
    fn tolerates_padding_and_upper_case() {
        let key = sample(Environment::Sandbox);
        let pasted = format!("  {}\n", key.as_str().to_uppercase());
        assert_eq!(ApiKey::parse(&pasted).unwrap(), key);
    }

    #[test]
    fn every_single_character_change_is_caught() {
        let key = sample(Environment::Production);
        for pos in PREFIX_LEN..API_KEY_LEN {
            for &c in ALPHABET {
                let mut bytes = key.as_str().as_bytes().to_vec();
                if bytes[pos] == c {
                    continue;
                }
                bytes[pos] = c;
                let typo = String::from_utf8(bytes).unwrap();
                assert_eq!(ApiKey::parse(&typo).unwrap_err(), CoreError::ApiKeyChecksum, "{typo}");
            }
        }
    }

    #[test]
    fn swapped_neighbours_are_caught() {
        let key = sample(Environment::Production);
        for pos in PREFIX_LEN..API_KEY_LEN - 1 {
            let mut bytes = key.as_str().as_bytes().to_vec();
            if bytes[pos] == bytes[pos + 1] {
                continue;
            }
            bytes.swap(pos, pos + 1);
            let typo = String::from_utf8(bytes).unwrap();
            assert_eq!(ApiKey::parse(&typo).unwrap_err().code(), ErrorCode::ApiKeyChecksum);
        }
    }

    #[test]
    fn wrong_environment_is_detected_offline() {
        let sandbox = sample(Environment::Sandbox);
        let err = ApiKey::parse_for(sandbox.as_str(), Environment::Production).unwrap_err();
        assert_eq!(err.code(), ErrorCode::ApiKeyWrongEnvironment);
        assert_eq!(err.to_string(), "This is a sandbox API key, but a production key is needed here.");
    }

    #[test]
    fn relabelled_prefix_fails_the_checksum() {
        let prod = sample(Environment::Production);
        let forged = prod.as_str().replacen("kp_prod_", "kp_sbox_", 1);
        assert_eq!(ApiKey::parse(&forged).unwrap_err(), CoreError::ApiKeyChecksum);
    }

    #[test]
    fn malformed_keys_have_their_own_code() {
        let good = sample(Environment::Production);
        for raw in [
            "".to_string(),
            "   ".to_string(),
            "0123456789abcdef0123456789abcdef".to_string(), // a Magento-style hex key
            good.as_str()[..40].to_string(),
            format!("{}x", good.as_str()),
            good.as_str().replacen('0', "!", 1).replace(&good.as_str()[8..9], "!"),
            good.as_str().replacen("kp_prod_", "kp_prod-", 1),
        ] {
            assert_eq!(ApiKey::parse(&raw).unwrap_err().code(), ErrorCode::ApiKeyMalformed, "{raw:?}");
        }
        let with_i = format!("{}i{}", &good.as_str()[..8], &good.as_str()[9..]);
        assert_eq!(ApiKey::parse(&with_i).unwrap_err().code(), ErrorCode::ApiKeyMalformed);
    }
}
