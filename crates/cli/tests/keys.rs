//! `keyport key …` through the real binary: real RSA keys, real files, the
//! real keychain.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::process::Command;

use common::{Cli, Run, bin};

fn cli_with_account() -> Cli {
    let cli = Cli::new();
    cli.create_account("MAG000000001", "Acme", "primary_merchant");
    cli
}

fn out_dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn key_count(cli: &Cli) -> usize {
    cli.run(&["key", "list", "--json"]).ok().json().as_array().unwrap().len()
}

#[test]
fn create_writes_the_one_time_file_and_lists_the_key() {
    let cli = cli_with_account();
    let dir = out_dir();
    let file = dir.path().join("privateKey-production.pem");
    let created = cli
        .run(&[
            "key",
            "create",
            "--env",
            "production",
            "--label",
            "staging CI",
            "--out",
            file.to_str().unwrap(),
            "--json",
        ])
        .ok()
        .json();
    for field in
        ["id", "label", "environment", "api_key", "fingerprint", "bits", "status", "created_at", "private_key_file"]
    {
        assert!(!created[field].is_null(), "{field} missing in {created}");
    }
    assert_eq!(created["environment"], "production");
    assert_eq!(created["bits"], 2048);
    assert_eq!(created["status"], "active");
    assert_eq!(created["download_pending"], false);
    assert!(created["api_key"].as_str().unwrap().starts_with("kp_prod_"));
    assert!(std::fs::read_to_string(&file).unwrap().starts_with("-----BEGIN PRIVATE KEY-----"));
    assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);

    let id = created["id"].as_str().unwrap();
    let api_key = created["api_key"].as_str().unwrap();
    assert_eq!(cli.run(&["key", "show", api_key, "--json"]).ok().json()["id"], id);
    let text = cli.run(&["key", "list"]).ok().stdout;
    assert!(text.contains("staging CI") && text.contains(api_key), "{text}");

    cli.run(&["key", "relabel", id, "--label", "Staging CI (old)"]).ok();
    let revoked = cli.run(&["key", "revoke", id, "--reason", "rotated", "--json"]).ok().json();
    assert_eq!(revoked["status"], "revoked");
    assert_eq!(revoked["label"], "Staging CI (old)");
    assert_eq!(revoked["revoke_reason"], "rotated");
    let sandbox = dir.path().join("privateKey-sandbox.pem");
    cli.run(&[
        "key",
        "create",
        "--env",
        "sandbox",
        "--label",
        "x",
        "--bits",
        "3072",
        "--out",
        sandbox.to_str().unwrap(),
    ])
    .ok();
    let only_sandbox = cli.run(&["key", "list", "--env", "sandbox", "--json"]).ok().json();
    assert_eq!(only_sandbox.as_array().unwrap().len(), 1);
    assert_eq!(only_sandbox[0]["bits"], 3072);
}

#[test]
fn create_refuses_to_overwrite_and_records_nothing() {
    let cli = cli_with_account();
    let dir = out_dir();
    let file = dir.path().join("privateKey-production.pem");
    std::fs::write(&file, "my precious").unwrap();
    let run = cli.run(&["key", "create", "--env", "production", "--label", "x", "--out", file.to_str().unwrap()]);
    assert_eq!(run.error_code(), "file_exists");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "my precious");
    assert_eq!(key_count(&cli), 0);
}

