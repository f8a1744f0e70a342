//! Runs the real `keyport` binary against a temporary home.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct Cli {
    pub home: tempfile::TempDir,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", self.stdout))
    }

    /// The code of a one-line `error[code]: message`.
    pub fn error_code(&self) -> String {
        let line = self.stderr.trim();
        assert_eq!(line.lines().count(), 1, "errors are one line: {line:?}");
        let rest = line.strip_prefix("error[").unwrap_or_else(|| panic!("not a coded error: {line:?}"));
        rest[..rest.find(']').unwrap()].to_string()
    }

    pub fn ok(self) -> Run {
        assert_eq!(self.code, 0, "command failed: {}{}", self.stdout, self.stderr);
        self
    }
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_keyport"))
}

impl Cli {
    pub fn new() -> Cli {
        Cli { home: tempfile::tempdir().unwrap() }
    }

    pub fn path(&self) -> &Path {
        self.home.path()
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(bin());
        cmd.arg("--home").arg(self.home.path()).args(args).env_remove("KEYPORT_HOME");
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.command(args).output().expect("run keyport").into()
    }

    pub fn create_account(&self, mage_id: &str, name: &str, model: &str) -> serde_json::Value {
        self.run(&[
            "account",
            "create",
            "--mage-id",
            mage_id,
            "--name",
            name,
            "--edition",
            "adobe_commerce",
            "--operating-model",
            model,
            "--json",
        ])
        .ok()
        .json()
    }
}
