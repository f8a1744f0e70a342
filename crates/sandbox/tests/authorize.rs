//! `POST /keyport/v1/authorize` (Keyport's extension) over real HTTP: every
//! operating model × feature × merchant, scoped and unscoped keys, and every
//! malformed or unauthenticated request refused with its code.

mod common;

use std::net::SocketAddr;

use keyport_engine::core::scope::Feature;
use keyport_engine::core::{Environment, OperatingModel};
use keyport_engine::model::{ApiKeyInfo, NewAccount, NewScope};
use keyport_engine::{Engine, Home};
use keyport_sandbox::Sandbox;
use reqwest::StatusCode;
use serde_json::{Value, json};

use common::{connector_token, key_with_pem};

/// A concrete request path of each feature.
fn path_of(feature: Feature) -> &'static str {
    match feature {
        Feature::ListTokens => "/tokens",
        Feature::GetToken => "/tokens/tok_123",
        Feature::GetTokenPaymentData => "/tokens/tok_123/payment-data",
        Feature::ForwardPaymentData => "/payment-data/pd_9/forward",
        Feature::Forward => "/forward",
    }
}

struct Caller {
    key: ApiKeyInfo,
    pem: String,
}

struct Gateway {
    _home: tempfile::TempDir,
    engine: Engine,
    _sandbox: Sandbox,
    url: String,
    http: reqwest::Client,
}

impl Gateway {
    async fn start() -> Gateway {
        let home = tempfile::tempdir().unwrap();
        let engine = Engine::open(Home::existing(home.path()).unwrap()).await.unwrap();
        let sandbox = Sandbox::start(engine.clone(), "127.0.0.1:0".parse::<SocketAddr>().unwrap()).await.unwrap();
        let url = format!("{}keyport/v1/authorize", sandbox.gateway_url());
        Gateway { _home: home, engine, _sandbox: sandbox, url, http: reqwest::Client::new() }
    }

    /// An account of `model`, with merchants "Shop A" and "Shop B" when the model has merchants.
    async fn account(&self, mage: &str, model: OperatingModel) {
        let input = NewAccount {
            mage_id: mage.into(),
            name: format!("Account {mage}"),
            edition: keyport_engine::core::Edition::AdobeCommerce,
            operating_model: model,
        };
        self.engine.create_account(input).await.unwrap();
        if model.has_merchants() {
            self.engine.add_merchant(mage, "Shop A").await.unwrap();
            self.engine.add_merchant(mage, "Shop B").await.unwrap();
        }
    }

    async fn caller(&self, mage: &str, label: &str, scope: Option<NewScope>) -> Caller {
        let (key, pem) = key_with_pem(&self.engine, mage, Environment::Production, label, scope).await;
        Caller { key, pem }
    }

    fn post(&self, caller: &Caller) -> reqwest::RequestBuilder {
        self.http
            .post(&self.url)
            .header("x-api-key", caller.key.api_key.as_str())
            .header("x-gw-signature", connector_token(&caller.pem))
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> (StatusCode, Value) {
        let response = request.send().await.unwrap();
        let status = response.status();
        (status, response.json::<Value>().await.unwrap_or(Value::Null))
    }

    /// The decision for one request; it must be a 200 with a reason.
    async fn ask(&self, caller: &Caller, method: &str, path: &str, merchant: Option<&str>) -> bool {
        let mut body = json!({ "method": method, "path": path });
        if let Some(m) = merchant {
            body["merchant"] = json!(m);
        }
        let (status, answer) = self.send(self.post(caller).json(&body)).await;
        assert_eq!(status, StatusCode::OK, "{method} {path} {merchant:?}: {answer}");
        assert!(answer["reason"].as_str().is_some_and(|r| !r.is_empty()), "every answer says why: {answer}");
        answer["allowed"].as_bool().unwrap()
    }

    /// A refusal: its status and code, with a message.
    async fn refused(&self, request: reqwest::RequestBuilder) -> (StatusCode, String) {
        let (status, body) = self.send(request).await;
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "{body}");
        (status, body["code"].as_str().unwrap_or_default().to_string())
    }
}

#[tokio::test]
async fn every_model_feature_and_merchant_is_decided_as_seed_004_says() {
    let g = Gateway::start().await;
    let models = [
        ("MAG000000001", OperatingModel::Ecosystem),
        ("MAG000000002", OperatingModel::ManagedEcosystem),
        ("MAG000000003", OperatingModel::PrimaryMerchant),
        ("MAG000000004", OperatingModel::PlatformMarketplace),
    ];
    for (mage, model) in models {
        g.account(mage, model).await;
        let offered = Feature::offered_by(model);
        let unscoped = g.caller(mage, "full", None).await;
        // A scoped key of every feature its model offers, for Shop A only.
        let scoped = if offered.is_empty() {
            None
        } else {
            let scope = NewScope { merchants: vec!["Shop A".into()], features: offered.to_vec() };
            Some(g.caller(mage, "scoped", Some(scope)).await)
        };
        let merchants: &[&str] = if model.has_merchants() { &["Shop A", "Shop B"] } else { &[] };
        for &feature in Feature::ALL {
            let (method, path) = (feature.method(), path_of(feature));
            for merchant in merchants.iter().map(|m| Some(*m)).chain([None, Some("Nobody")]) {
                let known = merchant.is_none_or(|m| merchants.contains(&m));
                assert_eq!(
                    g.ask(&unscoped, method, path, merchant).await,
                    known,
                    "{model:?} unscoped {feature:?} {merchant:?}"
                );
                if let Some(scoped) = &scoped {
                    let allowed = offered.contains(&feature) && merchant == Some("Shop A");
                    assert_eq!(
                        g.ask(scoped, method, path, merchant).await,
                        allowed,
                        "{model:?} scoped {feature:?} {merchant:?}"
                    );
                }
            }
            // The method is part of the feature.
            let other = if method == "GET" { "POST" } else { "GET" };
            if let Some(scoped) = &scoped {
                assert!(!g.ask(scoped, other, path, Some("Shop A")).await, "{model:?} {other} {path}");
            }
        }
        // A path that is no feature: full access for an unscoped key, none for a scoped one.
        assert!(g.ask(&unscoped, "GET", "/merchant-registry/v1/ping", None).await);
        if let Some(scoped) = &scoped {
            assert!(!g.ask(scoped, "GET", "/tokens/a/b", Some("Shop A")).await);
            assert!(
                g.ask(scoped, "post", "/forward/", Some("shop a")).await,
                "case and a trailing slash do not matter"
            );
        }
    }
}

