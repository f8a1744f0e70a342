//! The sandbox over real HTTP on an ephemeral loopback port, with tokens made
//! by an independent JWT library (jsonwebtoken), not the server's own code.

mod common;

use std::net::SocketAddr;

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use keyport_engine::core::{Edition, Environment, OperatingModel, Standing};
use keyport_engine::model::{AccountChanges, ApiKeyInfo, NewAccount};
use keyport_engine::{Engine, ErrorCode, Home};
use keyport_sandbox::Sandbox;
use reqwest::StatusCode;
use serde_json::{Value, json};

use common::{connector_token, key_with_pem, now, signed};

struct Env {
    _home: tempfile::TempDir,
    engine: Engine,
    sandbox: Option<Sandbox>,
    base: String,
    key: ApiKeyInfo,
    pem: String,
    http: reqwest::Client,
}

const MAG: &str = "MAG000000001";

async fn env() -> Env {
    let home = tempfile::tempdir().unwrap();
    let engine = Engine::open(Home::existing(home.path()).unwrap()).await.unwrap();
    engine
        .create_account(NewAccount {
            mage_id: MAG.into(),
            name: "Acme".into(),
            edition: Edition::AdobeCommerce,
            operating_model: OperatingModel::PrimaryMerchant,
        })
        .await
        .unwrap();
    let (key, pem) = key_with_pem(&engine, MAG, Environment::Production, "staging CI", None).await;
    let sandbox = Sandbox::start(engine.clone(), "127.0.0.1:0".parse::<SocketAddr>().unwrap()).await.unwrap();
    let base = format!("{}merchant-registry/v1", sandbox.gateway_url());
    Env { _home: home, engine, sandbox: Some(sandbox), base, key, pem, http: reqwest::Client::new() }
}

impl Env {
    fn get(&self, path: &str) -> reqwest::RequestBuilder {
        self.http.get(format!("{}/{path}", self.base))
    }

    fn authed(&self, builder: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        builder.header("x-api-key", self.key.api_key.as_str()).header("x-gw-signature", connector_token(&self.pem))
    }

    async fn call(&self, builder: reqwest::RequestBuilder) -> (StatusCode, Value) {
        let response = builder.send().await.unwrap();
        let status = response.status();
        let body = response.json::<Value>().await.unwrap_or(Value::Null);
        (status, body)
    }

    async fn refused(&self, builder: reqwest::RequestBuilder) -> (StatusCode, String) {
        let (status, body) = self.call(builder).await;
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "error bodies carry a message: {body}");
        (status, body["code"].as_str().unwrap_or_default().to_string())
    }

    async fn registry(&self) -> Value {
        let (status, body) = self.call(self.authed(self.get("registry"))).await;
        assert_eq!(status, StatusCode::OK);
        body
    }
}

#[tokio::test]
async fn ping_accepts_a_valid_key_pair_under_either_header() {
    let e = env().await;
    let (status, body) = e.call(e.authed(e.get("ping"))).await;
    assert_eq!((status, body["status"].as_str()), (StatusCode::OK, Some("OK")));
    let magento_header = e
        .get("ping")
        .header("magento-api-key", e.key.api_key.as_str())
        .header("x-gw-signature", connector_token(&e.pem));
    assert_eq!(e.call(magento_header).await.0, StatusCode::OK);
    let both = e.authed(e.get("ping")).header("magento-api-key", e.key.api_key.as_str());
    assert_eq!(e.call(both).await.0, StatusCode::OK);
}

#[tokio::test]
async fn header_problems_are_refused() {
    let e = env().await;
    let token = connector_token(&e.pem);
    let key = e.key.api_key.as_str();
    let cases = [
        (e.get("ping").header("x-gw-signature", &token), StatusCode::UNAUTHORIZED, "missing_api_key"),
        (e.get("ping").header("x-api-key", key), StatusCode::UNAUTHORIZED, "missing_signature"),
        (
            e.get("ping").header("x-api-key", key).header("x-api-key", key).header("x-gw-signature", &token),
            StatusCode::BAD_REQUEST,
            "duplicate_header",
        ),
        (
            e.get("ping").header("x-api-key", key).header("x-gw-signature", &token).header("x-gw-signature", &token),
            StatusCode::BAD_REQUEST,
            "duplicate_header",
        ),
        (
            e.get("ping")
                .header("x-api-key", key)
                .header("magento-api-key", "kp_prod_other")
                .header("x-gw-signature", &token),
            StatusCode::BAD_REQUEST,
            "conflicting_api_keys",
        ),
        (
            e.get("ping").header("x-api-key", "no-such-key").header("x-gw-signature", &token),
            StatusCode::UNAUTHORIZED,
            "api_key_malformed",
        ),
    ];
    for (request, status, code) in cases {
        assert_eq!(e.refused(request).await, (status, code.to_string()));
    }
}

