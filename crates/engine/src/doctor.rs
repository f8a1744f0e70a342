//! `keyport doctor` and the app's Help › About: the checks of an open home,
//! each with what it found. Settles what interrupted operations left behind
//! (files, keychain entries), as the app's start does.

use serde::Serialize;
use ts_rs::TS;

use crate::Engine;

/// One line of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DoctorCheck {
    /// `home`, `database`, `files`, `keychain` or `cleanup`.
    pub name: String,
    pub ok: bool,
    pub detail: String,
}

impl DoctorCheck {
    pub fn new(name: &str, outcome: std::result::Result<String, String>) -> DoctorCheck {
        let ok = outcome.is_ok();
        DoctorCheck { name: name.to_string(), ok, detail: outcome.unwrap_or_else(|e| e) }
    }

    /// `ok   database  …` / `FAIL keychain  …`, as the CLI prints it.
    pub fn line(&self) -> String {
        format!("{} {:<9} {}", if self.ok { "ok  " } else { "FAIL" }, self.name, self.detail)
    }
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl Engine {
    /// The checks after the home opened: the database, leftover files, the
    /// keychain and leftover keychain entries (only when it answers).
    pub async fn doctor(&self) -> Vec<DoctorCheck> {
        let mut checks = vec![DoctorCheck::new("home", Ok(self.home.path().display().to_string()))];
        checks.push(DoctorCheck::new(
            "database",
            self.durability()
                .await
                .map(|(journal, sync)| {
                    format!(
                        "{} ({journal}, synchronous={sync}, SQLite {})",
                        self.home.db_path().display(),
                        rusqlite::version()
                    )
                })
                .map_err(|e| e.to_string()),
        ));
        // Temporary and replaced files an interrupted download left in a folder.
        checks.push(DoctorCheck::new(
            "files",
            self.reconcile_files()
                .await
                .map(|n| format!("{} settled", plural(u64::from(n), "leftover file", "leftover files")))
                .map_err(|e| e.to_string()),
        ));
        let status = self.secrets.status().await;
        match status.message {
            Some(message) if !status.available => checks.push(DoctorCheck::new("keychain", Err(message))),
            _ => {
                checks.push(DoctorCheck::new(
                    "keychain",
                    Ok(format!("Secret Service, entries under {}", self.secrets.service())),
                ));
                // Copies an interrupted or refused clean-up left behind.
                checks.push(DoctorCheck::new(
                    "cleanup",
                    self.reconcile_keychain()
                        .await
                        .map(|n| {
                            format!(
                                "{} removed",
                                plural(u64::from(n), "leftover keychain entry", "leftover keychain entries")
                            )
                        })
                        .map_err(|e| e.to_string()),
                ));
            }
        }
        checks
    }
}