#[test]
fn bad_key_arguments_get_coded_errors_and_change_nothing() {
    let cli = cli_with_account();
    let dir = out_dir();
    let out = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let (a, b, c, d, e, f) =
        (out("a.pem"), out("b.pem"), out("c.pem"), out("d.pem"), out("missing/e.pem"), out("f.pem"));
    let long_label = "l".repeat(65);
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["key", "create", "--env", "production", "--label", "", "--out", &a], "empty_value"),
        (vec!["key", "create", "--env", "production", "--label", &long_label, "--out", &a], "value_too_long"),
        (
            vec!["key", "create", "--env", "production", "--label", "x", "--bits", "1024", "--out", &b],
            "unsupported_key_size",
        ),
        (
            vec!["key", "create", "--env", "production", "--label", "x", "--bits", "big", "--out", &b],
            "invalid_arguments",
        ),
        (vec!["key", "create", "--env", "prod", "--label", "x", "--out", &c], "unknown_environment"),
        (vec!["key", "create", "--env", "production", "--label", "x"], "invalid_arguments"),
        (vec!["key", "create", "--env", "production", "--label", "x", "--out", &e], "folder_missing"),
        (
            vec!["key", "create", "--env", "production", "--label", "x", "--out", &d, "--account", "MAG999999999"],
            "account_not_found",
        ),
        (vec!["key", "show", "no-such-key"], "key_not_found"),
        (vec!["key", "revoke", "kp_prod_unknown", "--reason", "x"], "key_not_found"),
        (vec!["key", "relabel", "nope", "--label", "x"], "key_not_found"),
        (vec!["key", "download", "nope", "--out", &f], "key_not_found"),
        (vec!["key", "discard", "nope"], "key_not_found"),
        (vec!["key", "list", "--env", "staging"], "unknown_environment"),
    ];
    for (args, code) in cases {
        let run = cli.run(&args);
        assert_eq!(run.error_code(), code, "{args:?}");
    }
    assert_eq!(key_count(&cli), 0);
    assert!(common_files(dir.path()).is_empty(), "no file was left behind: {:?}", common_files(dir.path()));

    // A duplicate active label.
    cli.run(&["key", "create", "--env", "production", "--label", "dup", "--out", &a]).ok();
    assert_eq!(
        cli.run(&["key", "create", "--env", "production", "--label", "DUP", "--out", &b]).error_code(),
        "label_taken"
    );
    assert!(!std::path::Path::new(&b).exists());
    let id = cli.run(&["key", "list", "--json"]).ok().json()[0]["id"].as_str().unwrap().to_string();
    assert_eq!(cli.run(&["key", "revoke", &id, "--reason", ""]).error_code(), "empty_value");
    assert_eq!(cli.run(&["key", "download", &id, "--out", &f]).error_code(), "already_delivered");
    assert_eq!(cli.run(&["key", "discard", &id]).error_code(), "already_delivered");
}

fn common_files(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect()
}

#[test]
fn a_full_disk_leaves_no_partial_file_and_no_key() {
    // A real full file system: a 64 KiB tmpfs, filled up, in a private mount
    // namespace so nothing on the machine changes.
    let cli = cli_with_account();
    let mount_point = out_dir();
    let script = r#"
        mount -t tmpfs -o size=64k keyport-test "$1" || exit 90
        dd if=/dev/zero of="$1/filler" bs=4096 >/dev/null 2>&1
        "$2" --home "$3" key create --env production --label full --out "$1/privateKey-production.pem"
        rc=$?
        echo "left: $(ls -A "$1" | tr '\n' ' ')"
        exit $rc
    "#;
    let root = Command::new("id").arg("-u").output().unwrap().stdout.starts_with(b"0\n");
    let mut cmd = Command::new("unshare");
    cmd.arg(if root { "-m" } else { "-rm" });
    let run: Run = cmd
        .args(["sh", "-c", script, "sh"])
        .arg(mount_point.path())
        .arg(bin())
        .arg(cli.path())
        .output()
        .unwrap()
        .into();
    assert_ne!(run.code, 90, "could not mount a tmpfs in a private namespace: {}", run.stderr);
    assert_eq!(run.stderr.lines().last().unwrap_or(""), run.stderr.trim(), "{}", run.stderr);
    assert!(run.stderr.starts_with("error[disk_full]: The disk is full"), "{}", run.stderr);
    assert_eq!(run.stdout.trim(), "left: filler", "no partial or temporary file is left");
    assert_eq!(key_count(&cli), 0, "no key was recorded");
}

