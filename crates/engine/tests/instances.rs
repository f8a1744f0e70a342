//! Instances and the Commerce Services Connector page's rules, on a real
//! SQLite file, the real keychain, real RSA keys, and Keyport's sandbox as
//! the gateway, over real HTTP.

mod common;

use std::path::Path;

use common::connector::{Fixture, MAG, from_file, pasted, sandbox_pair};
use common::{files_in, openssl, secret_tool_lookup};
use keyport_engine::core::{Edition, Environment, ErrorCode, InstanceType, OperatingModel};
use keyport_engine::model::{
    ConnectorInput, InstanceChanges, InstanceStatus, NewAccount, NewInstance, NewKey, PairInput, PrivateKeySource,
    SaasSelection,
};
use keyport_engine::{EngineError, ErrorBody};

/// The codes of a `connector_invalid` refusal's problems.
fn problem_codes(e: &EngineError) -> Vec<ErrorCode> {
    let body: ErrorBody = e.body();
    assert_eq!(body.code, ErrorCode::ConnectorInvalid, "{e}");
    body.details.iter().map(|d| d.code).collect()
}

#[tokio::test]
async fn instances_are_validated_and_named_uniquely() {
    let f = Fixture::new().await;
    let engine = f.engine();
    let good = || NewInstance {
        account: MAG.into(),
        name: "shop-dev".into(),
        base_url: "https://dev.shop.test".into(),
        instance_type: InstanceType::Development,
        website_codes: vec!["base, eu_store".into()],
    };
    let instance = engine.add_instance(good()).await.unwrap();
    assert_eq!(instance.website_codes, ["base", "eu_store"]);
    assert_eq!(instance.base_url, "https://dev.shop.test/");
    assert_eq!(instance.status, InstanceStatus::NotConfigured);
    let before = f.home.snapshot();
    let cases: Vec<(NewInstance, ErrorCode)> = vec![
        (NewInstance { name: "SHOP-DEV".into(), ..good() }, ErrorCode::NameTaken),
        (NewInstance { name: " ".into(), ..good() }, ErrorCode::EmptyValue),
        (NewInstance { name: "a\nb".into(), ..good() }, ErrorCode::InvalidCharacters),
        (NewInstance { base_url: "ftp://shop.test".into(), ..good() }, ErrorCode::UrlInvalid),
        (NewInstance { base_url: "shop.test".into(), ..good() }, ErrorCode::UrlInvalid),
        (NewInstance { website_codes: vec!["Base".into()], ..good() }, ErrorCode::WebsiteCodeMalformed),
        (NewInstance { website_codes: vec!["base base".into()], ..good() }, ErrorCode::WebsiteCodeDuplicate),
        (NewInstance { website_codes: vec![" ".into()], ..good() }, ErrorCode::EmptyValue),
        (NewInstance { website_codes: vec!["x".repeat(33)], ..good() }, ErrorCode::WebsiteCodeMalformed),
        (NewInstance { account: "MAG999999999".into(), ..good() }, ErrorCode::AccountNotFound),
    ];
    for (input, code) in cases {
        let name = input.name.clone();
        assert_eq!(engine.add_instance(input).await.unwrap_err().code(), code, "{name:?}");
    }
    assert!(f.home.snapshot() == before, "refused instances leave no trace");
    assert_eq!(engine.instances(None).await.unwrap().len(), 1);
    assert_eq!(engine.instance("Shop-Dev").await.unwrap().id, instance.id, "found by name, any case");
    assert_eq!(engine.instance("nope").await.unwrap_err().code(), ErrorCode::InstanceNotFound);
}

