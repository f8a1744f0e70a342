//! A Commerce Services client speaking the Connector's protocol: it signs a
//! JWT with the private key exactly as magento/services-connector does and
//! calls the gateway's key check (`GET merchant-registry/v1/ping`).

use std::time::Duration;

use keyport_core::keys::KeyPair;
use keyport_core::{ApiKey, ErrorCode, jwt};
use serde::Serialize;
use ts_rs::TS;

use crate::clock::Clock;
use crate::error::{EngineError, Result};

/// The local sandbox's default address (`keyport sandbox serve`, the app).
pub const SANDBOX_DEFAULT_BIND: &str = "127.0.0.1:9393";

/// The gateway URL of the local sandbox at its default address.
pub fn default_gateway() -> String {
    format!("http://{SANDBOX_DEFAULT_BIND}/")
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct PingOutcome {
    pub gateway: String,
    pub api_key: ApiKey,
    pub status: u16,
}

/// Validates a key pair against `gateway` like the Connector's "Save"
/// does. A refusal carries the gateway's status and its own code.
pub async fn ping_gateway(
    clock: &dyn Clock,
    gateway: &str,
    api_key: &str,
    private_key_pem: &str,
) -> Result<PingOutcome> {
    let api_key = ApiKey::parse(api_key)?;
    let pair = KeyPair::from_pem(private_key_pem)?.pair;
    let base = gateway.trim();
    let url = format!("{}/merchant-registry/v1/ping", base.trim_end_matches('/'));
    let token = jwt::sign(&pair, &jwt::connector_claims(clock.now().unix_timestamp()));
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        // The signature is a bearer credential for 300 s: never hand it to
        // whatever a redirect points at.
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("Keyport/", env!("CARGO_PKG_VERSION"), " (Magento Services Connector protocol)"))
        .build()
        .map_err(|e| EngineError::GatewayUnreachable(base.to_string(), e.to_string()))?;
    let response = client
        .get(&url)
        .header("x-api-key", api_key.as_str())
        .header("magento-api-key", api_key.as_str())
        .header("x-gw-signature", token)
        .header("content-type", "application/json")
        .send()
        .await
        .map_err(|e| EngineError::GatewayUnreachable(base.to_string(), without_url(&e)))?;
    let status = response.status().as_u16();
    if status == 200 {
        return Ok(PingOutcome { gateway: base.to_string(), api_key, status });
    }
    // Commerce Services answer errors as JSON with a "message" (and, from
    // Keyport's sandbox, a "code").
    let body: serde_json::Value = response.json().await.unwrap_or_default();
    let message =
        body["message"].as_str().or(body["error"]["message"].as_str()).unwrap_or("no reason given").to_string();
    let code = body["code"].as_str().and_then(ErrorCode::parse).unwrap_or(ErrorCode::GatewayRefused);
    Err(EngineError::GatewayRefused { status, code, message })
}

fn without_url(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    if let Some(source) = std::error::Error::source(e) {
        text = format!("{text}: {source}");
    }
    text
}
