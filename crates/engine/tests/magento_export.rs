//! Applying an instance's configuration to Magento: the exported folder,
//! checked with the tools a Magento machine has — `php -l`, an `include` of
//! `env.php`, `shellcheck` on `apply.sh` — and `apply.sh` run in a stand-in
//! Magento root whose `bin/magento` parses its command line with Debian's
//! real Symfony Console (as Magento's does) and records what it was given.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::connector::{Fixture, from_file};
use keyport_engine::core::{Environment, ErrorCode, InstanceType};
use keyport_engine::model::{ConnectorInput, InstanceExport, SaasSelection};
use serde_json::Value;

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn run(command: &mut Command) -> std::process::Output {
    let out = command.output().unwrap_or_else(|e| panic!("{command:?}: {e}"));
    assert!(
        out.status.success(),
        "{command:?} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// An instance with both pairs, a data space and an IMS organization, exported.
async fn exported(f: &Fixture, lock_env: bool) -> (InstanceExport, PathBuf, PathBuf) {
    f.instance("shop-dev", InstanceType::Development, "base").await;
    let (sandbox_key, sandbox_pem) = f.key(Environment::Sandbox, "sandbox", false).await;
    let (production_key, production_pem) = f.key(Environment::Production, "production", false).await;
    let input = ConnectorInput {
        sandbox: Some(from_file(&sandbox_key, &sandbox_pem)),
        production: Some(from_file(&production_key, &production_pem)),
        active_environment: Some(Environment::Sandbox),
        ims_organization_id: Some("8E6307BF5D775FA00A495EF9@AdobeOrg".into()),
        ..Default::default()
    };
    f.save("shop-dev", input).await.unwrap();
    let rows = f.engine().connector_create_project("shop-dev", "Bob's \"Store\"").await.unwrap();
    let testing = rows.iter().find(|r| r.environment_type == "Testing").unwrap();
    let select = ConnectorInput {
        saas: Some(SaasSelection {
            project_id: testing.project_id.clone(),
            data_space_id: testing.environment_id.clone(),
        }),
        ..Default::default()
    };
    f.save("shop-dev", select).await.unwrap();
    let folder = f.out.path().join("shop-dev-connector");
    let export = f.engine().export_instance("shop-dev", &folder, lock_env).await.unwrap();
    (export, sandbox_pem, production_pem)
}

/// A Magento root: the stand-in bin/magento and an app/etc/env.php of its own.
fn magento_root() -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root.path().join("bin")).unwrap();
    std::fs::create_dir_all(root.path().join("app/etc")).unwrap();
    std::fs::create_dir_all(root.path().join("var")).unwrap();
    let stand_in = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/magento/bin/magento");
    std::fs::copy(&stand_in, root.path().join("bin/magento")).unwrap();
    std::fs::set_permissions(root.path().join("bin/magento"), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::write(
        root.path().join("app/etc/env.php"),
        "<?php\nreturn [\n    'crypt' => ['key' => 'abc'],\n    'db' => ['connection' => ['default' => ['host' => 'localhost']]],\n    'system' => ['default' => ['web' => ['secure' => ['use_in_frontend' => '1']]]],\n];\n",
    )
    .unwrap();
    std::fs::set_permissions(root.path().join("app/etc/env.php"), std::fs::Permissions::from_mode(0o640)).unwrap();
    root
}

fn recorded(root: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(root.join("var/keyport-recorded.json")).unwrap_or_else(|_| "[]".into());
    serde_json::from_str::<Value>(&text).unwrap().as_array().unwrap().clone()
}

/// `php -r` returning JSON.
fn php_json(code: &str, args: &[&Path]) -> Value {
    let out = run(Command::new("php").arg("-r").arg(code).args(args));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[tokio::test]
async fn the_export_holds_what_magento_needs_with_safe_modes_and_no_secret_in_the_script() {
    let f = Fixture::new().await;
    let (export, sandbox_pem, production_pem) = exported(&f, false).await;
    let folder = PathBuf::from(&export.folder);
    assert!(export.holds_private_keys);
    assert_eq!(mode(&folder), 0o700);
    let mut files = export.files.clone();
    files.sort();
    assert_eq!(files, ["apply.sh", "env.php", "merge-env.php", "privateKey-production.pem", "privateKey-sandbox.pem"]);
    for pem in ["privateKey-production.pem", "privateKey-sandbox.pem", "env.php"] {
        assert_eq!(mode(&folder.join(pem)), 0o600, "{pem}");
    }
    assert_eq!(std::fs::read(folder.join("privateKey-sandbox.pem")).unwrap(), std::fs::read(&sandbox_pem).unwrap());
    assert_eq!(
        std::fs::read(folder.join("privateKey-production.pem")).unwrap(),
        std::fs::read(&production_pem).unwrap()
    );
    let script = std::fs::read_to_string(folder.join("apply.sh")).unwrap();
    assert!(!script.contains("PRIVATE KEY"), "apply.sh holds no private key");
    let env_php = std::fs::read_to_string(folder.join("env.php")).unwrap();
    assert!(!env_php.contains("PRIVATE KEY") && !env_php.contains("kp_"), "env.php holds no key");

    // PHP accepts both files, and env.php nests one array per path segment.
    run(Command::new("php").arg("-l").arg(folder.join("env.php")));
    run(Command::new("php").arg("-l").arg(folder.join("merge-env.php")));
    let tree = php_json("echo json_encode(include $argv[1]);", &[&folder.join("env.php")]);
    let default = &tree["system"]["default"];
    assert_eq!(default["magento_saas"]["environment"], "sandbox");
    let id = &default["services_connector"]["services_id"];
    assert_eq!(id["project_name"], "Bob's \"Store\"");
    assert_eq!(id["environment"], "Testing");
    assert_eq!(id["ims_organization_id"], "8E6307BF5D775FA00A495EF9@AdobeOrg");
    assert!(id["project_id"].as_str().unwrap().len() == 36 && id["environment_id"].as_str().unwrap().len() == 36);
    // Keyport's sandbox as the gateway: both gateway URLs name it at its
    // configured address (the same from one app start to the next), and the
    // export says so, and that this test's sandbox listens elsewhere now.
    let stable = keyport_engine::gateway::configured_gateway().expect("the tests leave the default address");
    assert_eq!(default["services_connector"]["sandbox_gateway_url"], stable.as_str());
    assert_eq!(default["services_connector"]["production_gateway_url"], stable.as_str());
    assert!(export.notices.iter().any(|n| n.contains("same machine")), "{:?}", export.notices);
    let running = f.engine().local_gateway().unwrap();
    assert!(export.notices.iter().any(|n| n.contains(&running)), "{:?}", export.notices);

    // shellcheck finds nothing in apply.sh.
    run(Command::new("shellcheck").arg(folder.join("apply.sh")));
}

#[tokio::test]
async fn apply_sh_puts_magento_on_the_configuration_through_its_own_config_set() {
    let f = Fixture::new().await;
    let (export, sandbox_pem, production_pem) = exported(&f, false).await;
    let folder = PathBuf::from(&export.folder);
    let root = magento_root();
    let out = run(Command::new("sh").arg(folder.join("apply.sh")).current_dir(root.path()));
    let printed = String::from_utf8_lossy(&out.stdout);

    let calls = recorded(root.path());
    let sets: Vec<&Value> = calls.iter().filter(|c| c["command"] == "config:set").collect();
    assert_eq!(sets.len(), 4, "{calls:#?}");
    let value_of =
        |path: &str| sets.iter().find(|c| c["path"] == path).map(|c| c["value"].as_str().unwrap().to_string()).unwrap();
    let instance = f.engine().instance("shop-dev").await.unwrap();
    let integration = "services_connector/services_connector_integration";
    assert_eq!(value_of(&format!("{integration}/sandbox_api_key")), instance.sandbox_keys.unwrap().api_key);
    assert_eq!(value_of(&format!("{integration}/production_api_key")), instance.production_keys.unwrap().api_key);
    // The PEM arrives byte for byte, its final newline included.
    assert_eq!(value_of(&format!("{integration}/sandbox_private_key")), std::fs::read_to_string(&sandbox_pem).unwrap());
    assert_eq!(
        value_of(&format!("{integration}/production_private_key")),
        std::fs::read_to_string(&production_pem).unwrap()
    );
    assert!(sets.iter().all(|c| c["lock_env"] == false && c["scope"] == "default"));

    // env.php was merged (the instance's own settings kept) and imported.
    let import = calls.iter().find(|c| c["command"] == "app:config:import").expect("app:config:import ran");
    let default = &import["system"]["default"];
    assert_eq!(default["magento_saas"]["environment"], "sandbox");
    assert_eq!(default["services_connector"]["services_id"]["environment_name"], "Testing 1");
    assert_eq!(default["web"]["secure"]["use_in_frontend"], "1", "existing system config is kept");
    let merged = php_json("echo json_encode(include $argv[1]);", &[&root.path().join("app/etc/env.php")]);
    assert_eq!(merged["crypt"]["key"], "abc");
    assert_eq!(merged["db"]["connection"]["default"]["host"], "localhost");
    assert_eq!(mode(&root.path().join("app/etc/env.php")), 0o640, "the file keeps its mode");
    let backups: Vec<_> = std::fs::read_dir(root.path().join("app/etc"))
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with("env.php.keyport-backup-"))
        .collect();
    assert_eq!(backups.len(), 1);
    assert_eq!(mode(&root.path().join("app/etc").join(&backups[0])), 0o640, "the backup is no more readable");
    assert!(calls.last().is_some_and(|c| c["command"] == "cache:clean" && c["types"][0] == "config"), "{calls:#?}");
    // It says what it set, never a private key.
    assert!(printed.contains(&format!("set {integration}/sandbox_private_key")), "{printed}");
    assert!(printed.contains("set magento_saas/environment = sandbox"), "{printed}");
    assert!(!printed.contains("PRIVATE KEY"));
}

#[tokio::test]
async fn lock_env_reaches_config_set_and_apply_stops_at_the_first_failure() {
    let f = Fixture::new().await;
    let (export, _, _) = exported(&f, true).await;
    let folder = PathBuf::from(&export.folder);
    let root = magento_root();
    run(Command::new("sh").arg(folder.join("apply.sh")).current_dir(root.path()));
    let calls = recorded(root.path());
    assert!(calls.iter().filter(|c| c["command"] == "config:set").all(|c| c["lock_env"] == true));

    // A Magento whose config:set refuses: apply.sh stops there; env.php is untouched.
    let root = magento_root();
    let original = std::fs::read(root.path().join("app/etc/env.php")).unwrap();
    // Magento prints its refusals on standard output; apply.sh shows them.
    std::fs::write(root.path().join("bin/magento"), "#!/bin/sh\necho \"$1: refused\"\nexit 1\n").unwrap();
    let out = Command::new("sh").arg(folder.join("apply.sh")).current_dir(root.path()).output().unwrap();
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("config:set: refused") && said.contains("config:set services_connector/"), "{said}");
    assert_eq!(std::fs::read(root.path().join("app/etc/env.php")).unwrap(), original);

    // Run anywhere but a Magento root: a clear refusal.
    let elsewhere = tempfile::tempdir().unwrap();
    let out = Command::new("sh").arg(folder.join("apply.sh")).current_dir(elsewhere.path()).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("run this from the Magento root"));
}

