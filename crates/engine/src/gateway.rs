//! A Commerce Services client speaking the Connector's protocol: every
//! request carries the API key (`x-api-key`, `magento-api-key`) and a fresh
//! RS256 JWT signed with the private key exactly as
//! magento/services-connector makes it (`x-gw-signature`). It calls the key
//! check (`merchant-registry/v1/ping`) and the registry.

use std::sync::Arc;
use std::time::Duration;

use keyport_core::keys::KeyPair;
use keyport_core::text::{clean, is_invisible};
use keyport_core::{ApiKey, ErrorCode, Field, jwt};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use ts_rs::TS;

use crate::clock::Clock;
use crate::error::{EngineError, Result};
use crate::model::RegistryRow;

/// The local sandbox's default address (`keyport sandbox serve`, the app).
pub const SANDBOX_DEFAULT_BIND: &str = "127.0.0.1:9393";

/// Where the app's sandbox listens: `$KEYPORT_SANDBOX_BIND`, else the default.
pub fn sandbox_bind() -> String {
    std::env::var("KEYPORT_SANDBOX_BIND").ok().filter(|b| !b.trim().is_empty()).unwrap_or(SANDBOX_DEFAULT_BIND.into())
}

/// The gateway URL of the app's sandbox at its configured address.
pub fn default_gateway() -> String {
    format!("http://{}/", sandbox_bind())
}