#[tokio::test]
async fn save_config_validates_the_pair_and_keeps_the_private_key_in_the_keychain_only() {
    let f = Fixture::new().await;
    let (api_key, file) = f.key(Environment::Sandbox, "staging CI", false).await;
    f.instance("shop-dev", InstanceType::Development, "base").await;
    let pem = std::fs::read_to_string(&file).unwrap();
    let saved = f.engine().save_connector("shop-dev", sandbox_pair(pasted(&api_key, &pem))).await.unwrap();
    let instance = saved.instance;
    assert_eq!(instance.active_environment, Environment::Sandbox);
    assert_eq!(instance.status, InstanceStatus::Connected, "{}", instance.status_message);
    let keys = instance.sandbox_keys.as_ref().unwrap();
    assert_eq!(keys.api_key, api_key);
    assert_eq!(keys.key.as_ref().unwrap().label, "staging CI");
    assert!(keys.fingerprint.starts_with("SHA256:"));

    // The private key is in the keychain (an independent client finds it) and nowhere in SQLite.
    let service = f.engine().secrets().service().to_string();
    let entries = keychain_entries(&f.home.path().join("keyport.db"), &instance.id);
    assert_eq!(entries.len(), 1);
    assert_eq!(secret_tool_lookup(&service, &entries[0]).unwrap().trim(), pem.trim());
    f.home.close().await;
    let bytes = [
        std::fs::read(f.home.path().join("keyport.db")).unwrap(),
        std::fs::read(f.home.path().join("keyport.db-wal")).unwrap_or_default(),
    ]
    .concat();
    let body_line = pem.lines().nth(1).unwrap();
    assert!(!String::from_utf8_lossy(&bytes).contains(body_line), "a private key line reached SQLite");
}

fn keychain_entries(db: &Path, instance_id: &str) -> Vec<String> {
    let out = std::process::Command::new("sqlite3")
        .args(["-cmd", ".timeout 10000", "-readonly"])
        .arg(db)
        .arg(format!("SELECT keychain_entry FROM instance_keys WHERE instance_id = '{instance_id}'"))
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().lines().map(str::to_string).collect()
}

#[tokio::test]
async fn every_bad_private_key_has_its_own_code_and_nothing_is_saved() {
    let f = Fixture::new().await;
    let (api_key, file) = f.key(Environment::Sandbox, "staging CI", false).await;
    let (_, other_file) = f.key(Environment::Sandbox, "other", false).await;
    let (prod_key, _) = f.key(Environment::Production, "prod", false).await;
    f.instance("shop-dev", InstanceType::Development, "base").await;
    let pem = std::fs::read_to_string(&file).unwrap();
    let dir = f.out.path();
    let public = String::from_utf8(openssl(&["pkey", "-in", file.to_str().unwrap(), "-pubout"])).unwrap();
    let encrypted = String::from_utf8(openssl(&[
        "pkcs8",
        "-topk8",
        "-in",
        file.to_str().unwrap(),
        "-v2",
        "aes-256-cbc",
        "-passout",
        "pass:secret",
    ]))
    .unwrap();
    let ec =
        String::from_utf8(openssl(&["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"])).unwrap();
    let certificate = {
        let cert = dir.join("cert.pem");
        openssl(&[
            "req",
            "-x509",
            "-key",
            file.to_str().unwrap(),
            "-subj",
            "/CN=x",
            "-days",
            "1",
            "-out",
            cert.to_str().unwrap(),
        ]);
        std::fs::read_to_string(cert).unwrap()
    };
    let truncated: String = pem.lines().take(6).collect::<Vec<_>>().join("\n");
    let garbage = dir.join("garbage.bin");
    std::fs::write(&garbage, vec![0xA5u8; 1 << 20]).unwrap();
    let before = f.home.snapshot();
    let cases: Vec<(&str, PairInput, ErrorCode)> = vec![
        ("public key", pasted(&api_key, &public), ErrorCode::PrivateKeyWrongKind),
        ("certificate", pasted(&api_key, &certificate), ErrorCode::PrivateKeyWrongKind),
        ("encrypted PKCS#8", pasted(&api_key, &encrypted), ErrorCode::PrivateKeyWrongKind),
        ("EC key", pasted(&api_key, &ec), ErrorCode::PrivateKeyWrongKind),
        ("truncated", pasted(&api_key, &truncated), ErrorCode::PrivateKeyNotPem),
        ("1 MiB pasted", pasted(&api_key, &"A".repeat(1 << 20)), ErrorCode::ValueTooLong),
        ("1 MiB file", from_file(&api_key, &garbage), ErrorCode::PrivateKeyUnreadable),
        ("missing file", from_file(&api_key, &dir.join("nope.pem")), ErrorCode::PrivateKeyUnreadable),
        ("mismatched pair", from_file(&api_key, &other_file), ErrorCode::PrivateKeyMismatch),
        ("production key in the sandbox section", pasted(&prod_key, &pem), ErrorCode::ApiKeyWrongEnvironment),
        (
            "not kept in the keychain",
            PairInput { api_key: api_key.clone(), private_key: PrivateKeySource::Keychain },
            ErrorCode::PrivateKeyNotHeld,
        ),
        ("empty API key", pasted("", &pem), ErrorCode::ApiKeyMalformed),
    ];
    for (what, pair, code) in cases {
        let err = f.save("shop-dev", sandbox_pair(pair)).await.unwrap_err();
        assert_eq!(problem_codes(&err), [code], "{what}");
        assert!(!err.to_string().contains(pem.lines().nth(1).unwrap()), "{what}: the message shows key material");
    }
    assert!(f.home.snapshot() == before, "nothing was saved");
    assert!(f.engine().instance("shop-dev").await.unwrap().sandbox_keys.is_none());
}

