//! RS256 JSON Web Tokens, as the Commerce Services Connector makes them: the
//! instance signs a JWT with its private key (`exp` = now + 300 s) and sends
//! it as `x-gw-signature`.
//!
//! The verifier is deliberately small and strict, with one error per way a
//! token can be wrong: a size limit before any parsing, only `RS256` (so
//! `none` and `HS256` — the classic algorithm-confusion attacks — are
//! refused), the signature checked before any claim is believed, `exp`
//! required, and a lifetime no longer than the Connector's own.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value, json};

use crate::keys::{KeyPair, PublicKey};
use crate::{CoreError, Result};

/// Tokens longer than this are refused unread (a Connector JWT is ~700 bytes).
pub const MAX_TOKEN_BYTES: usize = 8 * 1024;
/// The Connector's token lifetime; `exp` further ahead than this is refused.
pub const MAX_LIFETIME_SECS: i64 = 300;
/// Tolerated clock difference between instance and service.
pub const CLOCK_SKEW_SECS: i64 = 60;

/// The verified claims of a token.
#[derive(Debug, Clone, PartialEq)]
pub struct Claims {
    pub exp: i64,
    pub claims: Map<String, Value>,
}

/// Verifies `token` against `key` at unix time `now`.
pub fn verify(token: &str, key: &PublicKey, now: i64) -> Result<Claims> {
    if token.len() > MAX_TOKEN_BYTES {
        return Err(CoreError::JwtTooLarge(MAX_TOKEN_BYTES));
    }
    let mut parts = token.split('.');
    let (Some(header_b64), Some(payload_b64), Some(signature_b64), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(CoreError::JwtMalformed("a JWT has three dot-separated parts"));
    };
    let header = decode_object(header_b64, "the header")?;
    match header.get("alg").and_then(Value::as_str) {
        Some("RS256") => {}
        Some(other) => return Err(CoreError::JwtAlgorithm(other.chars().take(20).collect())),
        None => return Err(CoreError::JwtMalformed("the header has no \"alg\"")),
    }
    let signature =
        URL_SAFE_NO_PAD.decode(signature_b64).map_err(|_| CoreError::JwtMalformed("the signature is not base64url"))?;
    let signed = &token[..header_b64.len() + 1 + payload_b64.len()];
    if !key.verify_rs256(signed.as_bytes(), &signature) {
        return Err(CoreError::JwtSignature);
    }

    // Only now, with the signature good, are the claims worth reading.
    let claims = decode_object(payload_b64, "the payload")?;
    let exp = match claims.get("exp") {
        None => return Err(CoreError::JwtMissingExpiry),
        Some(v) => numeric_date(v).ok_or(CoreError::JwtMalformed("\"exp\" is not a number"))?,
    };
    if exp < now - CLOCK_SKEW_SECS {
        return Err(CoreError::JwtExpired);
    }
    if exp > now + MAX_LIFETIME_SECS + CLOCK_SKEW_SECS {
        return Err(CoreError::JwtLifetimeTooLong(MAX_LIFETIME_SECS));
    }
    for name in ["iat", "nbf"] {
        if let Some(v) = claims.get(name) {
            let at = numeric_date(v).ok_or(CoreError::JwtMalformed("\"iat\"/\"nbf\" is not a number"))?;
            if at > now + CLOCK_SKEW_SECS {
                return Err(CoreError::JwtNotYetValid);
            }
        }
    }
    Ok(Claims { exp, claims })
}

/// Signs `claims` with `pair` as RS256 (header `{"typ":"JWT","alg":"RS256"}`).
pub fn sign(pair: &KeyPair, claims: &Value) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"typ":"JWT","alg":"RS256"}"#);
    // A serde_json::Value always serialises (its map keys are strings).
    #[allow(clippy::expect_used)]
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).expect("JSON values serialise"));
    let signed = format!("{header}.{payload}");
    let signature = pair.sign_rs256(signed.as_bytes());
    format!("{signed}.{}", URL_SAFE_NO_PAD.encode(signature))
}

/// The claims the real Connector (magento/services-connector) signs:
/// `exp` = now + 300 s, Adobe IMS issuer, subject and audience, and four
/// scope flags. No `iat`.
pub fn connector_claims(now: i64) -> Value {
    json!({
        "exp": now + MAX_LIFETIME_SECS,
        "iss": "8E6307BF5D775FA00A495EF9@AdobeOrg",
        "sub": "3181519E5E2714990A495E2E@techacct.adobe.com",
        "aud": "https://ims-na1.adobelogin.com/c/9ec9d05f79eb443e8f76ce477b1e413c",
        "https://ims-na1.adobelogin.com/s/ent_reactor_sdk": true,
        "https://ims-na1.adobelogin.com/s/asset_compute_meta": true,
        "https://ims-na1.adobelogin.com/s/ent_adobeio_sdk": true,
        "https://ims-na1.adobelogin.com/s/event_receiver_api": true,
    })
}

fn decode_object(part: &str, what: &'static str) -> Result<Map<String, Value>> {
    let bytes = URL_SAFE_NO_PAD.decode(part).map_err(|_| CoreError::JwtMalformed(bad(what, "base64url")))?;
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(CoreError::JwtMalformed(bad(what, "a JSON object"))),
    }
}

fn bad(what: &'static str, expected: &'static str) -> &'static str {
    match (what, expected) {
        ("the header", "base64url") => "the header is not base64url",
        ("the header", _) => "the header is not a JSON object",
        (_, "base64url") => "the payload is not base64url",
        _ => "the payload is not a JSON object",
    }
}

