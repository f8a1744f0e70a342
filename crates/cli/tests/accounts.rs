//! `keyport account|merchant|activity|doctor` through the real binary.

mod common;

use std::process::Command;

use common::{Cli, bin};

#[test]
fn create_list_show_use_edit_round_trip() {
    let cli = Cli::new();
    let a = cli.create_account("mag000000001", "Acme", "primary_merchant");
    assert_eq!(a["mage_id"], "MAG000000001");
    assert_eq!(a["edition"], "adobe_commerce");
    assert_eq!(a["operating_model"], "primary_merchant");
    assert_eq!(a["standing"], "good");
    assert_eq!(a["is_current"], true);
    cli.create_account("MAG000000002", "Beta", "ecosystem");

    let list = cli.run(&["account", "list", "--json"]).ok().json();
    let names: Vec<_> = list.as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Acme", "Beta"]);

    let text = cli.run(&["account", "list"]).ok().stdout;
    assert!(text.contains("*  MAG000000001"), "{text}");

    let beta = cli.run(&["account", "use", "MAG000000002", "--json"]).ok().json();
    assert_eq!(beta["is_current"], true);
    assert_eq!(cli.run(&["account", "show", "--json"]).ok().json()["name"], "Beta");

    let edited = cli
        .run(&[
            "account",
            "edit",
            "--name",
            "Beta GmbH",
            "--standing",
            "suspended",
            "--edition",
            "magento_open_source",
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(edited["name"], "Beta GmbH");
    assert_eq!(edited["standing"], "suspended");
    assert_eq!(edited["edition"], "magento_open_source");
    assert_eq!(cli.run(&["account", "show", "MAG000000001", "--json"]).ok().json()["name"], "Acme");
}

#[test]
fn merchants_from_the_cli() {
    let cli = Cli::new();
    cli.create_account("MAG000000001", "Eco", "managed_ecosystem");
    let m = cli.run(&["merchant", "add", "--name", "Shop One", "--json"]).ok().json();
    assert_eq!(m["name"], "Shop One");
    cli.run(&["merchant", "rename", "shop one", "--name", "Shop 1"]).ok();
    let list = cli.run(&["merchant", "list", "--json"]).ok().json();
    assert_eq!(list[0]["name"], "Shop 1");
    cli.run(&["merchant", "remove", m["id"].as_str().unwrap()]).ok();
    assert_eq!(cli.run(&["merchant", "list", "--json"]).ok().json(), serde_json::json!([]));
}

#[test]
fn bad_arguments_get_one_coded_line_and_change_nothing() {
    let cli = Cli::new();
    cli.create_account("MAG000000001", "Acme", "primary_merchant");
    let before = cli.run(&["account", "list", "--json"]).ok().stdout;

    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "account",
                "create",
                "--mage-id",
                "MAG1",
                "--name",
                "X",
                "--edition",
                "adobe_commerce",
                "--operating-model",
                "ecosystem",
            ],
            "mage_id_malformed",
        ),
        (
            &[
                "account",
                "create",
                "--mage-id",
                "",
                "--name",
                "X",
                "--edition",
                "adobe_commerce",
                "--operating-model",
                "ecosystem",
            ],
            "mage_id_empty",
        ),
        (
            &[
                "account",
                "create",
                "--mage-id",
                "MAG000000001",
                "--name",
                "X",
                "--edition",
                "adobe_commerce",
                "--operating-model",
                "ecosystem",
            ],
            "mage_id_taken",
        ),
        (
            &[
                "account",
                "create",
                "--mage-id",
                "MAG000000009",
                "--name",
                "acme",
                "--edition",
                "adobe_commerce",
                "--operating-model",
                "ecosystem",
            ],
            "name_taken",
        ),
        (
            &[
                "account",
                "create",
                "--mage-id",
                "MAG000000009",
                "--name",
                "",
                "--edition",
                "adobe_commerce",
                "--operating-model",
                "ecosystem",
            ],
            "empty_value",
        ),
        (
            &[
                "account",
                "create",
                "--mage-id",
                "MAG000000009",
                "--name",
                &"x".repeat(101),
                "--edition",
                "adobe_commerce",
                "--operating-model",
                "ecosystem",
            ],
            "value_too_long",
        ),
        (
            &[
                "account",
                "create",
                "--mage-id",
                "MAG000000009",
                "--name",
                "X",
                "--edition",
                "enterprise",
                "--operating-model",
                "ecosystem",
            ],
            "unknown_edition",
        ),
        (
            &[
                "account",
                "create",
                "--mage-id",
                "MAG000000009",
                "--name",
                "X",
                "--edition",
                "adobe_commerce",
                "--operating-model",
                "franchise",
            ],
            "unknown_operating_model",
        ),
        (&["account", "create", "--mage-id", "MAG000000009"], "invalid_arguments"),
        (&["account", "frobnicate"], "invalid_arguments"),
        (&["account", "edit", "--standing", "great"], "unknown_standing"),
        (&["account", "use", "MAG999999999"], "account_not_found"),
        (&["account", "show", "nope"], "account_not_found"),
        (&["merchant", "add", "--name", "Shop"], "merchants_not_allowed"),
        (&["merchant", "list"], "merchants_not_allowed"),
    ];
    for (args, code) in cases {
        let run = cli.run(args);
        assert_ne!(run.code, 0, "{args:?} should fail");
        assert_eq!(run.error_code(), *code, "{args:?}");
        assert!(run.stdout.is_empty(), "nothing on stdout on failure: {}", run.stdout);
    }
    assert_eq!(cli.run(&["account", "list", "--json"]).ok().stdout, before);
}