#[tokio::test]
async fn accepted_forms_of_a_private_key() {
    let f = Fixture::new().await;
    let (api_key, file) = f.key(Environment::Sandbox, "kept", true).await;
    f.instance("shop-dev", InstanceType::Development, "base").await;
    let pem = std::fs::read_to_string(&file).unwrap();

    let db = f.home.path().join("keyport.db");
    let service = f.engine().secrets().service().to_string();
    let mut used = Vec::new();

    // PKCS#1 is converted, with a notice.
    let pkcs1 = String::from_utf8(openssl(&["rsa", "-in", file.to_str().unwrap(), "-traditional"])).unwrap();
    assert!(pkcs1.starts_with("-----BEGIN RSA PRIVATE KEY-----"));
    let saved = f.engine().save_connector("shop-dev", sandbox_pair(pasted(&api_key, &pkcs1))).await.unwrap();
    assert_eq!(saved.notices.len(), 1, "{:?}", saved.notices);
    used.extend(keychain_entries(&db, &saved.instance.id));
    // CRLF line ends and surrounding white space.
    let messy = format!("\r\n   {}  \r\n", pem.replace('\n', "\r\n"));
    f.save("shop-dev", sandbox_pair(pasted(&api_key, &messy))).await.unwrap();
    used.extend(keychain_entries(&db, &saved.instance.id));
    // From the keychain (the key was kept at its download), and from its file.
    let keychain = PairInput { api_key: api_key.clone(), private_key: PrivateKeySource::Keychain };
    f.save("shop-dev", sandbox_pair(keychain)).await.unwrap();
    used.extend(keychain_entries(&db, &saved.instance.id));
    let saved = f.save("shop-dev", sandbox_pair(from_file(&api_key, &file))).await.unwrap();
    assert_eq!(saved.status, InstanceStatus::Connected);
    // Every replaced pair's entry is gone from the keychain itself; the one
    // in use holds the key, byte for byte.
    let current = keychain_entries(&db, &saved.id);
    assert_eq!(current.len(), 1);
    assert_eq!(used.len(), 3);
    for old in &used {
        assert!(!current.contains(old));
        assert_eq!(secret_tool_lookup(&service, old), None, "{old} is left in the keychain");
    }
    assert_eq!(secret_tool_lookup(&service, &current[0]).unwrap().trim(), pem.trim());
    // Nothing is left journaled either.
    assert_eq!(f.engine().reconcile_keychain().await.unwrap(), 0);
}

