//! Property tests of the parsers that take text from outside: the private-key
//! PEM reader, the API-key parser, the JWT verifier and the name rules.
//! Arbitrary input never panics and always maps to one of the codes the
//! parser documents; valid input round-trips.
//!
//! `make test` runs a short session (proptest's default 256 cases, fewer for
//! the cases that sign); `make proptest` runs a long one
//! (`PROPTEST_CASES`, default 20,000 there). A failure prints the shrunk
//! input and stores its seed under `proptest-regressions/`.

use std::sync::OnceLock;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use keyport_core::error::Field;
use keyport_core::keys::KeyPair;
use keyport_core::text::{clean, fold, is_invisible};
use keyport_core::{ApiKey, Environment, ErrorCode, jwt};
use proptest::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;
use rsa::pkcs1::EncodeRsaPrivateKey;
use serde_json::json;

const NOW: i64 = 1_800_000_000;

/// Two fixed pairs (generating RSA keys per case would take minutes).
fn pairs() -> &'static [KeyPair; 2] {
    static PAIRS: OnceLock<[KeyPair; 2]> = OnceLock::new();
    PAIRS.get_or_init(|| [KeyPair::generate(2048).unwrap(), KeyPair::generate(2048).unwrap()])
}

/// Cases for properties whose every case signs with RSA: an eighth of the
/// configured number (proptest reads `PROPTEST_CASES`).
fn signing_config() -> ProptestConfig {
    let cases = ProptestConfig::default().cases;
    ProptestConfig { cases: (cases / 8).max(16), ..ProptestConfig::default() }
}

/// Text that looks like the start of what people paste: PEM armour lines,
/// base64 and noise mixed.
fn pem_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("-----BEGIN PRIVATE KEY-----\n".to_string()),
        Just("-----END PRIVATE KEY-----\n".to_string()),
        Just("-----BEGIN RSA PRIVATE KEY-----\n".to_string()),
        Just("-----END RSA PRIVATE KEY-----\n".to_string()),
        Just("-----BEGIN PUBLIC KEY-----\n".to_string()),
        Just("-----BEGIN ENCRYPTED PRIVATE KEY-----\n".to_string()),
        Just("-----BEGIN ".to_string()),
        "[A-Za-z0-9+/=]{0,80}\n?",
        any::<String>(),
        proptest::collection::vec(any::<u8>(), 0..64).prop_map(|b| STANDARD.encode(b) + "\n"),
    ];
    proptest::collection::vec(piece, 0..8).prop_map(|pieces| pieces.concat())
}

/// One PEM block with a random DER body: exercises the ASN.1 decoders.
fn pem_block_with_random_der() -> impl Strategy<Value = String> {
    (prop_oneof![Just("PRIVATE KEY"), Just("RSA PRIVATE KEY")], proptest::collection::vec(any::<u8>(), 0..600))
        .prop_map(|(label, der)| {
            let body = STANDARD.encode(der);
            let lines: Vec<&str> =
                body.as_bytes().chunks(64).map(|c| std::str::from_utf8(c).unwrap_or_default()).collect();
            format!("-----BEGIN {label}-----\n{}\n-----END {label}-----\n", lines.join("\n"))
        })
}

const PEM_CODES: [ErrorCode; 3] =
    [ErrorCode::PrivateKeyNotPem, ErrorCode::PrivateKeyWrongKind, ErrorCode::PrivateKeyUnparseable];

