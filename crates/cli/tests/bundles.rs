//! `keyport identity` and `keyport bundle` through the real binary, between
//! two homes, and every bad argument refused with its code.

mod common;

use std::io::Write;
use std::process::Stdio;

use common::Cli;

/// A license holder's home with two keys kept in the keychain.
fn holder() -> (Cli, Vec<String>) {
    let cli = Cli::new();
    cli.create_account("MAG000000001", "Acme Corp", "ecosystem");
    let mut keys = Vec::new();
    for (env, label) in [("sandbox", "staging CI"), ("production", "live")] {
        let out = cli.path().join(format!("{env}.pem"));
        let key = cli
            .run(&[
                "key",
                "create",
                "--env",
                env,
                "--label",
                label,
                "--out",
                out.to_str().unwrap(),
                "--keep-in-keychain",
                "--json",
            ])
            .ok()
            .json();
        keys.push(key["api_key"].as_str().unwrap().to_string());
    }
    (cli, keys)
}

#[test]
fn identity_show_prints_the_same_public_key_every_time() {
    let cli = Cli::new();
    let first = cli.run(&["identity", "show"]).ok().stdout.trim().to_string();
    assert!(first.starts_with("age1") && first.len() == 62, "{first}");
    assert_eq!(cli.run(&["identity", "show"]).ok().stdout.trim(), first);
    let json = cli.run(&["identity", "show", "--json"]).ok().json();
    assert_eq!(json["recipient"], first.as_str());
    assert_eq!(cli.run(&["identity", "new"]).error_code(), "identity_exists");
    let second = cli.run(&["identity", "new", "--replace"]).ok().stdout.trim().to_string();
    assert_ne!(second, first);
}