/// A JWT NumericDate: seconds since the epoch, possibly fractional.
fn numeric_date(v: &Value) -> Option<i64> {
    v.as_i64().or_else(|| v.as_f64().filter(|f| f.is_finite()).map(|f| f as i64))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;
    use std::sync::OnceLock;

    const NOW: i64 = 1_800_000_000;

    fn pair() -> &'static KeyPair {
        static P: OnceLock<KeyPair> = OnceLock::new();
        P.get_or_init(|| KeyPair::generate(2048).unwrap())
    }

    fn other() -> &'static KeyPair {
        static P: OnceLock<KeyPair> = OnceLock::new();
        P.get_or_init(|| KeyPair::generate(2048).unwrap())
    }

    fn code(token: &str) -> ErrorCode {
        verify(token, &pair().public_key(), NOW).unwrap_err().code()
    }

    /// A token with an arbitrary header, signed (or not) by hand.
    fn forge(header: &str, claims: &Value, signer: Option<&KeyPair>) -> String {
        let signed = format!("{}.{}", URL_SAFE_NO_PAD.encode(header), URL_SAFE_NO_PAD.encode(claims.to_string()));
        let sig = signer.map(|p| p.sign_rs256(signed.as_bytes()));
        format!("{signed}.{}", sig.map(|s| URL_SAFE_NO_PAD.encode(s)).unwrap_or_default())
    }

    #[test]
    fn the_connectors_token_verifies() {
        let token = sign(pair(), &connector_claims(NOW));
        let claims = verify(&token, &pair().public_key(), NOW).unwrap();
        assert_eq!(claims.exp, NOW + 300);
        assert_eq!(claims.claims["iss"], "8E6307BF5D775FA00A495EF9@AdobeOrg");
        // Within the clock skew either way.
        assert!(verify(&token, &pair().public_key(), NOW + 300 + 59).is_ok());
        assert!(verify(&token, &pair().public_key(), NOW - 59).is_ok());
    }

    #[test]
    fn another_keys_signature_is_refused() {
        assert_eq!(code(&sign(other(), &connector_claims(NOW))), ErrorCode::JwtSignature);
    }

    #[test]
    fn tampered_payload_is_refused() {
        let token = sign(pair(), &connector_claims(NOW));
        let mut parts: Vec<&str> = token.split('.').collect();
        let forged = URL_SAFE_NO_PAD.encode(json!({"exp": NOW + 200, "iss": "evil"}).to_string());
        parts[1] = &forged;
        assert_eq!(code(&parts.join(".")), ErrorCode::JwtSignature);
    }

    #[test]
    fn only_rs256_is_accepted() {
        let claims = connector_claims(NOW);
        assert_eq!(code(&forge(r#"{"alg":"none"}"#, &claims, None)), ErrorCode::JwtAlgorithm);
        assert_eq!(code(&forge(r#"{"alg":"HS256","typ":"JWT"}"#, &claims, None)), ErrorCode::JwtAlgorithm);
        assert_eq!(code(&forge(r#"{"alg":"RS512"}"#, &claims, Some(pair()))), ErrorCode::JwtAlgorithm);
        assert_eq!(code(&forge(r#"{"typ":"JWT"}"#, &claims, Some(pair()))), ErrorCode::JwtMalformed);
    }

    #[test]
    fn lifetimes_are_enforced() {
        let with = |claims: Value| code(&forge(r#"{"alg":"RS256"}"#, &claims, Some(pair())));
        assert_eq!(with(json!({"iss": "x"})), ErrorCode::JwtMissingExp);
        assert_eq!(with(json!({"exp": NOW - 61})), ErrorCode::JwtExpired);
        assert_eq!(with(json!({"exp": NOW + 3600})), ErrorCode::JwtLifetimeTooLong);
        assert_eq!(with(json!({"exp": NOW + 100, "iat": NOW + 3600})), ErrorCode::JwtNotYetValid);
        assert_eq!(with(json!({"exp": NOW + 100, "nbf": NOW + 3600})), ErrorCode::JwtNotYetValid);
        assert_eq!(with(json!({"exp": "tomorrow"})), ErrorCode::JwtMalformed);
        assert!(
            verify(
                &forge(r#"{"alg":"RS256"}"#, &json!({"exp": (NOW + 10) as f64 + 0.5}), Some(pair())),
                &pair().public_key(),
                NOW
            )
            .is_ok()
        );
    }

    #[test]
    fn malformed_tokens_have_their_own_code() {
        let good = sign(pair(), &connector_claims(NOW));
        let (head, rest) = good.split_once('.').unwrap();
        for token in [
            "".to_string(),
            "abc".to_string(),
            "a.b".to_string(),
            format!("{good}.extra"),
            format!("!!!.{rest}"),
            format!("{}.{rest}", URL_SAFE_NO_PAD.encode("[1,2]")),
            format!("{head}.{}", rest.replace('.', ".***")),
        ] {
            assert_eq!(code(&token), ErrorCode::JwtMalformed, "{token}");
        }
    }

    #[test]
    fn oversized_tokens_are_refused_unread() {
        let huge = format!("{}.{}.{}", "a".repeat(4000), "b".repeat(4000), "c".repeat(400));
        assert_eq!(code(&huge), ErrorCode::JwtTooLarge);
        assert!(huge.len() > MAX_TOKEN_BYTES);
    }
}