proptest! {
    #[test]
    fn pem_reader_maps_any_bytes_to_a_code(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let text = String::from_utf8_lossy(&bytes);
        let err = KeyPair::from_pem(&text).expect_err("random bytes are no key");
        prop_assert!(PEM_CODES.contains(&err.code()), "{:?}", err.code());
    }

    #[test]
    fn pem_reader_maps_pem_like_text_to_a_code(text in pem_like()) {
        if let Err(err) = KeyPair::from_pem(&text) {
            prop_assert!(PEM_CODES.contains(&err.code()), "{:?}", err.code());
        }
    }

    #[test]
    fn pem_reader_maps_random_der_to_a_code(text in pem_block_with_random_der()) {
        let err = KeyPair::from_pem(&text).expect_err("random DER is no key");
        prop_assert!(PEM_CODES.contains(&err.code()), "{:?}", err.code());
    }

    /// A real key survives what copying does to it: text around it, CRLF,
    /// indentation and trailing blanks; PKCS#1 reads as converted.
    #[test]
    fn pem_reader_round_trips_pasted_keys(
        which in 0usize..2,
        before in "[a-zA-Z .:\n]{0,40}",
        after in "[a-zA-Z .:\n]{0,40}",
        crlf in any::<bool>(),
        indent in "[ \t]{0,3}",
        pkcs1 in any::<bool>(),
    ) {
        let pair = &pairs()[which];
        let pem = if pkcs1 {
            pair.rsa().to_pkcs1_pem(rsa::pkcs8::LineEnding::LF).unwrap().to_string()
        } else {
            pair.private_pem().expose().to_string()
        };
        let newline = if crlf { "\r\n" } else { "\n" };
        let body: Vec<String> = pem.lines().map(|l| format!("{indent}{l}  ")).collect();
        let pasted = format!("{before}\n{}{newline}{after}", body.join(newline));
        let parsed = KeyPair::from_pem(&pasted).unwrap();
        prop_assert_eq!(parsed.pair.fingerprint(), pair.fingerprint());
        prop_assert_eq!(parsed.converted_from_pkcs1, pkcs1);
    }
}

const API_KEY_CODES: [ErrorCode; 2] = [ErrorCode::ApiKeyMalformed, ErrorCode::ApiKeyChecksum];

fn environment() -> impl Strategy<Value = Environment> {
    prop_oneof![Just(Environment::Production), Just(Environment::Sandbox)]
}

fn api_key() -> impl Strategy<Value = ApiKey> {
    (environment(), any::<u64>()).prop_map(|(env, seed)| ApiKey::generate(env, &mut StdRng::seed_from_u64(seed)))
}

proptest! {
    #[test]
    fn api_key_parser_maps_any_text_to_a_code(raw in any::<String>()) {
        if let Err(err) = ApiKey::parse(&raw) {
            prop_assert!(API_KEY_CODES.contains(&err.code()), "{:?}", err.code());
        }
    }

    /// Text shaped like a key (right prefix, length and alphabet) passes only
    /// when its checksum is right; random bodies essentially never are.
    #[test]
    fn api_key_parser_checks_key_shaped_text(env in environment(), rest in "[0-9a-hjkmnp-tv-z]{33}") {
        let prefix = if env == Environment::Production { "kp_prod_" } else { "kp_sbox_" };
        match ApiKey::parse(&format!("{prefix}{rest}")) {
            Ok(key) => prop_assert_eq!(key.environment(), env),
            Err(err) => prop_assert_eq!(err.code(), ErrorCode::ApiKeyChecksum),
        }
    }

    #[test]
    fn api_keys_round_trip(key in api_key(), pad in "[ \t\n]{0,3}", upper in any::<bool>()) {
        let text = if upper { key.as_str().to_ascii_uppercase() } else { key.as_str().to_string() };
        let parsed = ApiKey::parse(&format!("{pad}{text}{pad}")).unwrap();
        prop_assert_eq!(&parsed, &key);
        prop_assert_eq!(ApiKey::parse_for(key.as_str(), key.environment()).unwrap(), key.clone());
        let other = match key.environment() {
            Environment::Production => Environment::Sandbox,
            Environment::Sandbox => Environment::Production,
        };
        let err = ApiKey::parse_for(key.as_str(), other).unwrap_err();
        prop_assert_eq!(err.code(), ErrorCode::ApiKeyWrongEnvironment);
    }

    /// Every single-character change after the prefix is caught, and so is
    /// every swap of two different neighbours.
    #[test]
    fn api_key_typos_are_caught(key in api_key(), at in 8usize..41, by in 1u8..32, swap in any::<bool>()) {
        const ALPHABET: &[u8] = b"0123456789abcdefghjkmnpqrstvwxyz";
        let mut bytes = key.as_str().as_bytes().to_vec();
        if swap && at < 40 {
            prop_assume!(bytes[at] != bytes[at + 1]);
            bytes.swap(at, at + 1);
        } else {
            let index = ALPHABET.iter().position(|&c| c == bytes[at]).unwrap();
            bytes[at] = ALPHABET[(index + usize::from(by)) % 32];
        }
        let err = ApiKey::parse(std::str::from_utf8(&bytes).unwrap()).unwrap_err();
        prop_assert_eq!(err.code(), ErrorCode::ApiKeyChecksum);
    }
}