#[tokio::test]
async fn a_single_pair_becomes_the_active_one() {
    let f = Fixture::new().await;
    let (api_key, file) = f.key(Environment::Sandbox, "only", false).await;
    f.instance("shop-dev", InstanceType::Development, "base").await;
    // Only sandbox keys, and the instance's active pair is production: the
    // sandbox pair is the one used, as on the Admin page.
    let input = ConnectorInput { sandbox: Some(from_file(&api_key, &file)), ..Default::default() };
    let saved = f.engine().save_connector("shop-dev", input).await.unwrap();
    assert_eq!(saved.instance.active_environment, Environment::Sandbox);
    assert_eq!(saved.instance.status, InstanceStatus::Connected);
    assert!(saved.notices.iter().any(|n| n.contains("sandbox keys are the active pair")), "{:?}", saved.notices);
    // Asking for the production pair, which has no keys, is refused.
    let input = ConnectorInput { active_environment: Some(Environment::Production), ..Default::default() };
    assert_eq!(f.save("shop-dev", input).await.unwrap_err().code(), ErrorCode::KeysNotConfigured);
}

#[tokio::test]
async fn several_problems_are_reported_together_one_per_field() {
    let f = Fixture::new().await;
    let (api_key, file) = f.key(Environment::Sandbox, "s", false).await;
    f.instance("shop-dev", InstanceType::Development, "base").await;
    let input = ConnectorInput {
        sandbox: Some(pasted(&api_key, "not a key")),
        production: Some(from_file("kp_prod_typo", &file)),
        ims_organization_id: Some("nope".into()),
        ..Default::default()
    };
    let body = f.save("shop-dev", input).await.unwrap_err().body();
    let fields: Vec<_> = body.details.iter().map(|d| (d.field.unwrap(), d.code)).collect();
    use keyport_engine::core::Field::*;
    assert_eq!(
        fields,
        [
            (ImsOrganization, ErrorCode::ImsOrgMalformed),
            (SandboxPrivateKey, ErrorCode::PrivateKeyNotPem),
            (ProductionApiKey, ErrorCode::ApiKeyMalformed),
        ]
    );
}

#[tokio::test]
async fn entitlement_failures_and_unreachable_gateways_save_nothing() {
    let f = Fixture::new().await;
    let (api_key, file) = f.key(Environment::Sandbox, "s", false).await;
    f.instance("shop-dev", InstanceType::Development, "base").await;
    // Nothing listens at the custom gateway: unreachable, nothing saved.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let input = ConnectorInput {
        gateway: Some(keyport_engine::core::GatewayChoice::Custom),
        gateway_url: Some(format!("http://{closed}/")),
        ..sandbox_pair(from_file(&api_key, &file))
    };
    let before = f.home.snapshot();
    assert_eq!(problem_codes(&f.save("shop-dev", input).await.unwrap_err()), [ErrorCode::GatewayUnreachable]);
    let bad_url = ConnectorInput {
        gateway: Some(keyport_engine::core::GatewayChoice::Custom),
        gateway_url: Some("gopher://x".into()),
        ..Default::default()
    };
    assert_eq!(problem_codes(&f.save("shop-dev", bad_url).await.unwrap_err()), [ErrorCode::UrlInvalid]);
    // A key the gateway does not know (not this home's): its refusal code.
    let stranger = keyport_engine::core::ApiKey::generate(Environment::Sandbox, &mut rand::thread_rng());
    let pem = std::fs::read_to_string(&file).unwrap();
    let refused = f.save("shop-dev", sandbox_pair(pasted(stranger.as_str(), &pem))).await.unwrap_err();
    assert_eq!(problem_codes(&refused), [ErrorCode::UnknownApiKey]);
    // A revoked key is refused offline.
    f.engine().revoke_key(&api_key, "leaked").await.unwrap();
    let revoked = f.save("shop-dev", sandbox_pair(pasted(&api_key, &pem))).await.unwrap_err();
    assert_eq!(problem_codes(&revoked), [ErrorCode::KeyRevoked]);
    assert_eq!(f.home.snapshot().len(), before.len());
    assert!(f.engine().instance("shop-dev").await.unwrap().sandbox_keys.is_none());
}