#[tokio::test]
async fn an_export_never_writes_into_a_used_folder_and_needs_keys() {
    let f = Fixture::new().await;
    f.instance("bare", InstanceType::Development, "base").await;
    let target = f.out.path().join("bare-export");
    assert_eq!(
        f.engine().export_instance("bare", &target, false).await.unwrap_err().code(),
        ErrorCode::KeysNotConfigured
    );
    assert!(!target.exists());

    let (export, _, _) = exported(&f, false).await;
    let used = PathBuf::from(&export.folder);
    let before: Vec<_> = std::fs::read_dir(&used).unwrap().count().to_string().into_bytes();
    let err = f.engine().export_instance("shop-dev", &used, false).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::FolderNotEmpty);
    assert_eq!(std::fs::read_dir(&used).unwrap().count().to_string().into_bytes(), before);
    let missing = f.out.path().join("no/such/folder");
    assert_eq!(
        f.engine().export_instance("shop-dev", &missing, false).await.unwrap_err().code(),
        ErrorCode::FolderMissing
    );
    // An empty folder that exists is fine, and made private.
    let empty = f.out.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    std::fs::set_permissions(&empty, std::fs::Permissions::from_mode(0o755)).unwrap();
    f.engine().export_instance("shop-dev", &empty, false).await.unwrap();
    assert_eq!(mode(&empty), 0o700);
}

