//! Command-line conventions: exit codes by error class, shell completions,
//! manual pages.

mod common;

use std::process::Command;

use common::{Cli, bin};

#[test]
fn each_error_class_has_its_exit_code() {
    let cli = Cli::new();
    cli.create_account("MAG000000001", "Acme", "primary_merchant");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("k.pem");
    let file = file.to_str().unwrap();
    cli.run(&["key", "create", "--env", "sandbox", "--label", "ci", "--out", file]).ok();
    let other = dir.path().join("other.pem");
    let other = other.to_str().unwrap();
    let cases: Vec<(Vec<&str>, i32, &str)> = vec![
        (vec!["key", "create", "--env"], 2, "invalid_arguments"),
        (vec!["key", "create", "--env", "staging", "--label", "x", "--out", other], 2, "unknown_environment"),
        (vec!["key", "show", "kp_sbox_0000000000000000000000000000000000"], 3, "key_not_found"),
        (vec!["account", "show", "MAG999999999"], 3, "account_not_found"),
        (vec!["key", "create", "--env", "sandbox", "--label", "CI", "--out", other], 4, "label_taken"),
        (vec!["key", "create", "--env", "sandbox", "--label", "again", "--out", file], 6, "file_exists"),
    ];
    for (args, exit, code) in cases {
        let run = cli.run(&args);
        assert_eq!((run.code, run.error_code().as_str()), (exit, code), "{args:?}");
    }
    // Nothing was made by the refusals.
    let keys = cli.run(&["key", "list", "--json"]).ok().json();
    assert_eq!(keys.as_array().map(Vec::len), Some(1), "{keys}");
}

#[test]
fn completions_for_bash_zsh_and_fish() {
    for shell in ["bash", "zsh", "fish"] {
        let out = Command::new(bin()).args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        assert!(script.contains("keyport") && script.contains("validate"), "{shell}: {script:.200}");
    }
    // bash parses its script.
    let script = Command::new(bin()).args(["completions", "bash"]).output().unwrap().stdout;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("keyport.bash"), script).unwrap();
    let checked = Command::new("bash").arg("-n").arg(dir.path().join("keyport.bash")).status().unwrap();
    assert!(checked.success());
    let bad = Cli::new().run(&["completions", "powershell-7"]);
    assert_eq!((bad.code, bad.error_code().as_str()), (2, "invalid_arguments"));
}

#[test]
fn manual_pages_for_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(bin()).args(["manpages", "--out"]).arg(dir.path()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut pages: Vec<String> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    pages.sort();
    for page in
        ["keyport.1", "keyport-key.1", "keyport-key-create.1", "keyport-key-validate.1", "keyport-completions.1"]
    {
        assert!(pages.iter().any(|p| p == page), "{page} missing from {pages:?}");
    }
    assert!(!pages.iter().any(|p| p.contains("help") || p.contains("manpages")), "{pages:?}");
    let create = std::fs::read_to_string(dir.path().join("keyport-key-create.1")).unwrap();
    assert!(create.starts_with(".ie") || create.contains(".TH"), "{create:.200}");
    assert!(create.contains("keyport key create") || create.contains("keyport\\-key\\-create"), "{create:.400}");
    // A folder that cannot be written is an I/O failure, exit 1.
    let missing = dir.path().join("missing/sub");
    let run: common::Run = Command::new(bin()).args(["manpages", "--out"]).arg(&missing).output().unwrap().into();
    assert_eq!((run.code, run.error_code().as_str()), (1, "io_error"));
}
