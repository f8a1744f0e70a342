//! Shared test fixtures: a fresh Keyport home on the real file system with
//! a real SQLite database, and helpers for folders that refuse writes.
#![allow(dead_code)]

pub mod connector;

use std::path::{Path, PathBuf};
use std::process::Command;

use keyport_engine::model::NewAccount;
use keyport_engine::{Engine, Home, core::Edition, core::OperatingModel};

pub struct TestHome {
    pub dir: tempfile::TempDir,
    pub engine: Engine,
}

impl TestHome {
    pub async fn new() -> TestHome {
        let dir = tempfile::tempdir().expect("temp dir");
        let engine = Engine::open(Home::existing(dir.path()).unwrap()).await.expect("open engine");
        TestHome { dir, engine }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Closes the engine and gives SQLite a moment to let go of the file:
    /// sqlx closes connections on worker threads, and the last one still
    /// checkpoints and removes the WAL after `close()` returns.
    pub async fn close(&self) {
        self.engine.close().await;
        let wal = self.dir.path().join("keyport.db-wal");
        for _ in 0..100 {
            if !wal.exists() {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    /// The bytes of the database and its WAL, to prove nothing changed.
    pub fn snapshot(&self) -> Vec<Vec<u8>> {
        ["keyport.db", "keyport.db-wal"]
            .iter()
            .map(|f| std::fs::read(self.dir.path().join(f)).unwrap_or_default())
            .collect()
    }

    /// A second, independent engine on the same home (as another process would have).
    pub async fn reopen(&self) -> Engine {
        Engine::open(Home::existing(self.dir.path()).unwrap()).await.expect("reopen engine")
    }
}

pub fn new_account(mage_id: &str, name: &str, model: OperatingModel) -> NewAccount {
    NewAccount {
        mage_id: mage_id.to_string(),
        name: name.to_string(),
        edition: Edition::AdobeCommerce,
        operating_model: model,
    }
}

/// Makes a folder refuse new files until dropped. Root ignores permission
/// bits, so as root the folder is made immutable (`chattr +i`) instead.
pub struct ReadOnly(PathBuf);

impl ReadOnly {
    pub fn new(dir: &Path) -> ReadOnly {
        if is_root() {
            let ok = Command::new("chattr").arg("+i").arg(dir).status().map(|s| s.success()).unwrap_or(false);
            assert!(ok, "chattr +i failed: the test folder's file system must support immutable folders");
        } else {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).unwrap();
        }
        ReadOnly(dir.to_path_buf())
    }
}

impl Drop for ReadOnly {
    fn drop(&mut self) {
        if is_root() {
            let _ = Command::new("chattr").arg("-i").arg(&self.0).status();
        } else {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(&self.0, std::fs::Permissions::from_mode(0o755));
        }
    }
}

pub fn is_root() -> bool {
    // SAFETY-free check: the effective uid of this process, via `id -u`.
    Command::new("id").arg("-u").output().map(|o| o.stdout.starts_with(b"0\n")).unwrap_or(false)
}

/// Reads a keychain entry with libsecret's `secret-tool`, a client
/// independent of the keyring crate.
pub fn secret_tool_lookup(service: &str, user: &str) -> Option<String> {
    let out = Command::new("secret-tool")
        .args(["lookup", "service", service, "username", user])
        .output()
        .expect("secret-tool is installed by make test");
    out.status.success().then(|| String::from_utf8(out.stdout).unwrap())
}

/// Runs `openssl` with `args` and returns its stdout (panics on failure).
pub fn openssl(args: &[&str]) -> Vec<u8> {
    let out = Command::new("openssl").args(args).output().expect("openssl is installed by make test");
    assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

/// Names of the files in a folder (to prove no temporary or partial file is left).
pub fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}