#[test]
fn json_errors_are_one_json_line() {
    let cli = Cli::new();
    let run = cli.run(&[
        "account",
        "create",
        "--mage-id",
        "bad",
        "--name",
        "X",
        "--edition",
        "adobe_commerce",
        "--operating-model",
        "ecosystem",
        "--json",
    ]);
    assert_eq!(run.code, 2, "an invalid value exits like bad usage");
    let body: serde_json::Value = serde_json::from_str(run.stderr.trim()).unwrap();
    assert_eq!(body["code"], "mage_id_malformed");
    assert!(body["message"].as_str().unwrap().contains("MAG"));
}

#[test]
fn fresh_home_commands_explain_what_to_do() {
    let cli = Cli::new();
    assert_eq!(cli.run(&["account", "show"]).error_code(), "no_account");
    assert!(cli.run(&["account", "list"]).ok().stdout.contains("No accounts yet"));
}

#[test]
fn missing_home_is_refused_and_not_created() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing");
    let run: common::Run =
        Command::new(bin()).arg("--home").arg(&missing).args(["account", "list"]).output().unwrap().into();
    assert_eq!(run.error_code(), "home_missing");
    assert!(!missing.exists());
    // The same through the environment variable.
    let run: common::Run =
        Command::new(bin()).env("KEYPORT_HOME", &missing).args(["account", "list"]).output().unwrap().into();
    assert_eq!(run.error_code(), "home_missing");
}

#[test]
fn the_default_home_is_its_owners_only() {
    use std::os::unix::fs::PermissionsExt;
    let data = tempfile::tempdir().unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let list = || -> common::Run {
        Command::new(bin())
            .env_remove("KEYPORT_HOME")
            .env("XDG_DATA_HOME", data.path())
            .args(["account", "list"])
            .output()
            .unwrap()
            .into()
    };
    list().ok();
    let home = data.path().join("keyport");
    assert_eq!((mode(&home), mode(&home.join("keyport.db"))), (0o700, 0o600));
    // A default home an older Keyport made 0755 is tightened.
    std::fs::set_permissions(&home, std::fs::Permissions::from_mode(0o755)).unwrap();
    list().ok();
    assert_eq!(mode(&home), 0o700);
}

#[test]
fn corrupt_database_is_refused_and_kept() {
    let cli = Cli::new();
    let db = cli.path().join("keyport.db");
    std::fs::write(&db, "definitely not sqlite").unwrap();
    assert_eq!(cli.run(&["account", "list"]).error_code(), "database_corrupt");
    assert_eq!(std::fs::read_to_string(&db).unwrap(), "definitely not sqlite");
}

#[test]
fn parallel_processes_share_one_home_safely() {
    let cli = Cli::new();
    let children: Vec<_> = (1..=8)
        .map(|i| {
            cli.command(&[
                "account",
                "create",
                "--mage-id",
                &format!("MAG{i:09}"),
                "--name",
                &format!("Account {i}"),
                "--edition",
                "magento_open_source",
                "--operating-model",
                "primary_merchant",
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    assert_eq!(cli.run(&["account", "list", "--json"]).ok().json().as_array().unwrap().len(), 8);
    let check = Command::new("sqlite3")
        .args(["-cmd", ".timeout 10000"])
        .arg(cli.path().join("keyport.db"))
        .arg("PRAGMA integrity_check")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&check.stdout).trim(), "ok");
}

#[test]
fn doctor_reports_an_unreachable_keychain_with_its_code() {
    let cli = Cli::new();
    // Point D-Bus at a socket that does not exist: the keychain is gone, the rest works.
    let run: common::Run = cli
        .command(&["doctor"])
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/keyport-test-bus")
        .output()
        .unwrap()
        .into();
    assert_eq!(run.code, 5, "an unavailable keychain has its own exit code");
    assert!(run.stdout.contains("ok   database"), "{}", run.stdout);
    assert_eq!(run.error_code(), "keychain_unavailable");
    assert!(run.stderr.contains("Secret Service"));

    // Accounts still work without a keychain.
    let run: common::Run = cli
        .command(&[
            "account",
            "create",
            "--mage-id",
            "MAG000000001",
            "--name",
            "A",
            "--edition",
            "adobe_commerce",
            "--operating-model",
            "ecosystem",
        ])
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/keyport-test-bus")
        .output()
        .unwrap()
        .into();
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn doctor_passes_in_the_test_keyring_session() {
    let cli = Cli::new();
    let run = cli.run(&["doctor", "--json"]).ok().json();
    assert!(run.as_array().unwrap().iter().all(|c| c["ok"] == true), "{run}");
}