#[test]
fn keeping_in_an_unreachable_keychain_fails_cleanly() {
    let cli = cli_with_account();
    let dir = out_dir();
    let file = dir.path().join("k.pem");
    let run: Run = cli
        .command(&[
            "key",
            "create",
            "--env",
            "sandbox",
            "--label",
            "x",
            "--out",
            file.to_str().unwrap(),
            "--keep-in-keychain",
        ])
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/keyport-test-bus")
        .output()
        .unwrap()
        .into();
    assert_eq!(run.error_code(), "keychain_unavailable");
    assert!(!file.exists());
    assert_eq!(key_count(&cli), 0);

    // Without the keychain option the keychain is not needed at all.
    let run: Run = cli
        .command(&["key", "create", "--env", "sandbox", "--label", "x", "--out", file.to_str().unwrap()])
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/keyport-test-bus")
        .output()
        .unwrap()
        .into();
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[tokio::test]
async fn pending_keys_from_the_app_are_downloaded_or_discarded_from_the_cli() {
    use keyport_engine::core::Environment;
    use keyport_engine::model::NewKey;
    let cli = cli_with_account();
    // The app creates pending keys; do the same through the engine.
    let engine = keyport_engine::Engine::open(keyport_engine::Home::existing(cli.path()).unwrap()).await.unwrap();
    let a = engine
        .create_key(
            "MAG000000001",
            NewKey { environment: Environment::Production, label: "a".into(), bits: 2048, scope: None },
        )
        .await
        .unwrap();
    let b = engine
        .create_key(
            "MAG000000001",
            NewKey { environment: Environment::Sandbox, label: "b".into(), bits: 2048, scope: None },
        )
        .await
        .unwrap();
    engine.close().await;

    let pending = cli.run(&["key", "pending", "--json"]).ok().json();
    assert_eq!(pending.as_array().unwrap().len(), 2);
    let dir = out_dir();
    let file = dir.path().join("a.pem");
    let delivered = cli.run(&["key", "download", &a.id, "--out", file.to_str().unwrap(), "--json"]).ok().json();
    assert_eq!(delivered["private_key_file"], file.to_str().unwrap());
    assert!(std::fs::read_to_string(&file).unwrap().contains("BEGIN PRIVATE KEY"));
    let discarded = cli.run(&["key", "discard", b.api_key.as_str(), "--json"]).ok().json();
    assert_eq!(discarded["status"], "revoked");
    assert_eq!(discarded["revoke_reason"], "private key discarded");
    assert_eq!(cli.run(&["key", "pending", "--json"]).ok().json(), serde_json::json!([]));
}

#[test]
fn list_filters_by_status_sorts_and_shows_last_validation() {
    let cli = cli_with_account();
    let dir = out_dir();
    for label in ["bravo", "alpha"] {
        let file = dir.path().join(format!("{label}.pem"));
        cli.run(&["key", "create", "--env", "sandbox", "--label", label, "--out", file.to_str().unwrap()]).ok();
    }
    let bravo =
        cli.run(&["key", "list", "--search", "bravo", "--json"]).ok().json()[0]["id"].as_str().unwrap().to_string();
    cli.run(&["key", "revoke", &bravo, "--reason", "rotated"]).ok();
    let labels = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["key", "list", "--json"];
        all.extend_from_slice(args);
        cli.run(&all).ok().json().as_array().unwrap().iter().map(|k| k["label"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(labels(&["--status", "revoked"]), ["bravo"]);
    assert_eq!(labels(&["--status", "active"]), ["alpha"]);
    assert!(labels(&["--status", "awaiting-download"]).is_empty());
    assert_eq!(labels(&["--sort", "label"]), ["alpha", "bravo"]);
    assert_eq!(labels(&["--sort", "label", "--descending"]), ["bravo", "alpha"]);

    let text = cli.run(&["key", "list"]).ok().stdout;
    assert!(text.contains("LAST VALIDATED") && text.contains("never"), "{text}");
    let shown = cli.run(&["key", "show", &bravo]).ok().stdout;
    assert!(shown.contains("Last validated:  never"), "{shown}");
    assert!(shown.contains("Age:") && shown.contains("less than a minute"), "{shown}");

    // Bad values are usage errors that change nothing.
    for bad in [&["--status", "pending"][..], &["--sort", "fingerprint"], &["--descending"]] {
        let mut args = vec!["key", "list"];
        args.extend_from_slice(bad);
        let run = cli.run(&args);
        assert_eq!((run.code, run.error_code().as_str()), (2, "invalid_arguments"), "{bad:?}");
    }
}