#[tokio::test]
async fn the_answer_names_the_feature_and_the_reason() {
    let g = Gateway::start().await;
    g.account("MAG000000001", OperatingModel::Ecosystem).await;
    let scope = NewScope { merchants: vec!["Shop A".into()], features: vec![Feature::Forward] };
    let scoped = g.caller("MAG000000001", "forwarder", Some(scope)).await;
    let body = json!({"method": "GET", "path": "/tokens/tok_1", "merchant": "Shop A"});
    let (status, answer) = g.send(g.post(&scoped).json(&body)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(answer["allowed"], json!(false));
    assert_eq!(answer["feature"], json!("get_token"));
    assert!(answer["reason"].as_str().unwrap().contains("does not grant"), "{answer}");
}

#[tokio::test]
async fn bad_requests_are_refused_with_their_codes() {
    let g = Gateway::start().await;
    g.account("MAG000000001", OperatingModel::Ecosystem).await;
    let caller = g.caller("MAG000000001", "full", None).await;
    let json_body = |v: Value| g.post(&caller).header("content-type", "application/json").body(v.to_string());
    let cases = [
        (json_body(json!({"method": "GET"})), StatusCode::BAD_REQUEST, "invalid_body"),
        (g.post(&caller).body("not json"), StatusCode::BAD_REQUEST, "invalid_body"),
        (json_body(json!({"method": 5, "path": "/forward"})), StatusCode::BAD_REQUEST, "invalid_body"),
        (json_body(json!({"method": "P0ST", "path": "/forward"})), StatusCode::BAD_REQUEST, "method_malformed"),
        (json_body(json!({"method": "GET\r\nX: y", "path": "/forward"})), StatusCode::BAD_REQUEST, "method_malformed"),
        (json_body(json!({"method": "GET", "path": "forward"})), StatusCode::BAD_REQUEST, "path_malformed"),
        (json_body(json!({"method": "GET", "path": "/tokens/../forward"})), StatusCode::BAD_REQUEST, "path_malformed"),
        (json_body(json!({"method": "GET", "path": "/tokens//x"})), StatusCode::BAD_REQUEST, "path_malformed"),
        (
            json_body(json!({"method": "POST", "path": "/forward", "merchant": "x".repeat(5000)})),
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
        ),
        (
            g.http.post(&g.url).json(&json!({"method": "GET", "path": "/forward"})),
            StatusCode::UNAUTHORIZED,
            "missing_api_key",
        ),
        (
            g.http
                .post(&g.url)
                .header("x-api-key", caller.key.api_key.as_str())
                .json(&json!({"method": "GET", "path": "/forward"})),
            StatusCode::UNAUTHORIZED,
            "missing_signature",
        ),
        (g.http.get(&g.url), StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
    ];
    for (request, status, code) in cases {
        assert_eq!(g.refused(request).await, (status, code.to_string()));
    }
    // A body just under the limit is read.
    let padded = json!({"method": "POST", "path": "/forward", "merchant": "", "pad": "x".repeat(3900)});
    assert!(g.send(g.post(&caller).json(&padded)).await.0.is_success());
}

#[tokio::test]
async fn a_revoked_key_is_refused_before_anything_is_decided() {
    let g = Gateway::start().await;
    g.account("MAG000000001", OperatingModel::Ecosystem).await;
    let scope = NewScope { merchants: vec!["Shop A".into()], features: vec![Feature::Forward] };
    let caller = g.caller("MAG000000001", "forwarder", Some(scope)).await;
    assert!(g.ask(&caller, "POST", "/forward", Some("Shop A")).await);
    g.engine.revoke_key(&caller.key.id, "leaked").await.unwrap();
    let body = json!({"method": "POST", "path": "/forward", "merchant": "Shop A"});
    assert_eq!(g.refused(g.post(&caller).json(&body)).await, (StatusCode::FORBIDDEN, "key_revoked".to_string()));

    // Switching the account away from the ecosystem models revokes its scoped keys.
    let other = g
        .caller(
            "MAG000000001",
            "second",
            Some(NewScope { merchants: vec!["Shop B".into()], features: vec![Feature::Forward] }),
        )
        .await;
    let warnings = g
        .engine
        .update_account(
            "MAG000000001",
            keyport_engine::model::AccountChanges {
                operating_model: Some(OperatingModel::ManagedEcosystem),
                ..Default::default()
            },
        )
        .await;
    assert!(warnings.is_ok(), "Forward is offered to Managed Ecosystem: nothing to revoke");
    assert!(g.ask(&other, "POST", "/forward", Some("Shop B")).await);
}