/// The app's sandbox URL when it is the same from one start to the next
/// (what exports for Magento name); `None` when the configuration asks for
/// any free port.
pub fn configured_gateway() -> Option<String> {
    let bind = sandbox_bind();
    (!bind.trim().ends_with(":0")).then(|| format!("http://{}/", bind.trim()))
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct PingOutcome {
    pub gateway: String,
    pub api_key: ApiKey,
    pub status: u16,
}

/// A client for one gateway and one key pair.
pub struct GatewayClient {
    base: String,
    api_key: String,
    pair: KeyPair,
    clock: Arc<dyn Clock>,
    http: reqwest::Client,
}

impl GatewayClient {
    pub fn new(clock: Arc<dyn Clock>, gateway: &str, api_key: &str, pair: KeyPair) -> Result<GatewayClient> {
        let base = gateway.trim().trim_end_matches('/').to_string();
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            // The signature is a bearer credential for 300 s: never hand it to
            // whatever a redirect points at.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("Keyport/", env!("CARGO_PKG_VERSION"), " (Magento Services Connector protocol)"))
            .build()
            .map_err(|e| EngineError::GatewayUnreachable(base.clone(), e.to_string()))?;
        Ok(GatewayClient { base, api_key: api_key.trim().to_string(), pair, clock, http })
    }

    /// `GET merchant-registry/v1/ping`: 200 means the key pair is entitled.
    pub async fn ping(&self) -> Result<u16> {
        self.request(reqwest::Method::GET, "ping", None).await.map(|(status, _)| status)
    }

    /// The projects and data spaces of the key's account, one row per data space.
    pub async fn registry(&self) -> Result<Vec<RegistryRow>> {
        self.results(reqwest::Method::GET, "registry", None).await
    }

    /// Creates a project (`registry/initialize`); its rows.
    pub async fn initialize(&self, project_name: &str) -> Result<Vec<RegistryRow>> {
        self.results(reqwest::Method::POST, "registry/initialize", Some(json!({ "projectName": project_name }))).await
    }

    /// Renames a project (Keyport's extension of the registry, as services-id 2.x called it).
    pub async fn rename_project(&self, project_id: &str, name: &str) -> Result<Vec<RegistryRow>> {
        let path = format!("registry/projects/{}", encode(project_id));
        self.results(reqwest::Method::PATCH, &path, Some(json!({ "projectName": name }))).await
    }

    /// Renames a data space (the registry's "environment"; Keyport's extension).
    pub async fn rename_data_space(&self, data_space_id: &str, name: &str) -> Result<RegistryRow> {
        let path = format!("registry/environments/{}", encode(data_space_id));
        let (_, body) = self.request(reqwest::Method::PATCH, &path, Some(json!({ "environmentName": name }))).await?;
        self.checked(self.parse(body)?)
    }

    async fn results(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Result<Vec<RegistryRow>> {
        let (_, body) = self.request(method, path, body).await?;
        #[derive(serde::Deserialize)]
        struct Results {
            results: Vec<RegistryRow>,
        }
        self.parse::<Results>(body)?.results.into_iter().map(|row| self.checked(row)).collect()
    }

    /// A registry row fit to show, store and export: names as Keyport's own
    /// names, ids without control characters. A gateway's answer is input.
    fn checked(&self, row: RegistryRow) -> Result<RegistryRow> {
        let id_ok = |id: &str| !id.trim().is_empty() && id.len() <= 128 && !id.chars().any(is_invisible);
        let names = clean(Field::ProjectName, &row.project_name)
            .and_then(|p| Ok((p, clean(Field::DataSpaceName, &row.environment_name)?)))
            .and_then(|names| Ok((names, clean(Field::DataSpaceName, &row.environment_type)?)));
        match names {
            Ok(((project_name, environment_name), environment_type))
                if id_ok(&row.project_id) && id_ok(&row.environment_id) =>
            {
                Ok(RegistryRow { project_name, environment_name, environment_type, ..row })
            }
            _ => Err(EngineError::GatewayRefused {
                status: 200,
                code: ErrorCode::GatewayRefused,
                message: format!(
                    "{} answered with a registry row Keyport cannot use (empty, overlong or control characters)",
                    self.base
                ),
            }),
        }
    }

    fn parse<T: DeserializeOwned>(&self, body: Value) -> Result<T> {
        serde_json::from_value(body).map_err(|e| EngineError::GatewayRefused {
            status: 200,
            code: ErrorCode::GatewayRefused,
            message: format!("{} answered with something that is not a registry answer: {e}", self.base),
        })
    }

    async fn request(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Result<(u16, Value)> {
        let url = format!("{}/merchant-registry/v1/{path}", self.base);
        let token = jwt::sign(&self.pair, &jwt::connector_claims(self.clock.now().unix_timestamp()));
        let mut request = self
            .http
            .request(method, &url)
            .header("x-api-key", &self.api_key)
            .header("magento-api-key", &self.api_key)
            .header("x-gw-signature", token)
            .header("content-type", "application/json");
        if let Some(body) = body {
            request = request.body(body.to_string());
        }
        let response =
            request.send().await.map_err(|e| EngineError::GatewayUnreachable(self.base.clone(), without_url(&e)))?;
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap_or_default();
        if (200..300).contains(&status) {
            return Ok((status, body));
        }
        // Commerce Services answer errors as JSON with a "message" (and, from
        // Keyport's sandbox, a "code").
        // Shown to people and stored: short, one line, no control characters.
        let mut message: String = body["message"]
            .as_str()
            .or(body["error"]["message"].as_str())
            .unwrap_or("no reason given")
            .chars()
            .map(|c| if is_invisible(c) { ' ' } else { c })
            .take(300)
            .collect();
        let raw_code = body["code"].as_str();
        let code = raw_code.and_then(ErrorCode::parse).unwrap_or(ErrorCode::GatewayRefused);
        // A code Keyport does not know stays readable in the message.
        if let Some(raw) = raw_code.filter(|_| code == ErrorCode::GatewayRefused) {
            let raw: String = raw.chars().filter(|c| c.is_ascii_graphic()).take(60).collect();
            message = format!("{message} (gateway code: {raw})");
        }
        Err(EngineError::GatewayRefused { status, code, message })
    }
}

/// A path segment, percent-encoded (ids come from the gateway or a person).
fn encode(segment: &str) -> String {
    segment
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Validates a key pair against `gateway` like the Connector's key check.
/// A refusal carries the gateway's status and its own code.
pub async fn ping_gateway(
    clock: Arc<dyn Clock>,
    gateway: &str,
    api_key: &str,
    private_key_pem: &str,
) -> Result<PingOutcome> {
    let api_key = ApiKey::parse(api_key)?;
    let pair = KeyPair::from_pem(private_key_pem)?.pair;
    let client = GatewayClient::new(clock, gateway, api_key.as_str(), pair)?;
    let status = client.ping().await?;
    Ok(PingOutcome { gateway: gateway.trim().to_string(), api_key, status })
}

fn without_url(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    if let Some(source) = std::error::Error::source(e) {
        text = format!("{text}: {source}");
    }
    text
}