/// An Adobe Commerce account's key on an instance, with a project created
/// through the gateway; returns (project id, production data space id, a testing data space id).
async fn configured(f: &Fixture, instance: &str, label: &str) -> (String, String, String) {
    let (api_key, file) = f.key(Environment::Sandbox, label, false).await;
    f.save(instance, sandbox_pair(from_file(&api_key, &file))).await.unwrap();
    let rows = match f.engine().connector_create_project(instance, "Storefront").await {
        Ok(rows) => rows,
        Err(e) if e.code() == ErrorCode::NameTaken => f.engine().connector_registry(instance).await.unwrap(),
        Err(e) => panic!("{e}"),
    };
    let production = rows.iter().find(|r| r.environment_type == "Production").unwrap();
    let testing = rows.iter().find(|r| r.environment_type == "Testing").unwrap();
    (production.project_id.clone(), production.environment_id.clone(), testing.environment_id.clone())
}

#[tokio::test]
async fn the_registry_answers_through_the_gateway_and_a_data_space_is_chosen() {
    let f = Fixture::new().await;
    f.instance("shop-dev", InstanceType::Development, "base").await;
    let (project, _, testing) = configured(&f, "shop-dev", "s").await;
    let rows = f.engine().connector_registry("shop-dev").await.unwrap();
    assert_eq!(rows.len(), 3, "Adobe Commerce: one production and two testing data spaces");
    let selection = ConnectorInput {
        saas: Some(SaasSelection { project_id: project.clone(), data_space_id: testing.clone() }),
        ..Default::default()
    };
    let instance = f.save("shop-dev", selection).await.unwrap();
    let saas = instance.saas.unwrap();
    assert_eq!((saas.project_name.as_str(), saas.data_space_type.as_str()), ("Storefront", "Testing"));

    // Renames through the gateway reach the instance.
    f.engine().connector_rename_project("shop-dev", &project, "Storefront EU").await.unwrap();
    f.engine().connector_rename_data_space("shop-dev", &testing, "Staging").await.unwrap();
    let saas = f.engine().instance("shop-dev").await.unwrap().saas.unwrap();
    assert_eq!((saas.project_name.as_str(), saas.data_space_name.as_str()), ("Storefront EU", "Staging"));
    // By name, as the CLI finds them.
    let row = f.engine().connector_find_data_space("shop-dev", "storefront eu", "staging").await.unwrap();
    assert_eq!(row.environment_id, testing);
    assert_eq!(
        f.engine().connector_find_data_space("shop-dev", "nope", "x").await.unwrap_err().code(),
        ErrorCode::ProjectNotFound
    );
    let missing = ConnectorInput {
        saas: Some(SaasSelection { project_id: project, data_space_id: "nope".into() }),
        ..Default::default()
    };
    assert_eq!(f.save("shop-dev", missing).await.unwrap_err().code(), ErrorCode::DataSpaceNotFound);
}