#[tokio::test]
async fn token_problems_are_refused() {
    let e = env().await;
    let at = now();
    let other = keyport_engine::core::keys::KeyPair::generate(2048).unwrap();
    let other_pem = other.private_pem().expose().to_string();
    let hs256 = jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &json!({"exp": at + 60}),
        &EncodingKey::from_secret(b"guess"),
    )
    .unwrap();
    let none = format!("{}.{}.", b64(r#"{"alg":"none","typ":"JWT"}"#), b64(&json!({"exp": at + 60}).to_string()));
    let cases = [
        (signed(&other_pem, json!({"exp": at + 300})), "jwt_signature"),
        (hs256, "jwt_algorithm"),
        (none, "jwt_algorithm"),
        (signed(&e.pem, json!({"exp": at - 3600})), "jwt_expired"),
        (signed(&e.pem, json!({"exp": at + 30 * 86_400})), "jwt_lifetime_too_long"),
        (signed(&e.pem, json!({"exp": at + 300, "iat": at + 86_400})), "jwt_not_yet_valid"),
        (signed(&e.pem, json!({"iss": "no expiry"})), "jwt_missing_exp"),
        (signed(&e.pem, json!({"exp": at + 300, "padding": "p".repeat(9000)})), "jwt_too_large"),
        ("not.a.jwt".to_string(), "jwt_malformed"),
    ];
    for (token, code) in cases {
        let request = e.get("ping").header("x-api-key", e.key.api_key.as_str()).header("x-gw-signature", token);
        assert_eq!(e.refused(request).await, (StatusCode::UNAUTHORIZED, code.to_string()), "{code}");
    }
    let stranger = keyport_engine::core::ApiKey::generate(Environment::Production, &mut rand::thread_rng());
    let request =
        e.get("ping").header("x-api-key", stranger.as_str()).header("x-gw-signature", connector_token(&e.pem));
    assert_eq!(e.refused(request).await, (StatusCode::UNAUTHORIZED, "unknown_api_key".to_string()));
}

#[tokio::test]
async fn knowing_an_api_key_alone_reveals_nothing_about_it() {
    let e = env().await;
    e.engine.revoke_key(&e.key.id, "leaked in a CI log").await.unwrap();
    let other = keyport_engine::core::keys::KeyPair::generate(2048).unwrap();
    let forged = signed(other.private_pem().expose(), json!({"exp": now() + 300}));
    let request = e.get("ping").header("x-api-key", e.key.api_key.as_str()).header("x-gw-signature", forged);
    let (status, body) = e.call(request).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("jwt_signature")));
    assert!(!body.to_string().contains("leaked"), "the revoke reason is only told to the key's holder: {body}");
}