const JWT_CODES: [ErrorCode; 8] = [
    ErrorCode::JwtTooLarge,
    ErrorCode::JwtMalformed,
    ErrorCode::JwtAlgorithm,
    ErrorCode::JwtSignature,
    ErrorCode::JwtMissingExp,
    ErrorCode::JwtExpired,
    ErrorCode::JwtNotYetValid,
    ErrorCode::JwtLifetimeTooLong,
];

/// Three base64url parts whose JSON may or may not make sense.
fn token_like() -> impl Strategy<Value = String> {
    let json_part = prop_oneof![
        Just(r#"{"alg":"RS256","typ":"JWT"}"#.to_string()),
        Just(r#"{"alg":"none"}"#.to_string()),
        Just(r#"{"exp":1800000100}"#.to_string()),
        Just("[]".to_string()),
        any::<String>(),
    ];
    (json_part.clone(), json_part, proptest::collection::vec(any::<u8>(), 0..300)).prop_map(|(h, p, s)| {
        format!("{}.{}.{}", URL_SAFE_NO_PAD.encode(h), URL_SAFE_NO_PAD.encode(p), URL_SAFE_NO_PAD.encode(s))
    })
}

proptest! {
    #[test]
    fn jwt_verifier_maps_any_text_to_a_code(token in any::<String>()) {
        let err = jwt::verify(&token, &pairs()[0].public_key(), NOW).expect_err("random text is no token");
        prop_assert!(JWT_CODES.contains(&err.code()), "{:?}", err.code());
    }

    #[test]
    fn jwt_verifier_maps_token_like_text_to_a_code(token in token_like()) {
        let err = jwt::verify(&token, &pairs()[0].public_key(), NOW).expect_err("unsigned tokens never verify");
        prop_assert!(JWT_CODES.contains(&err.code()), "{:?}", err.code());
    }
}

proptest! {
    #![proptest_config(signing_config())]

    /// A token the Connector would sign verifies and gives back its claims,
    /// anywhere within its lifetime and the clock skew; after it, it is expired.
    #[test]
    fn jwt_round_trips(
        issued in NOW - 1000..NOW + 1000,
        lifetime in 1i64..=300,
        extra in "[a-z]{1,12}",
        value in any::<i32>(),
    ) {
        let pair = &pairs()[0];
        let mut claims = jwt::connector_claims(issued);
        claims["exp"] = json!(issued + lifetime);
        claims[&format!("x_{extra}")] = json!(value);
        let token = jwt::sign(pair, &claims);
        let verified = jwt::verify(&token, &pair.public_key(), issued).unwrap();
        prop_assert_eq!(verified.exp, issued + lifetime);
        prop_assert_eq!(&verified.claims[&format!("x_{extra}")], &json!(value));
        prop_assert!(jwt::verify(&token, &pair.public_key(), issued + lifetime + jwt::CLOCK_SKEW_SECS).is_ok());
        let late = jwt::verify(&token, &pair.public_key(), issued + lifetime + jwt::CLOCK_SKEW_SECS + 1);
        prop_assert_eq!(late.unwrap_err().code(), ErrorCode::JwtExpired);
        // Another key's public half never accepts it.
        let other = jwt::verify(&token, &pairs()[1].public_key(), issued).unwrap_err();
        prop_assert_eq!(other.code(), ErrorCode::JwtSignature);
    }

    /// Changing any one character of a signed token makes it fail, always
    /// with one of the verifier's codes.
    #[test]
    fn jwt_tampering_is_refused(at in any::<prop::sample::Index>(), replacement in "[A-Za-z0-9_.=-]") {
        let pair = &pairs()[0];
        let token = jwt::sign(pair, &jwt::connector_claims(NOW));
        let at = at.index(token.len());
        prop_assume!(token.as_bytes()[at] != replacement.as_bytes()[0]);
        let mut tampered = token.clone();
        tampered.replace_range(at..=at, &replacement);
        // Base64url's last character may carry unused bits: a change there
        // can decode to the same bytes, and then the token is still valid.
        if let Err(err) = jwt::verify(&tampered, &pair.public_key(), NOW) {
            prop_assert!(JWT_CODES.contains(&err.code()), "{:?}", err.code());
        } else {
            let parts: Vec<&str> = tampered.split('.').collect();
            prop_assert_eq!(parts.len(), 3);
            let original: Vec<&str> = token.split('.').collect();
            for (a, b) in parts.iter().zip(&original) {
                prop_assert_eq!(URL_SAFE_NO_PAD.decode(a).ok(), URL_SAFE_NO_PAD.decode(b).ok());
            }
        }
    }
}

const FIELDS: [Field; 6] = [
    Field::AccountName,
    Field::MerchantName,
    Field::KeyLabel,
    Field::ProjectName,
    Field::DataSpaceName,
    Field::InstanceName,
];

const NAME_CODES: [ErrorCode; 3] = [ErrorCode::EmptyValue, ErrorCode::InvalidCharacters, ErrorCode::ValueTooLong];

/// Names built from letters, spaces and the characters that make trouble:
/// invisible formatting characters, controls, combining marks, ligatures,
/// full-width and case-folding specials.
fn name_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => "[a-zA-Z0-9 ]{1,8}",
        1 => prop::sample::select(vec![
            "\u{00AD}", "\u{061C}", "\u{180E}", "\u{115F}", "\u{3164}", "\u{FFA0}", "\u{E0041}", "\u{206A}",
            "\u{200B}", "\u{202E}", "\u{FE0F}", "\n", "\t", "\u{7}", "\u{2028}", "ß", "ẞ", "ﬁ", "Ａ", "é", "e\u{301}",
            "İ", "ǅ", "Σ", "ς", "—",
        ]).prop_map(str::to_string),
        1 => any::<char>().prop_map(String::from),
    ];
    proptest::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
}

proptest! {
    /// A name is either refused with one of three codes, or accepted as a
    /// trimmed, visible value within the field's length, which is accepted
    /// again unchanged.
    #[test]
    fn names_are_accepted_clean_or_refused_with_a_code(raw in prop_oneof![any::<String>(), name_like()], f in 0usize..6) {
        let field = FIELDS[f];
        match clean(field, &raw) {
            Ok(value) => {
                prop_assert_eq!(value.as_str(), value.trim());
                prop_assert!(!value.is_empty());
                prop_assert!(!value.chars().any(is_invisible));
                prop_assert!(value.chars().count() <= field.max_len());
                prop_assert_eq!(clean(field, &value).unwrap(), value);
            }
            Err(err) => prop_assert!(NAME_CODES.contains(&err.code()), "{:?}", err.code()),
        }
    }

    /// Folding is a normal form: folding again changes nothing, and names
    /// that differ only in case, compatibility forms or surrounding space
    /// compare equal.
    #[test]
    fn folding_is_idempotent_and_ignores_case(raw in prop_oneof![any::<String>(), name_like()]) {
        let folded = fold(&raw);
        prop_assert_eq!(fold(&folded), folded.clone());
        prop_assert_eq!(fold(&format!("  {raw}\t")), folded);
    }

    #[test]
    fn folding_ignores_ascii_case(raw in "[a-zA-Z0-9 ]{0,40}") {
        prop_assert_eq!(fold(&raw.to_ascii_uppercase()), fold(&raw.to_ascii_lowercase()));
    }
}