#[tokio::test]
async fn instances_share_a_data_space_only_with_distinct_website_codes() {
    let f = Fixture::new().await;
    f.instance("shop-dev", InstanceType::Development, "base eu").await;
    f.instance("shop-qa", InstanceType::Staging, "base").await;
    f.instance("shop-b2b", InstanceType::Staging, "b2b").await;
    let (project, _, testing) = configured(&f, "shop-dev", "dev").await;
    configured(&f, "shop-qa", "qa").await;
    configured(&f, "shop-b2b", "b2b").await;
    let select = || ConnectorInput {
        saas: Some(SaasSelection { project_id: project.clone(), data_space_id: testing.clone() }),
        ..Default::default()
    };
    f.save("shop-dev", select()).await.unwrap();
    // (The gateway logs every request in the same database, so the refused
    // change is checked on the instance, not on the file's bytes.)
    let before = f.engine().instance("shop-qa").await.unwrap();
    let err = f.save("shop-qa", select()).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::WebsiteCodeCollision);
    assert!(err.to_string().contains("shop-dev") && err.to_string().contains("\"base\""), "{err}");
    assert!(f.engine().instance("shop-qa").await.unwrap() == before, "the refused change left the instance alone");
    // Distinct codes share it.
    f.save("shop-b2b", select()).await.unwrap();
    // Editing codes into a collision is refused too.
    let clash = InstanceChanges { website_codes: Some(vec!["b2b eu".into()]), ..Default::default() };
    assert_eq!(
        f.engine().update_instance("shop-b2b", clash).await.unwrap_err().code(),
        ErrorCode::WebsiteCodeCollision
    );
}

/// The warnings a refusal asks to confirm, as the page shows them.
fn warnings(err: &EngineError) -> Vec<String> {
    assert_eq!(err.code(), ErrorCode::ConfirmationRequired, "{err}");
    err.body().details.into_iter().map(|d| d.message).collect()
}

#[tokio::test]
async fn production_data_and_production_instances_ask_for_confirmation() {
    let f = Fixture::new().await;
    f.instance("shop-qa", InstanceType::Staging, "base").await;
    let (project, production, testing) = configured(&f, "shop-qa", "qa").await;
    // A production data space on a staging instance: confirm first.
    let onto = |space: &str, confirmed: Vec<String>| ConnectorInput {
        saas: Some(SaasSelection { project_id: project.clone(), data_space_id: space.into() }),
        confirmed,
        ..Default::default()
    };
    let before = f.engine().instance("shop-qa").await.unwrap();
    let err = f.save("shop-qa", onto(&production, vec![])).await.unwrap_err();
    let asked = warnings(&err);
    assert_eq!(asked.len(), 1);
    assert!(asked[0].contains("production data space"), "{asked:?}");
    assert!(f.engine().instance("shop-qa").await.unwrap() == before, "nothing changed before the confirmation");
    // Confirming some other warning is no confirmation.
    let other = vec!["I accept whatever happens.".to_string()];
    assert_eq!(f.save("shop-qa", onto(&production, other)).await.unwrap_err().code(), ErrorCode::ConfirmationRequired);
    f.save("shop-qa", onto(&production, asked)).await.unwrap();
    // Back to a testing data space needs nothing.
    f.save("shop-qa", onto(&testing, vec![])).await.unwrap();

    // A production instance that already has a data space: changing it, or
    // its keys, leaves service data behind — confirm first.
    f.instance("shop-live", InstanceType::Production, "live").await;
    let (api_key, file) = f.key(Environment::Sandbox, "live", false).await;
    f.save("shop-live", sandbox_pair(from_file(&api_key, &file))).await.unwrap();
    f.save("shop-live", onto(&production, vec![])).await.unwrap();
    let asked = warnings(&f.save("shop-live", onto(&testing, vec![])).await.unwrap_err());
    assert!(asked[0].contains("stays there"), "{asked:?}");
    f.save("shop-live", onto(&testing, asked)).await.unwrap();
    let (new_key, new_file) = f.key(Environment::Sandbox, "live 2", false).await;
    let asked = warnings(&f.save("shop-live", sandbox_pair(from_file(&new_key, &new_file))).await.unwrap_err());
    let confirmed = ConnectorInput { confirmed: asked, ..sandbox_pair(from_file(&new_key, &new_file)) };
    assert_eq!(f.save("shop-live", confirmed).await.unwrap().sandbox_keys.unwrap().api_key, new_key);
    // A production instance on a production data space turning staging asks;
    // other edits of it (a rename) do not ask again.
    let asked = warnings(&f.save("shop-live", onto(&production, vec![])).await.unwrap_err());
    f.save("shop-live", onto(&production, asked)).await.unwrap();
    let staging = InstanceChanges { instance_type: Some(InstanceType::Staging), ..Default::default() };
    let asked = warnings(&f.engine().update_instance("shop-live", staging.clone()).await.unwrap_err());
    f.engine().update_instance("shop-live", InstanceChanges { confirmed: asked, ..staging.clone() }).await.unwrap();
    let rename = InstanceChanges { name: Some("shop-live-2".into()), ..staging };
    f.engine().update_instance("shop-live", rename).await.unwrap();
}

