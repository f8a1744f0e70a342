//! The OS keychain (Secret Service on Linux), namespaced per Keyport home.
//!
//! Entries are stored under the service `keyport:<home id>`, so a test home,
//! a second home and a user's real install never see each other's secrets.
//! keyring's calls block on D-Bus, so each runs on tokio's blocking pool.

use keyport_core::keys::SecretPem;
use serde::Serialize;
use ts_rs::TS;
use zeroize::Zeroizing;

use crate::error::{EngineError, Result};

#[derive(Debug, Clone)]
pub struct Secrets {
    service: String,
}

/// Whether secrets can be stored right now; shown by the app and `keyport doctor`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct KeychainStatus {
    pub available: bool,
    /// Why not, and how to get one, when unavailable.
    pub message: Option<String>,
}

impl Secrets {
    pub(crate) fn new(home_id: &str) -> Secrets {
        Secrets { service: format!("keyport:{home_id}") }
    }

    /// The keychain service name this home's entries live under.
    pub fn service(&self) -> &str {
        &self.service
    }

    pub async fn store(&self, name: &str, secret: &SecretPem) -> Result<()> {
        let value = Zeroizing::new(secret.expose().to_string());
        self.run(name, move |entry| entry.set_password(&value)).await
    }

    pub async fn load(&self, name: &str) -> Result<Option<SecretPem>> {
        let found = self
            .run(name, |entry| match entry.get_password() {
                Ok(v) => Ok(Some(Zeroizing::new(v))),
                Err(keyring::Error::NoEntry) => Ok(None),
                Err(e) => Err(e),
            })
            .await?;
        Ok(found.map(SecretPem::new))
    }

    /// Deletes an entry; `false` when there was none.
    pub async fn delete(&self, name: &str) -> Result<bool> {
        self.run(name, |entry| match entry.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(e) => Err(e),
        })
        .await
    }

    /// Looks up an entry that never exists: reaching the keychain is all
    /// this checks, so nothing is written and no prompt appears.
    pub async fn status(&self) -> KeychainStatus {
        match self.load("keyport-probe").await {
            Ok(_) => KeychainStatus { available: true, message: None },
            Err(e) => KeychainStatus { available: false, message: Some(e.to_string()) },
        }
    }

    async fn run<T, F>(&self, name: &str, op: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&keyring::Entry) -> keyring::Result<T> + Send + 'static,
    {
        let service = self.service.clone();
        let name = name.to_string();
        tokio::task::spawn_blocking(move || {
            let entry = keyring::Entry::new(&service, &name).map_err(map_error)?;
            op(&entry).map_err(map_error)
        })
        .await
        .map_err(|e| EngineError::Keychain(format!("keychain task failed: {e}")))?
    }
}

fn map_error(e: keyring::Error) -> EngineError {
    match e {
        keyring::Error::NoStorageAccess(inner) | keyring::Error::PlatformFailure(inner) => {
            EngineError::KeychainUnavailable(inner.to_string())
        }
        other => EngineError::Keychain(other.to_string()),
    }
}
