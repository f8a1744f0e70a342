//! Scoped keys through the real binary: `key create --scope-…`, `key show`,
//! `key check`, and the merchant removal and model change that revoke them
//! only with `--confirm`.

mod common;

use common::Cli;

fn ecosystem() -> (Cli, tempfile::TempDir) {
    let cli = Cli::new();
    cli.create_account("MAG000000001", "Acme", "ecosystem");
    for m in ["Shop A", "Shop B"] {
        cli.run(&["merchant", "add", "--name", m]).ok();
    }
    (cli, tempfile::tempdir().unwrap())
}

fn create(cli: &Cli, dir: &tempfile::TempDir, label: &str, scope: &[&str]) -> common::Run {
    let file = dir.path().join(format!("{label}.pem"));
    let mut args = vec!["key", "create", "--env", "production", "--label", label, "--out", file.to_str().unwrap()];
    args.extend_from_slice(scope);
    cli.run(&args)
}

/// A key created with `--json`, as its JSON.
fn created(cli: &Cli, dir: &tempfile::TempDir, label: &str, scope: &[&str]) -> serde_json::Value {
    let mut scope = scope.to_vec();
    scope.push("--json");
    create(cli, dir, label, &scope).ok().json()
}

#[test]
fn a_scoped_key_is_created_shown_and_checked() {
    let (cli, dir) = ecosystem();
    let key = created(&cli, &dir, "forwarder", &["--scope-merchant", "shop a", "--scope-feature", "forward"]);
    assert_eq!(key["scope"]["merchants"], serde_json::json!(["Shop A"]), "merchants by the account's spelling");
    assert_eq!(key["scope"]["features"], serde_json::json!(["forward"]));
    let api_key = key["api_key"].as_str().unwrap();

    let shown = cli.run(&["key", "show", api_key]).ok().stdout;
    assert!(shown.contains("Shop A") && shown.contains("POST /forward"), "{shown}");
    let listed = cli.run(&["key", "list"]).ok().stdout;
    assert!(listed.contains("scoped"), "{listed}");

    let allowed = cli.run(&["key", "check", api_key, "--method", "POST", "--path", "/forward", "--merchant", "Shop A"]);
    assert!(allowed.ok().stdout.starts_with("allowed: "));
    let denied = cli
        .run(&["key", "check", api_key, "--method", "POST", "--path", "/forward", "--merchant", "Shop B", "--json"])
        .ok()
        .json();
    assert_eq!(denied["allowed"], false);
    assert!(denied["reason"].as_str().unwrap().contains("Shop B"), "{denied}");
    let other = cli.run(&["key", "check", api_key, "--method", "GET", "--path", "/tokens/tok_1/payment-data"]).ok();
    assert!(other.stdout.starts_with("denied: "), "{}", other.stdout);

    // An unscoped key of the same account has its full access.
    let full = created(&cli, &dir, "full", &[]);
    let check = cli.run(&["key", "check", full["id"].as_str().unwrap(), "--method", "GET", "--path", "/tokens"]).ok();
    assert!(check.stdout.starts_with("allowed: "), "{}", check.stdout);
}

#[test]
fn bad_scopes_and_checks_are_refused_and_create_nothing() {
    let (cli, dir) = ecosystem();
    let cases: &[(&[&str], &str)] = &[
        (&["--scope-merchant", "Shop A"], "scope_empty"),
        (&["--scope-feature", "forward"], "scope_empty"),
        (&["--scope-merchant", "Shop A", "--scope-feature", "teleport"], "unknown_feature"),
        (&["--scope-merchant", "Nobody", "--scope-feature", "forward"], "merchant_not_found"),
    ];
    for (scope, code) in cases {
        assert_eq!(create(&cli, &dir, "bad", scope).error_code(), *code, "{scope:?}");
    }
    let listed = cli.run(&["key", "list", "--json"]).ok().json();
    assert_eq!(listed.as_array().unwrap().len(), 0, "nothing was created");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "no file was left");

    let managed = Cli::new();
    managed.create_account("MAG000000002", "Managed", "managed_ecosystem");
    managed.run(&["merchant", "add", "--name", "Shop A"]).ok();
    let run = create(&managed, &dir, "tokens", &["--scope-merchant", "Shop A", "--scope-feature", "list_tokens"]);
    assert_eq!(run.error_code(), "feature_not_offered");

    let primary = Cli::new();
    primary.create_account("MAG000000003", "Primary", "primary_merchant");
    let run = create(&primary, &dir, "scoped", &["--scope-merchant", "Shop A", "--scope-feature", "forward"]);
    assert_eq!(run.error_code(), "scoped_keys_not_allowed");

    let key = created(&cli, &dir, "ok", &["--scope-merchant", "Shop A", "--scope-feature", "forward"]);
    let id = key["id"].as_str().unwrap();
    let checks: &[(&[&str], &str)] = &[
        (&["--method", "P0ST", "--path", "/forward"], "method_malformed"),
        (&["--method", "POST", "--path", "forward"], "path_malformed"),
        (&["--method", "POST", "--path", "/a/../forward"], "path_malformed"),
        (&["--method", "POST"], "invalid_arguments"),
    ];
    for (args, code) in checks {
        let mut all = vec!["key", "check", id];
        all.extend_from_slice(args);
        assert_eq!(cli.run(&all).error_code(), *code, "{args:?}");
    }
    assert_eq!(cli.run(&["key", "check", "kp_nope", "--method", "GET", "--path", "/"]).error_code(), "key_not_found");
}

#[test]
fn removing_a_named_merchant_or_leaving_the_model_needs_confirm_and_revokes() {
    let (cli, dir) = ecosystem();
    let a = created(&cli, &dir, "for a", &["--scope-merchant", "Shop A", "--scope-feature", "forward"]);
    let tokens = created(&cli, &dir, "tokens", &["--scope-merchant", "Shop B", "--scope-feature", "list_tokens"]);
    let status = |key: &serde_json::Value| {
        cli.run(&["key", "show", key["id"].as_str().unwrap(), "--json"]).ok().json()["status"]
            .as_str()
            .unwrap()
            .to_string()
    };

    let refused = cli.run(&["merchant", "remove", "Shop A"]);
    assert_eq!(refused.error_code(), "confirmation_required");
    assert!(refused.stderr.contains("for a"), "the message names the key: {}", refused.stderr);
    assert_eq!(status(&a), "active");
    assert_eq!(cli.run(&["merchant", "list", "--json"]).ok().json().as_array().unwrap().len(), 2);

    cli.run(&["merchant", "remove", "Shop A", "--confirm"]).ok();
    assert_eq!(status(&a), "revoked");
    let shown = cli.run(&["key", "show", a["id"].as_str().unwrap(), "--json"]).ok().json();
    assert!(shown["revoke_reason"].as_str().unwrap().contains("Shop A"), "{shown}");

    // Managed Ecosystem lacks list_tokens: the key granting it is revoked, after confirmation.
    let refused = cli.run(&["account", "edit", "--operating-model", "managed_ecosystem"]);
    assert_eq!(refused.error_code(), "confirmation_required");
    assert_eq!(status(&tokens), "active");
    let account = cli.run(&["account", "show", "--json"]).ok().json();
    assert_eq!(account["operating_model"], "ecosystem", "nothing changed");
    cli.run(&["account", "edit", "--operating-model", "managed_ecosystem", "--confirm"]).ok();
    assert_eq!(status(&tokens), "revoked");
}
