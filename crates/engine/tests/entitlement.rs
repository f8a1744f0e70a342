//! Entitlement validation with real keys: every refusal has its own code.

mod common;

use common::{TestHome, new_account};
use keyport_engine::Engine;
use keyport_engine::core::ErrorCode;
use keyport_engine::core::keys::KeyPair;
use keyport_engine::core::{Environment, OperatingModel, Standing, jwt};
use keyport_engine::model::{AccountChanges, ApiKeyInfo, NewKey};
use serde_json::json;

const MAG: &str = "MAG000000001";

struct Fixture {
    home: TestHome,
    key: ApiKeyInfo,
    pair: KeyPair,
    _dir: tempfile::TempDir,
}

async fn fixture() -> Fixture {
    let home = TestHome::new().await;
    home.engine.create_account(new_account(MAG, "Acme", OperatingModel::PrimaryMerchant)).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("k.pem");
    let key = home
        .engine
        .create_key_to_file(
            MAG,
            NewKey { environment: Environment::Production, label: "ci".into(), bits: 2048, scope: None },
            &file,
            false,
        )
        .await
        .unwrap()
        .key;
    let pair = KeyPair::from_pem(&std::fs::read_to_string(&file).unwrap()).unwrap().pair;
    Fixture { home, key, pair, _dir: dir }
}

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

fn token(pair: &KeyPair) -> String {
    jwt::sign(pair, &jwt::connector_claims(now()))
}

async fn code(engine: &Engine, api_key: &str, token: &str) -> ErrorCode {
    engine.validate_entitlement(api_key, token).await.unwrap_err().code()
}