#[tokio::test]
async fn revoking_a_key_marks_every_instance_using_it_at_once() {
    let f = Fixture::new().await;
    let (api_key, file) = f.key(Environment::Sandbox, "shared", false).await;
    for name in ["shop-a", "shop-b"] {
        f.instance(name, InstanceType::Development, "base").await;
        f.save(name, sandbox_pair(from_file(&api_key, &file))).await.unwrap();
    }
    assert_eq!(f.engine().check_instance("shop-a").await.unwrap().status, InstanceStatus::Connected);
    f.engine().revoke_key(&api_key, "leaked in a CI log").await.unwrap();
    for instance in f.engine().instances(None).await.unwrap() {
        assert_eq!(instance.status, InstanceStatus::KeysRevoked, "{}", instance.name);
        assert!(instance.status_message.contains("leaked in a CI log"));
    }
    // The gateway agrees.
    let checked = f.engine().check_instance("shop-a").await.unwrap();
    assert_eq!(checked.last_check_code, Some(ErrorCode::KeyRevoked));
}

#[tokio::test]
async fn the_active_pair_must_have_keys_and_removal_forgets_them() {
    let f = Fixture::new().await;
    let instance = f.instance("shop-dev", InstanceType::Development, "base").await;
    assert_eq!(
        f.engine().activate_pair("shop-dev", Environment::Sandbox).await.unwrap_err().code(),
        ErrorCode::KeysNotConfigured
    );
    let (api_key, file) = f.key(Environment::Sandbox, "s", false).await;
    f.save("shop-dev", sandbox_pair(from_file(&api_key, &file))).await.unwrap();
    assert_eq!(
        f.engine().activate_pair("shop-dev", Environment::Production).await.unwrap_err().code(),
        ErrorCode::KeysNotConfigured
    );
    let entries = keychain_entries(&f.home.path().join("keyport.db"), &instance.id);
    let service = f.engine().secrets().service().to_string();
    assert!(secret_tool_lookup(&service, &entries[0]).is_some());
    f.engine().remove_instance("shop-dev").await.unwrap();
    assert!(secret_tool_lookup(&service, &entries[0]).is_none(), "the instance's private key is gone");
    assert_eq!(f.engine().instance("shop-dev").await.unwrap_err().code(), ErrorCode::InstanceNotFound);
    let _ = files_in(f.out.path());
}

#[tokio::test]
async fn a_key_of_another_account_is_refused() {
    let f = Fixture::new().await;
    f.engine()
        .create_account(NewAccount {
            mage_id: "MAG000000002".into(),
            name: "Other".into(),
            edition: Edition::AdobeCommerce,
            operating_model: OperatingModel::PrimaryMerchant,
        })
        .await
        .unwrap();
    let file = f.out.path().join("other.pem");
    let key = f
        .engine()
        .create_key_to_file(
            "MAG000000002",
            NewKey { environment: Environment::Sandbox, label: "x".into(), bits: 2048, scope: None },
            &file,
            false,
        )
        .await
        .unwrap()
        .key;
    f.instance("shop-dev", InstanceType::Development, "base").await;
    let err = f.save("shop-dev", sandbox_pair(from_file(key.api_key.as_str(), &file))).await.unwrap_err();
    assert_eq!(problem_codes(&err), [ErrorCode::KeyOfOtherAccount]);
}