#[tokio::test]
async fn revoked_keys_and_suspended_accounts_are_forbidden_at_once() {
    let e = env().await;
    assert_eq!(e.call(e.authed(e.get("ping"))).await.0, StatusCode::OK);
    e.engine
        .update_account(MAG, AccountChanges { standing: Some(Standing::Suspended), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(e.refused(e.authed(e.get("registry"))).await, (StatusCode::FORBIDDEN, "account_suspended".to_string()));
    e.engine
        .update_account(MAG, AccountChanges { standing: Some(Standing::Good), ..Default::default() })
        .await
        .unwrap();
    let token = connector_token(&e.pem);
    let with =
        |t: &str| e.get("ping").header("x-api-key", e.key.api_key.as_str()).header("x-gw-signature", t.to_string());
    assert_eq!(e.call(with(&token)).await.0, StatusCode::OK);
    e.engine.revoke_key(&e.key.id, "leaked").await.unwrap();
    assert_eq!(e.refused(with(&token)).await, (StatusCode::FORBIDDEN, "key_revoked".to_string()));
}

#[tokio::test]
async fn registry_initialize_lists_and_renames_like_the_services_id_module() {
    let e = env().await;
    assert_eq!(e.registry().await, json!({"results": []}));

    let (status, created) = e
        .call(
            e.authed(e.http.post(format!("{}/registry/initialize", e.base)))
                .json(&json!({"projectName": "Storefront"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let rows = created["results"].as_array().unwrap();
    assert_eq!(rows.len(), 3, "Adobe Commerce: 1 production + 2 testing");
    let project_id = rows[0]["projectId"].as_str().unwrap().to_string();
    for (row, (name, kind)) in
        rows.iter().zip([("Production", "Production"), ("Testing 1", "Testing"), ("Testing 2", "Testing")])
    {
        assert_eq!(row["projectId"], project_id.as_str());
        assert_eq!(row["projectName"], "Storefront");
        assert_eq!(row["environmentName"], name);
        assert_eq!(row["environmentType"], kind);
        assert!(row["environmentId"].as_str().is_some_and(|id| id.len() == 36));
    }
    assert_eq!(e.registry().await, created);

    let (status, one) = e.call(e.authed(e.get(&format!("registry/projects/{project_id}")))).await;
    assert_eq!((status, one.clone()), (StatusCode::OK, created.clone()));

    let (status, renamed) = e
        .call(
            e.authed(e.http.patch(format!("{}/registry/projects/{project_id}", e.base)))
                .json(&json!({"projectName": "Storefront EU"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(renamed["results"][0]["projectName"], "Storefront EU");

    let environment_id = rows[1]["environmentId"].as_str().unwrap();
    let (status, space) = e.call(e.authed(e.get(&format!("registry/environments/{environment_id}")))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(space["environmentName"], "Testing 1");
    assert_eq!(space["projectName"], "Storefront EU");
    let (status, space) = e
        .call(
            e.authed(e.http.patch(format!("{}/registry/environments/{environment_id}", e.base)))
                .json(&json!({"environmentName": "Staging"})),
        )
        .await;
    assert_eq!(
        (status, space["environmentName"].as_str(), space["environmentId"].as_str()),
        (StatusCode::OK, Some("Staging"), Some(environment_id))
    );
    assert_eq!(space["environmentType"], "Testing");
}

#[tokio::test]
async fn bad_bodies_names_and_ids_are_refused_and_change_nothing() {
    let e = env().await;
    let (_, created) = e
        .call(
            e.authed(e.http.post(format!("{}/registry/initialize", e.base)))
                .json(&json!({"projectName": "Storefront"})),
        )
        .await;
    let project_id = created["results"][0]["projectId"].as_str().unwrap().to_string();
    let environment_id = created["results"][0]["environmentId"].as_str().unwrap().to_string();
    let before = e.registry().await;

    let init = |body: &str| {
        e.authed(e.http.post(format!("{}/registry/initialize", e.base)))
            .header("content-type", "application/json")
            .body(body.to_string())
    };
    let long = json!({"projectName": "n".repeat(65)}).to_string();
    let cases = [
        (init("{not json"), StatusCode::BAD_REQUEST, "invalid_body"),
        (init("{}"), StatusCode::BAD_REQUEST, "invalid_body"),
        (init(r#"{"projectName": 42}"#), StatusCode::BAD_REQUEST, "invalid_body"),
        (init(r#"{"projectName": "  "}"#), StatusCode::BAD_REQUEST, "empty_value"),
        (init(&long), StatusCode::BAD_REQUEST, "value_too_long"),
        (init(r#"{"projectName": "storefront"}"#), StatusCode::CONFLICT, "name_taken"),
        (
            e.authed(e.http.patch(format!("{}/registry/projects/{project_id}", e.base))).body("[]"),
            StatusCode::BAD_REQUEST,
            "invalid_body",
        ),
        (
            e.authed(e.http.patch(format!("{}/registry/projects/00000000-0000-0000-0000-000000000000", e.base)))
                .json(&json!({"projectName": "X"})),
            StatusCode::NOT_FOUND,
            "project_not_found",
        ),
        (e.authed(e.get("registry/projects/Storefront")), StatusCode::NOT_FOUND, "project_not_found"),
        (e.authed(e.get("registry/environments/nope")), StatusCode::NOT_FOUND, "data_space_not_found"),
        (
            e.authed(e.http.patch(format!("{}/registry/environments/{environment_id}", e.base)))
                .json(&json!({"environmentName": "testing 2"})),
            StatusCode::CONFLICT,
            "name_taken",
        ),
        (e.authed(e.get("registry/nothing/here")), StatusCode::NOT_FOUND, "not_found"),
        (
            e.authed(e.http.delete(format!("{}/registry/projects/{project_id}", e.base))),
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        ),
        (
            init(&format!(r#"{{"projectName": "{}"}}"#, "x".repeat(70 * 1024))),
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
        ),
    ];
    for (request, status, code) in cases {
        assert_eq!(e.refused(request).await, (status, code.to_string()), "{code}");
    }
    assert_eq!(e.registry().await, before);
}

#[tokio::test]
async fn each_key_sees_its_own_accounts_projects_only() {
    let mut e = env().await;
    e.engine
        .create_account(NewAccount {
            mage_id: "MAG000000002".into(),
            name: "Other".into(),
            edition: Edition::MagentoOpenSource,
            operating_model: OperatingModel::PrimaryMerchant,
        })
        .await
        .unwrap();
    let theirs = e.engine.create_project("MAG000000002", "Theirs").await.unwrap();
    assert_eq!(e.registry().await, json!({"results": []}));
    let (status, code) = e.refused(e.authed(e.get(&format!("registry/projects/{}", theirs.id)))).await;
    assert_eq!((status, code.as_str()), (StatusCode::NOT_FOUND, "project_not_found"));

    // Their own key sees exactly one data space (Open Source).
    let (key, pem) = key_with_pem(&e.engine, "MAG000000002", Environment::Sandbox, "theirs", None).await;
    e.key = key;
    e.pem = pem;
    assert_eq!(e.registry().await["results"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn every_request_is_logged_with_its_key_and_result() {
    let mut e = env().await;
    e.call(e.authed(e.get("ping"))).await;
    e.refused(e.get("ping").header("x-api-key", e.key.api_key.as_str())).await;
    e.refused(e.get("ping").header("x-api-key", e.key.api_key.as_str()).header("x-gw-signature", "bad.token.here"))
        .await;
    e.sandbox.take().unwrap().stop().await; // flushes the log
    let log = e.engine.sandbox_requests(10).await.unwrap();
    assert_eq!(log.len(), 3);
    assert_eq!(
        (log[0].status, log[0].code, log[0].key_label.as_deref()),
        (401, Some(ErrorCode::JwtMalformed), Some("staging CI"))
    );
    assert_eq!(
        (log[1].status, log[1].code, log[1].key_label.as_deref()),
        (401, Some(ErrorCode::MissingSignature), None)
    );
    assert_eq!((log[2].status, log[2].code, log[2].key_label.as_deref()), (200, None, Some("staging CI")));
    assert_eq!((log[2].method.as_str(), log[2].path.as_str()), ("GET", "/merchant-registry/v1/ping"));
}

fn b64(s: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s)
}

/// `POST /keyport/v1/attest`: the answer verifies under the secret the
/// sandbox published in its home, and bad bodies get a coded refusal.
#[tokio::test]
async fn attest_answers_with_the_published_secret_and_refuses_bad_bodies() {
    use keyport_engine::core::attest::{self, AttestSecret};
    let e = env().await;
    let sandbox = e.sandbox.as_ref().unwrap();
    sandbox.publish().unwrap();
    let url = format!("{}keyport/v1/attest", sandbox.gateway_url());
    let record: Value =
        serde_json::from_str(&std::fs::read_to_string(e.engine.home().path().join("sandbox.json")).unwrap()).unwrap();
    assert_eq!(record["gateway_url"], sandbox.gateway_url());
    let secret = AttestSecret::from_hex(record["secret"].as_str().unwrap()).unwrap();
    let challenge = [7u8; attest::LEN];
    let (status, body) = e.call(e.http.post(&url).json(&json!({ "challenge": attest::to_hex(&challenge) }))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(secret.verify(&challenge, body["proof"].as_str().unwrap()));
    assert!(!secret.verify(&[8u8; attest::LEN], body["proof"].as_str().unwrap()));

    for bad in [json!({}), json!({ "challenge": "xyz" }), json!({ "challenge": "0".repeat(63) }), json!([1, 2])] {
        let (status, code) = e.refused(e.http.post(&url).json(&bad)).await;
        assert_eq!((status, code.as_str()), (StatusCode::BAD_REQUEST, "invalid_body"), "{bad}");
    }
    let (status, code) = e.refused(e.http.get(&url)).await;
    assert_eq!((status, code.as_str()), (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"));
    let (status, code) = e.refused(e.http.post(&url).body(vec![b'a'; 8 * 1024])).await;
    assert_eq!((status, code.as_str()), (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"));
}