#[tokio::test]
async fn a_connector_token_signed_by_the_key_validates() {
    let f = fixture().await;
    let ok = f.home.engine.validate_entitlement(f.key.api_key.as_str(), &token(&f.pair)).await.unwrap();
    assert_eq!(ok.key_id, f.key.id);
    assert_eq!(ok.label, "ci");
    assert_eq!(ok.environment, Environment::Production);
    // The same token again (the cached path) still validates.
    let t = token(&f.pair);
    f.home.engine.validate_entitlement(f.key.api_key.as_str(), &t).await.unwrap();
    f.home.engine.validate_entitlement(f.key.api_key.as_str(), &t).await.unwrap();
    // "Last validated" is recorded (off the request path).
    for _ in 0..100 {
        if f.home.engine.key(&f.key.id).await.unwrap().last_validated_at.is_some() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("last_validated_at was not recorded");
}

#[tokio::test]
async fn unknown_and_malformed_api_keys() {
    let f = fixture().await;
    let stranger = keyport_engine::core::ApiKey::generate(Environment::Production, &mut rand::thread_rng());
    assert_eq!(code(&f.home.engine, stranger.as_str(), &token(&f.pair)).await, ErrorCode::UnknownApiKey);
    assert_eq!(code(&f.home.engine, "not-a-key", &token(&f.pair)).await, ErrorCode::ApiKeyMalformed);
    let mut typo = f.key.api_key.to_string();
    typo.replace_range(10..11, if &typo[10..11] == "a" { "b" } else { "a" });
    assert_eq!(code(&f.home.engine, &typo, &token(&f.pair)).await, ErrorCode::ApiKeyChecksum);
}

#[tokio::test]
async fn a_revoked_key_is_refused_at_once_even_with_a_token_that_just_worked() {
    let f = fixture().await;
    let t = token(&f.pair);
    f.home.engine.validate_entitlement(f.key.api_key.as_str(), &t).await.unwrap();
    f.home.engine.revoke_key(&f.key.id, "leaked").await.unwrap();
    assert_eq!(code(&f.home.engine, f.key.api_key.as_str(), &t).await, ErrorCode::KeyRevoked);
}

#[tokio::test]
async fn a_suspended_account_is_refused() {
    let f = fixture().await;
    let suspend = |s| AccountChanges { standing: Some(s), ..Default::default() };
    f.home.engine.update_account(MAG, suspend(Standing::Suspended)).await.unwrap();
    assert_eq!(code(&f.home.engine, f.key.api_key.as_str(), &token(&f.pair)).await, ErrorCode::AccountSuspended);
    f.home.engine.update_account(MAG, suspend(Standing::Good)).await.unwrap();
    f.home.engine.validate_entitlement(f.key.api_key.as_str(), &token(&f.pair)).await.unwrap();
}

#[tokio::test]
async fn token_refusals() {
    let f = fixture().await;
    let engine = &f.home.engine;
    let key = f.key.api_key.as_str();
    let other = KeyPair::generate(2048).unwrap();
    let at = now();
    let signed = |claims: serde_json::Value| jwt::sign(&f.pair, &claims);

    assert_eq!(code(engine, key, &token(&other)).await, ErrorCode::JwtSignature);
    assert_eq!(code(engine, key, &signed(json!({"exp": at - 3600}))).await, ErrorCode::JwtExpired);
    assert_eq!(code(engine, key, &signed(json!({"iss": "no exp"}))).await, ErrorCode::JwtMissingExp);
    assert_eq!(code(engine, key, &signed(json!({"exp": at + 86_400}))).await, ErrorCode::JwtLifetimeTooLong);
    assert_eq!(
        code(engine, key, &signed(json!({"exp": at + 60, "iat": at + 86_400}))).await,
        ErrorCode::JwtNotYetValid
    );
    assert_eq!(code(engine, key, "garbage").await, ErrorCode::JwtMalformed);
    assert_eq!(code(engine, key, &"x".repeat(9000)).await, ErrorCode::JwtTooLarge);
    let unsigned = format!("{}.{}.", b64(r#"{"alg":"none"}"#), b64(&json!({"exp": at + 60}).to_string()));
    assert_eq!(code(engine, key, &unsigned).await, ErrorCode::JwtAlgorithm);
}

#[tokio::test]
async fn a_token_verified_for_one_key_does_not_serve_another() {
    let f = fixture().await;
    let dir = tempfile::tempdir().unwrap();
    let second = f
        .home
        .engine
        .create_key_to_file(
            MAG,
            NewKey { environment: Environment::Sandbox, label: "b".into(), bits: 2048, scope: None },
            &dir.path().join("b.pem"),
            false,
        )
        .await
        .unwrap()
        .key;
    let t = token(&f.pair);
    f.home.engine.validate_entitlement(f.key.api_key.as_str(), &t).await.unwrap();
    assert_eq!(code(&f.home.engine, second.api_key.as_str(), &t).await, ErrorCode::JwtSignature);
}

fn b64(s: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s)
}

/// The status cache never outlives a commit: a revoke, a suspension or a
/// reinstatement made by another process (here `sqlite3`, as the CLI would)
/// takes effect on the very next request, with the same token.
#[tokio::test]
async fn a_change_from_another_process_takes_effect_on_the_next_request() {
    let f = fixture().await;
    let api_key = f.key.api_key.as_str();
    let token = token(&f.pair);
    let sqlite = |sql: &str| {
        let out = std::process::Command::new("sqlite3")
            .args(["-cmd", ".timeout 10000"])
            .arg(f.home.path().join("keyport.db"))
            .arg(sql)
            .output()
            .unwrap();
        assert!(out.status.success(), "sqlite3: {}", String::from_utf8_lossy(&out.stderr));
    };
    for _ in 0..3 {
        f.home.engine.validate_entitlement(api_key, &token).await.unwrap();
    }
    sqlite("UPDATE accounts SET standing = 'suspended'");
    assert_eq!(code(&f.home.engine, api_key, &token).await, ErrorCode::AccountSuspended);
    sqlite("UPDATE accounts SET standing = 'good'");
    f.home.engine.validate_entitlement(api_key, &token).await.unwrap();
    sqlite(&format!(
        "UPDATE api_keys SET status = 'revoked', revoked_at = '2026-01-01T00:00:00Z', revoke_reason = 'leaked' WHERE id = '{}'",
        f.key.id
    ));
    let err = f.home.engine.validate_entitlement(api_key, &token).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::KeyRevoked);
    assert!(err.to_string().contains("leaked"), "{err}");
    // Even a row that vanished.
    sqlite(&format!("DELETE FROM api_keys WHERE id = '{}'", f.key.id));
    assert_eq!(code(&f.home.engine, api_key, &token).await, ErrorCode::UnknownApiKey);
}