#[tokio::test]
async fn a_save_racing_another_change_saves_nothing() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let f = Fixture::new().await;
    let (api_key, file) = f.key(Environment::Sandbox, "racer", false).await;
    f.instance("shop-dev", InstanceType::Development, "base").await;
    // A gateway that, while Save Config waits for its ping, lets another
    // window rename the instance, and then accepts the keys.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let engine = f.engine().clone();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut request = [0u8; 8192];
        let _ = socket.read(&mut request).await;
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        let rename = InstanceChanges { name: Some("renamed".into()), ..Default::default() };
        engine.update_instance("shop-dev", rename).await.unwrap();
        let reply = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}";
        socket.write_all(reply).await.unwrap();
    });
    let input = ConnectorInput {
        gateway: Some(keyport_engine::core::GatewayChoice::Custom),
        gateway_url: Some(url),
        ..sandbox_pair(from_file(&api_key, &file))
    };
    let err = f.save("shop-dev", input).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::ChangedMeanwhile, "{err}");
    // The other change stands; this one left nothing, not even a keychain entry.
    let after = f.engine().instance("renamed").await.unwrap();
    assert!(after.sandbox_keys.is_none());
    assert_eq!(after.gateway, keyport_engine::core::GatewayChoice::Keyport);
    assert_eq!(f.engine().reconcile_keychain().await.unwrap(), 0);
}

/// A change another process (the CLI) makes is seen at once by every pooled
/// connection of this one, after the page's usual burst of reads.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_process_s_revoke_is_seen_at_once_on_every_connection() {
    let f = Fixture::new().await;
    f.instance("shop-dev", InstanceType::Development, "base").await;
    let (project, _, testing) = configured(&f, "shop-dev", "qa").await;
    let pick = ConnectorInput {
        saas: Some(SaasSelection { project_id: project, data_space_id: testing.clone() }),
        ..Default::default()
    };
    f.save("shop-dev", pick).await.unwrap();
    f.engine().connector_rename_data_space("shop-dev", &testing, "QA").await.unwrap();
    f.engine().export_instance("shop-dev", &f.out.path().join("x"), false).await.unwrap();
    for _ in 0..5 {
        drop(f.home.reopen().await.instance("shop-dev").await.unwrap());
        let mut set = tokio::task::JoinSet::new();
        for n in 0..12 {
            let engine = f.engine().clone();
            set.spawn(async move {
                match n % 3 {
                    0 => drop(engine.instances(None).await.unwrap()),
                    1 => drop(engine.instance("shop-dev").await.unwrap()),
                    _ => drop(engine.connector_registry("shop-dev").await.unwrap()),
                }
            });
        }
        set.join_all().await;
    }
    assert!(read_concurrently(f.engine()).await.iter().all(|i| i.status == InstanceStatus::Connected));
    let sandbox_key = f.engine().instance("shop-dev").await.unwrap().sandbox_keys.unwrap().api_key;
    let other = f.home.reopen().await;
    other.revoke_key(&sandbox_key, "leaked").await.unwrap();
    other.close().await;
    assert!(read_concurrently(f.engine()).await.iter().all(|i| i.status == InstanceStatus::KeysRevoked));
}

/// The instance read 16 times at once, so the pool opens several connections.
async fn read_concurrently(engine: &keyport_engine::Engine) -> Vec<keyport_engine::model::Instance> {
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..16 {
        let engine = engine.clone();
        set.spawn(async move { engine.instance("shop-dev").await.unwrap() });
    }
    set.join_all().await
}