#[tokio::test]
async fn applying_again_removes_what_was_cleared() {
    let f = Fixture::new().await;
    let (export, _, _) = exported(&f, false).await;
    let root = magento_root();
    run(Command::new("sh").arg(PathBuf::from(&export.folder).join("apply.sh")).current_dir(root.path()));
    let env_php = root.path().join("app/etc/env.php");
    let applied = php_json("echo json_encode(include $argv[1]);", &[&env_php]);
    assert!(applied["system"]["default"]["services_connector"]["services_id"]["ims_organization_id"].is_string());

    // The IMS organization is removed in Keyport: the next apply removes it from Magento.
    let clear = ConnectorInput { ims_organization_id: Some(String::new()), ..Default::default() };
    f.save("shop-dev", clear).await.unwrap();
    let again = f.out.path().join("again");
    f.engine().export_instance("shop-dev", &again, false).await.unwrap();
    run(Command::new("sh").arg(again.join("apply.sh")).current_dir(root.path()));
    let applied = php_json("echo json_encode(include $argv[1]);", &[&env_php]);
    let id = &applied["system"]["default"]["services_connector"]["services_id"];
    assert!(id.get("ims_organization_id").is_none(), "{id}");
    assert_eq!(id["environment_name"], "Testing 1", "the rest stays");

    // Adobe's gateway: Keyport's gateway URLs go, so Magento's defaults apply
    // (Adobe's gateways cannot be reached from here to save that choice, so
    // the export is built directly).
    let adobe = keyport_engine::core::magento::Export {
        instance_name: "shop-dev".into(),
        base_url: "https://shop-dev.example.com".into(),
        keyport_version: "test".into(),
        exported_at: "now".into(),
        lock_env: false,
        pairs: vec![],
        settings: [Environment::Production, Environment::Sandbox]
            .into_iter()
            .map(|e| (keyport_engine::core::magento::gateway_url_path(e), None))
            .collect(),
    };
    let fragment = f.out.path().join("adobe-env.php");
    std::fs::write(&fragment, keyport_engine::core::magento::env_php(&adobe)).unwrap();
    run(Command::new("php").arg(again.join("merge-env.php")).arg(&env_php).arg(&fragment));
    let applied = php_json("echo json_encode(include $argv[1]);", &[&env_php]);
    let connector = &applied["system"]["default"]["services_connector"];
    assert!(connector.get("sandbox_gateway_url").is_none() && connector.get("production_gateway_url").is_none());
    assert_eq!(connector["services_id"]["environment_name"], "Testing 1");
    assert_eq!(applied["crypt"]["key"], "abc");
}
