//! `keyport instance …` through the real binary: an integrator configures
//! an instance end to end, each command against a real home, the real
//! keychain and Keyport's sandbox as the gateway.

mod common;

use std::os::unix::fs::PermissionsExt;

use common::Cli;

fn key(cli: &Cli, env: &str, label: &str, dir: &std::path::Path) -> (String, String) {
    let file = dir.join(format!("{label}.pem"));
    let created = cli
        .run(&[
            "key",
            "create",
            "--env",
            env,
            "--label",
            label,
            "--out",
            file.to_str().unwrap(),
            "--keep-in-keychain",
            "--json",
        ])
        .ok()
        .json();
    (created["api_key"].as_str().unwrap().to_string(), file.display().to_string())
}

#[test]
fn an_integrator_configures_an_instance_end_to_end() {
    let cli = Cli::new();
    cli.create_account("MAG000000001", "Acme", "primary_merchant");
    let dir = tempfile::tempdir().unwrap();
    let (sandbox_key, sandbox_pem) = key(&cli, "sandbox", "staging CI", dir.path());

    let added = cli
        .run(&[
            "instance",
            "add",
            "--name",
            "shop-dev",
            "--url",
            "https://dev.shop.test",
            "--type",
            "development",
            "--websites",
            "base,eu",
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(added["website_codes"], serde_json::json!(["base", "eu"]));
    assert_eq!(added["status"], "not_configured");

    // Keys from the file, then again from the keychain (the key was kept).
    cli.run(&[
        "instance",
        "set-keys",
        "shop-dev",
        "--env",
        "sandbox",
        "--api-key",
        &sandbox_key,
        "--private-key",
        &sandbox_pem,
        "--activate",
    ])
    .ok();
    let shown = cli
        .run(&[
            "instance",
            "set-keys",
            "shop-dev",
            "--env",
            "sandbox",
            "--api-key",
            &sandbox_key,
            "--from-keychain",
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(shown["instance"]["status"], "connected");
    assert_eq!(shown["instance"]["active_environment"], "sandbox");
    assert!(!shown.to_string().contains("PRIVATE KEY"), "no private key in the output");

    // The registry through the gateway: create a project, choose a data space by name.
    let rows = cli.run(&["instance", "create-project", "shop-dev", "--name", "Storefront", "--json"]).ok().json();
    assert_eq!(rows.as_array().unwrap().len(), 3);
    let text = cli.run(&["instance", "registry", "shop-dev"]).ok().stdout;
    assert!(text.contains("Testing 2") && text.contains("Production"), "{text}");
    let selected = cli
        .run(&[
            "instance",
            "select-dataspace",
            "shop-dev",
            "--project",
            "storefront",
            "--data-space",
            "testing 1",
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(selected["saas"]["data_space_name"], "Testing 1");
    cli.run(&["instance", "rename-dataspace", "shop-dev", "Testing 1", "--project", "Storefront", "--name", "QA"]).ok();
    cli.run(&["instance", "rename-project", "shop-dev", "Storefront", "--name", "Storefront EU"]).ok();
    let shown = cli.run(&["instance", "show", "shop-dev", "--json"]).ok().json();
    assert_eq!(
        (shown["saas"]["project_name"].as_str(), shown["saas"]["data_space_name"].as_str()),
        (Some("Storefront EU"), Some("QA"))
    );
    cli.run(&["instance", "set-ims", "shop-dev", "8E6307BF5D775FA00A495EF9@AdobeOrg"]).ok();
    assert!(cli.run(&["instance", "check", "shop-dev"]).ok().stdout.contains("connected"));

    // Export for Magento.
    let out = dir.path().join("export");
    let run = cli.run(&["instance", "export", "shop-dev", "--out", out.to_str().unwrap()]).ok();
    assert!(run.stderr.contains("holds private keys"), "{}", run.stderr);
    assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o700);
    assert!(
        out.join("apply.sh").exists() && out.join("privateKey-sandbox.pem").exists() && out.join("env.php").exists()
    );
    let list = cli.run(&["instance", "list"]).ok().stdout;
    assert!(list.contains("shop-dev") && list.contains("connected"), "{list}");

    // Revoking the key: the instance's keys are no longer valid, and check says so.
    cli.run(&["key", "revoke", &sandbox_key, "--reason", "rotated"]).ok();
    let check = cli.run(&["instance", "check", "shop-dev"]);
    assert_eq!((check.code, check.error_code().as_str()), (4, "key_revoked"));
    assert!(check.stderr.contains("no longer valid"), "{}", check.stderr);

    cli.run(&["instance", "remove", "shop-dev"]).ok();
    assert_eq!(cli.run(&["instance", "show", "shop-dev"]).error_code(), "instance_not_found");
}

#[test]
fn bad_input_is_refused_with_its_code_and_changes_nothing() {
    let cli = Cli::new();
    cli.create_account("MAG000000001", "Acme", "primary_merchant");
    let dir = tempfile::tempdir().unwrap();
    let (sandbox_key, sandbox_pem) = key(&cli, "sandbox", "s", dir.path());
    let (production_key, _) = key(&cli, "production", "p", dir.path());
    cli.run(&["instance", "add", "--name", "shop", "--url", "https://shop.test", "--type", "staging"]).ok();
    let before = cli.run(&["instance", "show", "shop", "--json"]).ok().stdout;
    let garbage = dir.path().join("garbage.pem");
    std::fs::write(&garbage, "hello").unwrap();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["instance", "add", "--name", "SHOP", "--url", "https://x.test", "--type", "staging"], "name_taken"),
        (vec!["instance", "add", "--name", "x", "--url", "ftp://x.test", "--type", "staging"], "url_invalid"),
        (vec!["instance", "add", "--name", "x", "--url", "https://x.test", "--type", "qa"], "unknown_instance_type"),
        (
            vec![
                "instance",
                "add",
                "--name",
                "x",
                "--url",
                "https://x.test",
                "--type",
                "staging",
                "--websites",
                "Main",
            ],
            "website_code_malformed",
        ),
        (vec!["instance", "edit", "shop", "--websites", "a,a"], "website_code_duplicate"),
        (
            vec![
                "instance",
                "set-keys",
                "shop",
                "--env",
                "sandbox",
                "--api-key",
                &production_key,
                "--private-key",
                &sandbox_pem,
            ],
            "connector_invalid",
        ),
        (
            vec![
                "instance",
                "set-keys",
                "shop",
                "--env",
                "sandbox",
                "--api-key",
                &sandbox_key,
                "--private-key",
                garbage.to_str().unwrap(),
            ],
            "connector_invalid",
        ),
        (
            vec!["instance", "set-keys", "shop", "--env", "qa", "--api-key", &sandbox_key, "--from-keychain"],
            "unknown_environment",
        ),
        (vec!["instance", "set-keys", "shop", "--env", "sandbox", "--api-key", &sandbox_key], "invalid_arguments"),
        (vec!["instance", "activate", "shop", "--env", "production"], "keys_not_configured"),
        (vec!["instance", "set-gateway", "shop", "custom", "--url", "not a url"], "connector_invalid"),
        (vec!["instance", "set-gateway", "shop", "elsewhere"], "unknown_gateway"),
        (vec!["instance", "set-ims", "shop", "my-org"], "connector_invalid"),
        (vec!["instance", "export", "nope", "--out", "/tmp/never"], "instance_not_found"),
        (vec!["instance", "export", "shop", "--out", dir.path().to_str().unwrap()], "keys_not_configured"),
    ];
    for (args, code) in cases {
        let run = cli.run(&args);
        assert_ne!(run.code, 0, "{args:?} succeeded");
        assert_eq!(run.error_code(), code, "{args:?}");
    }
    // A connector_invalid line names each problem.
    let run = cli.run(&[
        "instance",
        "set-keys",
        "shop",
        "--env",
        "sandbox",
        "--api-key",
        &production_key,
        "--private-key",
        garbage.to_str().unwrap(),
    ]);
    assert!(run.stderr.contains("Sandbox API key") && run.stderr.contains("Sandbox private key"), "{}", run.stderr);
    let json = cli.run(&[
        "--json",
        "instance",
        "set-keys",
        "shop",
        "--env",
        "sandbox",
        "--api-key",
        &production_key,
        "--private-key",
        garbage.to_str().unwrap(),
    ]);
    let body: serde_json::Value = serde_json::from_str(json.stderr.trim()).unwrap();
    let codes: Vec<&str> = body["details"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["api_key_wrong_environment", "private_key_not_pem"]);
    assert_eq!(cli.run(&["instance", "show", "shop", "--json"]).ok().stdout, before, "nothing changed");
}

#[test]
fn confirmations_are_asked_for_and_given_with_confirm() {
    let cli = Cli::new();
    cli.create_account("MAG000000001", "Acme", "primary_merchant");
    let dir = tempfile::tempdir().unwrap();
    let (key, pem) = key(&cli, "sandbox", "s", dir.path());
    cli.run(&["instance", "add", "--name", "shop-qa", "--url", "https://qa.shop.test", "--type", "staging"]).ok();
    cli.run(&[
        "instance",
        "set-keys",
        "shop-qa",
        "--env",
        "sandbox",
        "--api-key",
        &key,
        "--private-key",
        &pem,
        "--activate",
    ])
    .ok();
    cli.run(&["instance", "create-project", "shop-qa", "--name", "Storefront"]).ok();
    let args = ["instance", "select-dataspace", "shop-qa", "--project", "Storefront", "--data-space", "Production"];
    let refused = cli.run(&args);
    assert_eq!(refused.error_code(), "confirmation_required");
    assert!(refused.stderr.contains("production data space"), "{}", refused.stderr);
    let mut confirmed = args.to_vec();
    confirmed.push("--confirm");
    cli.run(&confirmed).ok();
}