#[test]
fn export_inspect_and_import_between_two_homes() {
    let (holder, keys) = holder();
    let integrator = Cli::new();
    let recipient = integrator.run(&["identity", "show"]).ok().stdout.trim().to_string();
    let file = holder.path().join("acme.keyport");
    let file = file.to_str().unwrap();
    let exported = holder
        .run(&[
            "bundle",
            "export",
            "--key",
            &keys[0],
            "--key",
            &keys[1],
            "--recipient",
            &recipient,
            "--out",
            file,
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(exported["lock"], "recipient");
    assert_eq!(exported["keys"].as_array().unwrap().len(), 2);

    let shown = integrator.run(&["bundle", "inspect", file]).ok().stdout;
    assert!(
        shown.contains("Acme Corp (MAG000000001)") && shown.contains("staging CI") && shown.contains("new"),
        "{shown}"
    );
    assert!(!shown.contains("PRIVATE KEY"));
    // Inspecting wrote nothing: there is still no account.
    assert_eq!(integrator.run(&["account", "list", "--json"]).ok().json().as_array().unwrap().len(), 0);

    let imported = integrator.run(&["bundle", "import", file, "--json"]).ok().json();
    assert_eq!(imported["imported"].as_array().unwrap().len(), 2);
    assert_eq!(imported["account"]["relation"], "client");
    let listed = integrator.run(&["key", "list", "--json"]).ok().json();
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 2);
    assert!(listed.iter().all(|k| k["received_at"].is_string()));
    // The same bundle again: nothing new, and it says so.
    let again = integrator.run(&["bundle", "import", file]).ok();
    assert!(again.stderr.contains("already on this workstation"), "{}", again.stderr);
}

#[test]
fn a_passphrase_comes_from_a_file_or_standard_input_never_the_command_line() {
    let (holder, keys) = holder();
    let secret = holder.path().join("passphrase.txt");
    std::fs::write(&secret, "orange-kettle-seventy-1\n").unwrap();
    let file = holder.path().join("acme.keyport");
    let file = file.to_str().unwrap();
    holder
        .run(&["bundle", "export", "--key", &keys[0], "--passphrase-file", secret.to_str().unwrap(), "--out", file])
        .ok();
    let integrator = Cli::new();
    assert_eq!(integrator.run(&["bundle", "import", file]).error_code(), "bundle_passphrase_required");
    let mut child = integrator
        .command(&["bundle", "import", file, "--passphrase-file", "-", "--json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"orange-kettle-seventy-1\n").unwrap();
    let run: common::Run = child.wait_with_output().unwrap().into();
    assert_eq!(run.ok().json()["imported"].as_array().unwrap().len(), 1);

    let wrong = holder.path().join("wrong.txt");
    std::fs::write(&wrong, "not it at all, sorry\n").unwrap();
    let err = Cli::new().run(&["bundle", "import", file, "--passphrase-file", wrong.to_str().unwrap()]);
    assert_eq!(err.error_code(), "bundle_wrong_passphrase");
}

#[test]
fn bad_arguments_are_refused_with_their_codes_and_write_nothing() {
    let (holder, keys) = holder();
    let recipient = Cli::new().run(&["identity", "show"]).ok().stdout.trim().to_string();
    let dir = holder.path();
    let file = dir.join("x.keyport");
    let out = file.to_str().unwrap();
    let empty = dir.join("empty.txt");
    std::fs::write(&empty, "").unwrap();
    let pem = dir.join("sandbox.pem");
    let short = dir.join("short.txt");
    std::fs::write(&short, "hunter2\n").unwrap();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["bundle", "export", "--key", &keys[0], "--out", out], "invalid_arguments"),
        (
            vec![
                "bundle",
                "export",
                "--key",
                &keys[0],
                "--recipient",
                &recipient,
                "--passphrase-file",
                "x",
                "--out",
                out,
            ],
            "invalid_arguments",
        ),
        (
            vec!["bundle", "export", "--key", &keys[0], "--passphrase", "on the command line", "--out", out],
            "invalid_arguments",
        ),
        (vec!["bundle", "export", "--recipient", &recipient, "--out", out], "invalid_arguments"),
        (vec!["bundle", "export", "--key", &keys[0], "--recipient", "age1nope", "--out", out], "recipient_malformed"),
        (
            vec!["bundle", "export", "--key", &keys[0], "--recipient", &recipient, "--expires", "1y", "--out", out],
            "expiry_out_of_range",
        ),
        (
            vec!["bundle", "export", "--key", &keys[0], "--recipient", &recipient, "--expires", "0h", "--out", out],
            "expiry_out_of_range",
        ),
        (
            vec!["bundle", "export", "--key", &keys[0], "--passphrase-file", empty.to_str().unwrap(), "--out", out],
            "empty_value",
        ),
        (
            vec!["bundle", "export", "--key", &keys[0], "--passphrase-file", short.to_str().unwrap(), "--out", out],
            "passphrase_too_short",
        ),
        (vec!["bundle", "export", "--key", &keys[0], "--passphrase-file", "/nonexistent/p", "--out", out], "io_error"),
        (vec!["bundle", "export", "--key", "kp_sbox_nope", "--recipient", &recipient, "--out", out], "key_not_found"),
        (
            vec![
                "bundle",
                "export",
                "--key",
                &keys[0],
                "--recipient",
                &recipient,
                "--out",
                "/nonexistent/dir/x.keyport",
            ],
            "folder_missing",
        ),
        (vec!["bundle", "inspect", "/nonexistent.keyport"], "io_error"),
        (vec!["bundle", "import", pem.to_str().unwrap()], "bundle_not_age"),
        (vec!["bundle", "import"], "invalid_arguments"),
        (vec!["identity", "new", "--replace", "extra"], "invalid_arguments"),
    ];
    for (args, code) in cases {
        let run = holder.run(&args);
        assert_ne!(run.code, 0, "{args:?} succeeded");
        assert_eq!(run.error_code(), code, "{args:?}: {}", run.stderr);
        assert!(!file.exists(), "{args:?} wrote a file");
    }
}

#[tokio::test]
async fn a_pending_key_can_be_downloaded_once_as_a_bundle() {
    use keyport_engine::core::Environment;
    use keyport_engine::model::NewKey;
    let cli = Cli::new();
    cli.create_account("MAG000000001", "Acme Corp", "primary_merchant");
    // The app creates pending keys; do the same through the engine.
    let engine = keyport_engine::Engine::open(keyport_engine::Home::existing(cli.path()).unwrap()).await.unwrap();
    let input = NewKey { environment: Environment::Production, label: "handover".into(), bits: 2048, scope: None };
    let pending = engine.create_key("MAG000000001", input).await.unwrap().api_key.to_string();
    engine.close().await;

    let integrator = Cli::new();
    let recipient = integrator.run(&["identity", "show"]).ok().stdout.trim().to_string();
    let file = cli.path().join("handover.keyport");
    let bad =
        cli.run(&["key", "download", &pending, "--out", file.to_str().unwrap(), "--recipient", "age1x", "--json"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("recipient_malformed"), "{}", bad.stderr);
    let delivered = cli
        .run(&["key", "download", &pending, "--out", file.to_str().unwrap(), "--recipient", &recipient, "--json"])
        .ok()
        .json();
    assert_eq!(delivered["download_pending"], false);
    let again = cli.run(&["key", "download", &pending, "--out", cli.path().join("again.pem").to_str().unwrap()]);
    assert_eq!(again.error_code(), "already_delivered");
    let imported = integrator.run(&["bundle", "import", file.to_str().unwrap(), "--json"]).ok().json();
    assert_eq!(imported["imported"][0]["label"], "handover");
}
