//! Where this home's sandbox serves, and proof of it (port squatting).
//!
//! The app and `keyport sandbox serve` write `sandbox.json` into the home:
//! the gateway URL they actually listen on (9393, or the free port they
//! moved to) and the secret of [`keyport_core::attest`]. A client that
//! defaults to "this home's sandbox" (`keyport key validate`) reads it and
//! sends the key only after the process at that address has answered a
//! fresh challenge, so a program of another local user on 127.0.0.1:9393
//! receives neither the API key nor a token.

use std::io::{ErrorKind, Write};
use std::path::PathBuf;
use std::time::Duration;

use keyport_core::attest::{self, AttestSecret};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::{EngineError, Result};
use crate::home::Home;

/// The file in the home that names the running sandbox.
pub const SERVED_FILE: &str = "sandbox.json";

/// The attestation endpoint, relative to the gateway URL.
pub const ATTEST_PATH: &str = "keyport/v1/attest";

#[derive(Serialize, Deserialize)]
struct Served {
    gateway_url: String,
    pid: u32,
    secret: String,
}

#[derive(Serialize, Deserialize)]
pub struct AttestRequest {
    pub challenge: String,
}

#[derive(Serialize, Deserialize)]
pub struct AttestAnswer {
    pub proof: String,
}

impl Home {
    fn served_path(&self) -> PathBuf {
        self.path().join(SERVED_FILE)
    }

    /// Records that a sandbox with `secret` serves this home at
    /// `gateway_url`: written whole (temporary file and rename), mode 0600.
    pub fn publish_sandbox(&self, gateway_url: &str, secret: &AttestSecret) -> Result<()> {
        let url = serde_json::to_string(gateway_url).map_err(|e| EngineError::Database(e.to_string()))?;
        let secret = secret.to_hex();
        let text = Zeroizing::new(format!(
            "{{\"gateway_url\":{url},\"pid\":{},\"secret\":\"{}\"}}\n",
            std::process::id(),
            secret.as_str()
        ));
        let cannot = |e: std::io::Error| EngineError::io(format!("Cannot write {}", self.served_path().display()), e);
        // tempfile creates the file 0600.
        let mut file = tempfile::Builder::new().prefix(".sandbox-").tempfile_in(self.path()).map_err(cannot)?;
        file.write_all(text.as_bytes()).and_then(|()| file.as_file().sync_all()).map_err(cannot)?;
        file.persist(self.served_path()).map_err(|e| cannot(e.error))?;
        Ok(())
    }

    /// Removes the record when it still names `gateway_url` (a sandbox that
    /// stops; another that took over keeps its own).
    pub fn withdraw_sandbox(&self, gateway_url: &str) {
        if self.read_served().ok().flatten().is_some_and(|s| s.gateway_url == gateway_url) {
            let _ = std::fs::remove_file(self.served_path());
        }
    }

    fn read_served(&self) -> Result<Option<Served>> {
        let path = self.served_path();
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => Zeroizing::new(text),
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(EngineError::io(format!("Cannot read {}", path.display()), e)),
        };
        // A torn or foreign file is as good as none: nothing to attest with.
        Ok(serde_json::from_str(&text).ok())
    }

    /// The gateway URL of the sandbox serving this home, once the process
    /// listening there has proven it holds the home's secret.
    pub async fn served_gateway(&self) -> Result<String> {
        let no_sandbox = |detail: String| EngineError::NoHomeSandbox { home: self.path().to_path_buf(), detail };
        let Some(served) = self.read_served()? else {
            return Err(no_sandbox("it has no running sandbox recorded".into()));
        };
        let secret = Zeroizing::new(served.secret);
        let secret =
            AttestSecret::from_hex(&secret).ok_or_else(|| no_sandbox("its sandbox record is damaged".into()))?;
        let url = served.gateway_url;
        let challenge = attest::challenge(&mut rand::rngs::OsRng);
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(5))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| EngineError::GatewayUnreachable(url.clone(), e.to_string()))?;
        let attest_url = format!("{}/{ATTEST_PATH}", url.trim_end_matches('/'));
        let response =
            match http.post(&attest_url).json(&AttestRequest { challenge: attest::to_hex(&challenge) }).send().await {
                Ok(response) => response,
                Err(e) if e.is_connect() => {
                    return Err(no_sandbox(format!(
                        "nothing answers at {url}, where its sandbox was (the app has stopped?)"
                    )));
                }
                Err(_) => return Err(EngineError::GatewayUnattributed(url)),
            };
        let answer: Option<AttestAnswer> =
            if response.status().is_success() { response.json().await.ok() } else { None };
        match answer {
            Some(answer) if secret.verify(&challenge, &answer.proof) => Ok(url),
            _ => Err(EngineError::GatewayUnattributed(url)),
        }
    }
}
