//! Shared by the sandbox's HTTP tests: keys with their PEM, and tokens made
//! by an independent JWT library (jsonwebtoken), not the server's own code.
#![allow(dead_code)] // each test file uses a part

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use keyport_engine::Engine;
use keyport_engine::core::Environment;
use keyport_engine::model::{ApiKeyInfo, NewKey, NewScope};
use serde_json::{Value, json};

/// Creates a key through the CLI's download path and returns it with its PEM.
pub async fn key_with_pem(
    engine: &Engine,
    account: &str,
    env: Environment,
    label: &str,
    scope: Option<NewScope>,
) -> (ApiKeyInfo, String) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("k.pem");
    let key = engine
        .create_key_to_file(account, NewKey { environment: env, label: label.into(), bits: 2048, scope }, &file, false)
        .await
        .unwrap()
        .key;
    (key, std::fs::read_to_string(file).unwrap())
}

pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// A token as the real Connector makes it, signed by jsonwebtoken.
pub fn connector_token(pem: &str) -> String {
    signed(
        pem,
        json!({ "exp": now() + 300, "iss": "8E6307BF5D775FA00A495EF9@AdobeOrg", "sub": "3181519E5E2714990A495E2E@techacct.adobe.com" }),
    )
}

pub fn signed(pem: &str, claims: Value) -> String {
    jsonwebtoken::encode(&Header::new(Algorithm::RS256), &claims, &EncodingKey::from_rsa_pem(pem.as_bytes()).unwrap())
        .unwrap()
}
