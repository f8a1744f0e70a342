//! Key bundles between two Keyport homes (two workstations): export with a
//! recipient's public key or a passphrase, the preview, the all-or-nothing
//! import, interop with the reference `age` tool (Debian's `age` package) in
//! both directions, and every bad bundle refused with its own code while
//! nothing is written.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use common::{TestHome, new_account, secret_tool_lookup};
use keyport_engine::core::bundle::Lock;
use keyport_engine::core::{AccountRelation, Environment, ErrorCode, OperatingModel};
use keyport_engine::model::{
    Arrival, BundleProtection, ConnectorInput, InstanceStatus, NewBundle, NewInstance, NewKey, PairInput, PastedSecret,
    PrivateKeySource,
};
use keyport_engine::{Engine, EngineError, ManualClock, kept_entry};
use keyport_sandbox::Sandbox;
use serde_json::Value;

const MAG: &str = "MAG000000007";
const PASSPHRASE: &str = "orange-kettle-seventy-1";

/// The license holder's workstation: an Ecosystem account with a merchant,
/// a project, and two keys kept in the keychain (returned as API keys).
async fn license_holder() -> (TestHome, Vec<String>) {
    let home = TestHome::new().await;
    let engine = &home.engine;
    engine.create_account(new_account(MAG, "Acme Corp", OperatingModel::Ecosystem)).await.unwrap();
    engine.add_merchant(MAG, "Shop A").await.unwrap();
    engine.create_project(MAG, "Storefront").await.unwrap();
    let out = tempfile::tempdir().unwrap();
    let mut keys = Vec::new();
    for (env, label) in [(Environment::Sandbox, "staging CI"), (Environment::Production, "live")] {
        let input = NewKey { environment: env, label: label.into(), bits: 2048, scope: None };
        let file = out.path().join(format!("{label}.pem"));
        keys.push(engine.create_key_to_file(MAG, input, &file, true).await.unwrap().key.api_key.to_string());
    }
    (home, keys)
}

fn for_recipient(keys: &[String], recipient: &str) -> NewBundle {
    NewBundle {
        keys: keys.to_vec(),
        protection: BundleProtection::Recipient { recipient: recipient.into() },
        expires_in_hours: 7 * 24,
    }
}

fn with_passphrase(keys: &[String], passphrase: &str) -> NewBundle {
    NewBundle {
        keys: keys.to_vec(),
        protection: BundleProtection::Passphrase { passphrase: PastedSecret::new(passphrase.into()) },
        expires_in_hours: 7 * 24,
    }
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Every keychain entry of a home, listed by libsecret's `secret-tool`.
fn keychain_entries(engine: &Engine) -> Vec<String> {
    let out = Command::new("secret-tool")
        .args(["search", "--all", "service", engine.secrets().service()])
        .output()
        .expect("secret-tool is installed by make test");
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    let mut entries: Vec<String> =
        text.lines().filter_map(|l| l.trim().strip_prefix("attribute.username = ").map(str::to_string)).collect();
    entries.sort();
    entries
}

/// An identity made by the reference tool: (identity file, age1… recipient).
fn age_keygen(dir: &Path) -> (PathBuf, String) {
    let file = dir.join("identity.txt");
    run(Command::new("age-keygen").arg("-o").arg(&file));
    let public = run(Command::new("age-keygen").arg("-y").arg(&file));
    (file, String::from_utf8(public).unwrap().trim().to_string())
}

fn run(command: &mut Command) -> Vec<u8> {
    let out = command.output().unwrap_or_else(|e| panic!("{command:?}: {e}"));
    assert!(out.status.success(), "{command:?}: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

/// `age -e` of `plaintext` to `recipient` with the reference tool.
fn age_encrypt(dir: &Path, plaintext: &[u8], recipient: &str, armor: bool) -> PathBuf {
    let input = dir.join("plain.json");
    std::fs::write(&input, plaintext).unwrap();
    static MADE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = MADE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let output = dir.join(format!("from-age-{n}.keyport{}", if armor { ".asc" } else { "" }));
    let mut command = Command::new("age");
    command.arg("-e").arg("-r").arg(recipient);
    if armor {
        command.arg("-a");
    }
    run(command.arg("-o").arg(&output).arg(&input));
    std::fs::remove_file(&input).unwrap();
    output
}

/// The state an import must leave alone: the database bytes and the keychain.
struct Untouched {
    snapshot: Vec<Vec<u8>>,
    entries: Vec<String>,
}

impl Untouched {
    fn of(home: &TestHome) -> Untouched {
        Untouched { snapshot: home.snapshot(), entries: keychain_entries(&home.engine) }
    }

    fn check(&self, home: &TestHome, what: &str) {
        assert!(home.snapshot() == self.snapshot, "{what}: the database changed");
        assert_eq!(keychain_entries(&home.engine), self.entries, "{what}: the keychain changed");
    }
}

async fn refused(engine: &Engine, file: &Path, passphrase: Option<&str>) -> EngineError {
    engine.open_bundle(file, passphrase).await.expect_err("the bundle should be refused")
}

#[tokio::test]
async fn a_bundle_for_a_recipient_carries_keys_and_projects_to_another_workstation() {
    let (holder, keys) = license_holder().await;
    let integrator = TestHome::new().await;
    let identity = integrator.engine.identity().await.unwrap();
    assert!(identity.recipient.starts_with("age1"));
    assert_eq!(integrator.engine.identity().await.unwrap(), identity, "created once");
    assert_eq!(integrator.reopen().await.identity().await.unwrap(), identity, "kept across restarts");

    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("acme.keyport");
    let exported = holder.engine.export_bundle(for_recipient(&keys, &identity.recipient), &file, false).await.unwrap();
    assert_eq!((exported.lock, exported.keys.len()), (Lock::Recipient, 2));
    assert_eq!(mode(&file), 0o600);
    let bytes = std::fs::read(&file).unwrap();
    assert!(bytes.starts_with(b"age-encryption.org/v1\n"));
    assert!(
        !String::from_utf8_lossy(&bytes).contains("PRIVATE KEY") && !String::from_utf8_lossy(&bytes).contains(&keys[0])
    );

    // The preview shows what it holds before anything is written.
    let before = Untouched::of(&integrator);
    let opened = integrator.engine.open_bundle(&file, None).await.unwrap();
    before.check(&integrator, "the preview");
    let preview = &opened.preview;
    assert_eq!(preview.account.mage_id.as_str(), MAG);
    assert_eq!(preview.account.arrival, Arrival::New);
    assert_eq!(preview.account.merchants, ["Shop A"]);
    assert_eq!(preview.keys.iter().map(|k| k.label.as_str()).collect::<Vec<_>>(), ["staging CI", "live"]);
    assert!(preview.keys.iter().all(|k| k.arrival == Arrival::New));
    assert_eq!(preview.projects.len(), 1);
    assert_eq!(preview.projects[0].data_spaces.len(), 3);

    let imported = integrator.engine.import_bundle(opened, &[]).await.unwrap();
    assert_eq!(imported.account.relation, AccountRelation::Client);
    assert!(imported.account.is_current, "the first account of a workstation becomes current");
    assert_eq!(imported.imported.len(), 2);
    assert_eq!(imported.projects_added, 1);
    for key in &imported.imported {
        assert!(key.received_at.is_some() && key.kept_in_keychain && !key.download_pending);
        // The private key is in this workstation's keychain, byte for byte the holder's.
        let held = secret_tool_lookup(integrator.engine.secrets().service(), &kept_entry(&key.id)).unwrap();
        let original = secret_tool_lookup(
            holder.engine.secrets().service(),
            &kept_entry(&holder.engine.key(key.api_key.as_str()).await.unwrap().id),
        )
        .unwrap();
        assert_eq!(held, original);
    }
    let projects = integrator.engine.projects(MAG).await.unwrap();
    let holder_projects = holder.engine.projects(MAG).await.unwrap();
    assert_eq!(projects[0].id, holder_projects[0].id, "projects keep their ids");
    assert_eq!(projects[0].data_spaces.len(), 3);
    // A client account's keys are its license holder's to create.
    let more = NewKey { environment: Environment::Sandbox, label: "mine".into(), bits: 2048, scope: None };
    assert_eq!(integrator.engine.create_key(MAG, more).await.unwrap_err().code(), ErrorCode::ClientAccount);

    // A received key is usable on the Connector page, from the keychain.
    let sandbox = Sandbox::start(integrator.engine.clone(), "127.0.0.1:0".parse().unwrap()).await.unwrap();
    integrator.engine.set_local_gateway(Some(sandbox.gateway_url()));
    integrator
        .engine
        .add_instance(NewInstance {
            account: MAG.into(),
            name: "shop-dev".into(),
            base_url: "https://dev.shop.test".into(),
            instance_type: keyport_engine::core::InstanceType::Development,
            website_codes: vec!["base".into()],
        })
        .await
        .unwrap();
    let input = ConnectorInput {
        sandbox: Some(PairInput { api_key: keys[0].clone(), private_key: PrivateKeySource::Keychain }),
        ..Default::default()
    };
    let saved = integrator.engine.save_connector("shop-dev", input).await.unwrap();
    assert_eq!(saved.instance.status, InstanceStatus::Connected);

    // Importing the same bundle again adds nothing and says why.
    let again = integrator.engine.open_bundle(&file, None).await.unwrap();
    assert!(again.preview.keys.iter().all(|k| k.arrival == Arrival::Present));
    assert_eq!(again.preview.account.relation, Some(AccountRelation::Client));
    let second = integrator.engine.import_bundle(again, &[]).await.unwrap();
    assert!(second.imported.is_empty());
    assert!(second.notices.iter().any(|n| n.contains("already on this workstation")), "{:?}", second.notices);
    assert_eq!(integrator.engine.keys(MAG, &Default::default()).await.unwrap().total, 2);
}

#[tokio::test]
async fn a_passphrase_bundle_round_trips_and_labels_already_used_are_kept_apart() {
    let (holder, keys) = license_holder().await;
    // The integrator already has the account as its own, with a key labelled alike.
    let integrator = TestHome::new().await;
    integrator.engine.create_account(new_account(MAG, "Acme", OperatingModel::Ecosystem)).await.unwrap();
    let mine = NewKey { environment: Environment::Sandbox, label: "Staging CI".into(), bits: 2048, scope: None };
    let out = tempfile::tempdir().unwrap();
    integrator.engine.create_key_to_file(MAG, mine, &out.path().join("mine.pem"), false).await.unwrap();

    let file = out.path().join("acme.keyport");
    let exported = holder.engine.export_bundle(with_passphrase(&keys[..1], PASSPHRASE), &file, false).await.unwrap();
    assert_eq!(exported.lock, Lock::Passphrase);
    assert_eq!(refused(&integrator.engine, &file, None).await.code(), ErrorCode::BundlePassphraseRequired);
    let opened = integrator.engine.open_bundle(&file, Some(PASSPHRASE)).await.unwrap();
    assert_eq!(opened.preview.lock, Lock::Passphrase);
    assert_eq!(opened.preview.account.relation, Some(AccountRelation::Own));
    assert_eq!(opened.preview.keys[0].arrival, Arrival::New);
    // Keys for one's own account come only on purpose: anyone can make a
    // bundle for a public key.
    let warnings = opened.preview.warnings.clone();
    assert!(warnings.len() == 1 && warnings[0].contains("your own account"), "{warnings:?}");
    let err = integrator.engine.import_bundle(opened, &[]).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::ConfirmationRequired);
    assert_eq!(integrator.engine.keys(MAG, &Default::default()).await.unwrap().total, 1, "nothing imported");
    let opened = integrator.engine.open_bundle(&file, Some(PASSPHRASE)).await.unwrap();
    let imported = integrator.engine.import_bundle(opened, &warnings).await.unwrap();
    assert_eq!(imported.imported[0].label, "staging CI (received)");
    assert!(imported.notices.iter().any(|n| n.contains("staging CI (received)")), "{:?}", imported.notices);
    assert_eq!(imported.account.relation, AccountRelation::Own, "an own account stays own");
}

#[tokio::test]
async fn bundles_interoperate_with_the_reference_age_tool_both_ways() {
    let (holder, keys) = license_holder().await;
    let dir = tempfile::tempdir().unwrap();
    // Keyport → age: a bundle for an age-keygen identity decrypts with `age -d -i`.
    let (identity_file, recipient) = age_keygen(dir.path());
    let file = dir.path().join("acme.keyport");
    holder.engine.export_bundle(for_recipient(&keys, &recipient), &file, false).await.unwrap();
    let plaintext = run(Command::new("age").arg("-d").arg("-i").arg(&identity_file).arg(&file));
    let manifest: Value = serde_json::from_slice(&plaintext).unwrap();
    assert_eq!(manifest["format"], "keyport-bundle");
    assert_eq!(manifest["version"], 1);
    assert_eq!(manifest["account"]["mage_id"], MAG);
    assert_eq!(manifest["keys"][0]["api_key"], keys[0].as_str());
    assert!(manifest["keys"][0]["private_key_pem"].as_str().unwrap().starts_with("-----BEGIN PRIVATE KEY-----"));

    // age → Keyport: what `age -r` encrypted to this workstation's identity
    // imports, in binary and ASCII-armored form.
    for armor in [false, true] {
        let integrator = TestHome::new().await;
        let mine = integrator.engine.identity().await.unwrap().recipient;
        let from_age = age_encrypt(dir.path(), &plaintext, &mine, armor);
        let opened = integrator.engine.open_bundle(&from_age, None).await.unwrap();
        let imported = integrator.engine.import_bundle(opened, &[]).await.unwrap();
        assert_eq!(imported.imported.len(), 2, "armor: {armor}");
    }
}

#[tokio::test]
async fn every_bad_bundle_has_its_own_code_and_writes_nothing() {
    let (holder, keys) = license_holder().await;
    let integrator = TestHome::new().await;
    let mine = integrator.engine.identity().await.unwrap().recipient;
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.keyport");
    holder.engine.export_bundle(for_recipient(&keys, &mine), &good, false).await.unwrap();
    let locked = dir.path().join("locked.keyport");
    holder.engine.export_bundle(with_passphrase(&keys, PASSPHRASE), &locked, false).await.unwrap();
    let (identity_file, stranger) = age_keygen(dir.path());
    let theirs = dir.path().join("theirs.keyport");
    holder.engine.export_bundle(for_recipient(&keys, &stranger), &theirs, false).await.unwrap();
    let plaintext = run(Command::new("age").arg("-d").arg("-i").arg(&identity_file).arg(&theirs));
    let manifest: Value = serde_json::from_slice(&plaintext).unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    };
    let good_bytes = std::fs::read(&good).unwrap();
    let mut flipped_payload = good_bytes.clone();
    let last = flipped_payload.len() - 20;
    flipped_payload[last] ^= 0x01;
    // A bit of the header's MAC: a stanza's own bytes would read as another
    // identity's, which age cannot tell from damage.
    let mut flipped_header = good_bytes.clone();
    let mac = good_bytes.windows(5).position(|w| w == b"\n--- ").unwrap() + 8;
    // Another base64 digit, not a flipped bit: a bit flip can make a
    // character that is no base64 at all (the header then does not parse:
    // bundle_not_age), which made this case fail at random.
    flipped_header[mac] = if good_bytes[mac] == b'A' { b'B' } else { b'A' };
    // The same manifest with another private key under the first API key.
    let mut swapped = manifest.clone();
    swapped["keys"][0]["private_key_pem"] = manifest["keys"][1]["private_key_pem"].clone();
    let mut newer = manifest.clone();
    newer["version"] = 2.into();
    let reseal = |name: &str, value: &Value| {
        let sealed = age_encrypt(dir.path(), &serde_json::to_vec(value).unwrap(), &mine, false);
        let path = dir.path().join(name);
        std::fs::rename(sealed, &path).unwrap();
        path
    };
    // A work factor of 2^30 (hours, and 256 GiB) in the passphrase stanza.
    let locked_text = std::fs::read(&locked).unwrap();
    let header_end = locked_text.windows(4).position(|w| w == b"\n---").unwrap();
    let header = String::from_utf8(locked_text[..header_end].to_vec()).unwrap();
    let hostile_header = header.replace(&format!(" {}\n", keyport_engine::core::bundle::WORK_FACTOR), " 30\n");
    assert_ne!(header, hostile_header);
    let mut hostile = hostile_header.into_bytes();
    hostile.extend_from_slice(&locked_text[header_end..]);
    let huge = dir.path().join("huge.keyport");
    std::fs::File::create(&huge).unwrap().set_len(100 * 1024 * 1024).unwrap();

    let cases: Vec<(&str, PathBuf, Option<&str>, ErrorCode)> = vec![
        ("wrong passphrase", locked.clone(), Some("not the passphrase"), ErrorCode::BundleWrongPassphrase),
        ("a passphrase for a recipient's bundle", good.clone(), Some(PASSPHRASE), ErrorCode::BundleNotForPassphrase),
        ("for another identity", theirs.clone(), None, ErrorCode::BundleWrongIdentity),
        ("truncated", write("truncated.keyport", &good_bytes[..good_bytes.len() - 40]), None, ErrorCode::BundleDamaged),
        ("cut in the header", write("cut.keyport", &good_bytes[..60]), None, ErrorCode::BundleDamaged),
        ("a bit flipped in the payload", write("flipped.keyport", &flipped_payload), None, ErrorCode::BundleDamaged),
        (
            "a bit flipped in the header",
            write("flipped-header.keyport", &flipped_header),
            None,
            ErrorCode::BundleDamaged,
        ),
        ("not an age file", write("key.pem", b"-----BEGIN PRIVATE KEY-----\nMII\n"), None, ErrorCode::BundleNotAge),
        ("an empty file", write("empty.keyport", b""), None, ErrorCode::BundleNotAge),
        ("random bytes", write("random.keyport", &[0x9f; 4096]), None, ErrorCode::BundleNotAge),
        (
            "age, but not a manifest",
            age_encrypt(dir.path(), b"hello, world", &mine, false),
            None,
            ErrorCode::BundleNotKeyport,
        ),
        ("an unknown version", reseal("newer.keyport", &newer), None, ErrorCode::BundleVersionUnsupported),
        (
            "a private key that is not its API key's",
            reseal("swapped.keyport", &swapped),
            None,
            ErrorCode::BundleKeyMismatch,
        ),
        ("a hostile work factor", write("hostile.keyport", &hostile), Some(PASSPHRASE), ErrorCode::BundleWorkFactor),
        ("100 MiB", huge.clone(), None, ErrorCode::BundleTooLarge),
        ("a folder", dir.path().to_path_buf(), None, ErrorCode::PathIsFolder),
        ("no such file", dir.path().join("nope.keyport"), None, ErrorCode::IoError),
    ];
    let untouched = Untouched::of(&integrator);
    for (what, file, passphrase, code) in cases {
        let started = Instant::now();
        let err = refused(&integrator.engine, &file, passphrase).await;
        assert_eq!(err.code(), code, "{what}: {err}");
        assert!(started.elapsed().as_secs() < 10, "{what} took {:?}", started.elapsed());
        assert!(!err.to_string().contains("PRIVATE KEY"), "{what}: the message shows key material");
        untouched.check(&integrator, what);
    }

    // An expired bundle names its expiry; a day later it is refused.
    let clock = ManualClock::starting_now();
    let later = integrator.engine.clone().with_clock(clock.clone());
    clock.advance(time::Duration::days(8));
    let err = refused(&later, &good, None).await;
    assert_eq!(err.code(), ErrorCode::BundleExpired);
    let expires = manifest["expires_at"].as_str().unwrap();
    assert!(err.to_string().contains(&expires[..10]), "{err}");
    untouched.check(&integrator, "expired");
}

#[tokio::test]
async fn a_key_here_with_another_public_key_refuses_the_bundle() {
    let (holder, keys) = license_holder().await;
    let integrator = TestHome::new().await;
    let mine = integrator.engine.identity().await.unwrap().recipient;
    let dir = tempfile::tempdir().unwrap();
    let (identity_file, stranger) = age_keygen(dir.path());
    let theirs = dir.path().join("theirs.keyport");
    holder.engine.export_bundle(for_recipient(&keys, &stranger), &theirs, false).await.unwrap();
    let plaintext = run(Command::new("age").arg("-d").arg("-i").arg(&identity_file).arg(&theirs));
    let mut manifest: Value = serde_json::from_slice(&plaintext).unwrap();
    // First the genuine bundle, then one whose first key is the same API key
    // with another key pair (and a fingerprint to match it).
    let genuine = age_encrypt(dir.path(), &plaintext, &mine, false);
    let opened = integrator.engine.open_bundle(&genuine, None).await.unwrap();
    integrator.engine.import_bundle(opened, &[]).await.unwrap();
    let other = keyport_engine::core::keys::KeyPair::generate(2048).unwrap();
    manifest["keys"][0]["private_key_pem"] = other.private_pem().expose().into();
    manifest["keys"][0]["fingerprint"] = other.fingerprint().into();
    let forged = age_encrypt(dir.path(), &serde_json::to_vec(&manifest).unwrap(), &mine, false);
    let untouched = Untouched::of(&integrator);
    let err = refused(&integrator.engine, &forged, None).await;
    assert_eq!(err.code(), ErrorCode::BundleKeyConflict);
    untouched.check(&integrator, "a conflicting key");
}

#[tokio::test]
async fn an_import_that_fails_half_way_leaves_nothing_behind() {
    let (holder, keys) = license_holder().await;
    holder.engine.relabel_key(&keys[1], "boom").await.unwrap();
    let integrator = TestHome::new().await;
    let mine = integrator.engine.identity().await.unwrap().recipient;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("acme.keyport");
    holder.engine.export_bundle(for_recipient(&keys, &mine), &file, false).await.unwrap();

    // The database refuses the second key, after the account, the project
    // and the first key were written in the transaction, and after both
    // private keys went to the keychain (a test trigger stands in for a disk
    // or constraint failure at that point).
    let db = integrator.path().join("keyport.db");
    let sql = |statement: &str| {
        run(Command::new("sqlite3").args(["-cmd", ".timeout 10000"]).arg(&db).arg(statement));
    };
    sql("CREATE TRIGGER keyport_test_fail BEFORE INSERT ON api_keys WHEN NEW.label = 'boom'
         BEGIN SELECT RAISE(ABORT, 'injected failure'); END;");
    let entries = keychain_entries(&integrator.engine);
    let opened = integrator.engine.open_bundle(&file, None).await.unwrap();
    let err = integrator.engine.import_bundle(opened, &[]).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::DatabaseError, "{err}");
    assert!(integrator.engine.accounts().await.unwrap().is_empty(), "no account");
    assert_eq!(integrator.engine.reconcile_keychain().await.unwrap(), 0, "nothing left to clean up");
    assert_eq!(keychain_entries(&integrator.engine), entries, "no private key stays in the keychain");
    assert!(entries.iter().all(|e| !e.starts_with("key:")));
    assert!(integrator.engine.projects(MAG).await.is_err(), "no project (nor its account)");

    sql("DROP TRIGGER keyport_test_fail;");
    let opened = integrator.engine.open_bundle(&file, None).await.unwrap();
    assert_eq!(integrator.engine.import_bundle(opened, &[]).await.unwrap().imported.len(), 2);
}

#[tokio::test]
async fn exports_refuse_what_cannot_or_must_not_travel() {
    let (holder, keys) = license_holder().await;
    let engine = &holder.engine;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x.keyport");
    let recipient = TestHome::new().await.engine.identity().await.unwrap().recipient;
    // A key saved to a file and not kept: Keyport no longer holds it.
    let gone = NewKey { environment: Environment::Sandbox, label: "gone".into(), bits: 2048, scope: None };
    let gone = engine.create_key_to_file(MAG, gone, &dir.path().join("gone.pem"), false).await.unwrap().key;
    // A key still waiting for its one-time download.
    let pending = NewKey { environment: Environment::Sandbox, label: "pending".into(), bits: 2048, scope: None };
    let pending = engine.create_key(MAG, pending).await.unwrap();
    // A key of another account.
    engine.create_account(new_account("MAG000000008", "Other", OperatingModel::PrimaryMerchant)).await.unwrap();
    let other = NewKey { environment: Environment::Sandbox, label: "other".into(), bits: 2048, scope: None };
    let other = engine.create_key_to_file("MAG000000008", other, &dir.path().join("o.pem"), true).await.unwrap().key;
    let revoked = engine.revoke_key(&keys[1], "leaked").await.unwrap();

    let cases: Vec<(&str, NewBundle, ErrorCode)> = vec![
        ("no key", for_recipient(&[], &recipient), ErrorCode::BundleEmpty),
        ("a malformed recipient", for_recipient(&keys[..1], "age1notakey"), ErrorCode::RecipientMalformed),
        (
            "a secret identity as recipient",
            for_recipient(&keys[..1], "AGE-SECRET-KEY-1XYZ"),
            ErrorCode::RecipientMalformed,
        ),
        ("a short passphrase", with_passphrase(&keys[..1], "hunter2"), ErrorCode::PassphraseTooShort),
        ("not kept", for_recipient(&[gone.api_key.to_string()], &recipient), ErrorCode::PrivateKeyNotHeld),
        ("pending", for_recipient(&[pending.api_key.to_string()], &recipient), ErrorCode::PrivateKeyNotHeld),
        ("revoked", for_recipient(&[revoked.api_key.to_string()], &recipient), ErrorCode::PrivateKeyNotHeld),
        (
            "two accounts",
            for_recipient(&[keys[0].clone(), other.api_key.to_string()], &recipient),
            ErrorCode::BundleMixedAccounts,
        ),
        ("an unknown key", for_recipient(&["kp_sbox_nope".into()], &recipient), ErrorCode::KeyNotFound),
        (
            "no expiry",
            NewBundle { expires_in_hours: 0, ..for_recipient(&keys[..1], &recipient) },
            ErrorCode::ExpiryOutOfRange,
        ),
        (
            "a year",
            NewBundle { expires_in_hours: 24 * 365, ..for_recipient(&keys[..1], &recipient) },
            ErrorCode::ExpiryOutOfRange,
        ),
    ];
    for (what, request, code) in cases {
        let err = engine.export_bundle(request, &file, false).await.unwrap_err();
        assert_eq!(err.code(), code, "{what}: {err}");
        assert!(!file.exists(), "{what}: a file was written");
    }
    // An existing file is never replaced silently.
    std::fs::write(&file, b"precious").unwrap();
    let err = engine.export_bundle(for_recipient(&keys[..1], &recipient), &file, false).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::FileExists);
    assert_eq!(std::fs::read(&file).unwrap(), b"precious");
}

#[tokio::test]
async fn the_one_time_download_can_be_a_bundle_and_is_then_the_keys_delivery() {
    let (holder, _) = license_holder().await;
    let engine = &holder.engine;
    let integrator = TestHome::new().await;
    let mine = integrator.engine.identity().await.unwrap().recipient;
    let dir = tempfile::tempdir().unwrap();
    for keep in [false, true] {
        let label = format!("handover {keep}");
        let input = NewKey { environment: Environment::Production, label: label.clone(), bits: 2048, scope: None };
        let key = engine.create_key(MAG, input).await.unwrap();
        let file = dir.path().join(format!("{label}.keyport"));
        let protection = BundleProtection::Recipient { recipient: mine.clone() };
        let delivery =
            engine.deliver_as_bundle(key.api_key.as_str(), &protection, 24, &file, false, keep).await.unwrap();
        assert!(!delivery.key.download_pending && delivery.key.delivered_at.is_some());
        assert_eq!(delivery.key.kept_in_keychain, keep);
        assert_eq!(mode(&file), 0o600);
        let service = engine.secrets().service();
        assert_eq!(secret_tool_lookup(service, &format!("pending:{}", key.id)), None, "the pending copy is gone");
        assert_eq!(secret_tool_lookup(service, &kept_entry(&key.id)).is_some(), keep);
        // Its one delivery happened: no second one.
        let again = dir.path().join("again.pem");
        assert_eq!(
            engine.deliver_private_key(key.api_key.as_str(), &again, false, false).await.unwrap_err().code(),
            ErrorCode::AlreadyDelivered
        );
        let opened = integrator.engine.open_bundle(&file, None).await.unwrap();
        let imported = integrator.engine.import_bundle(opened, &[]).await.unwrap();
        assert_eq!(imported.imported.iter().map(|k| k.label.as_str()).collect::<Vec<_>>(), [label.as_str()]);
    }
    // A bad protection leaves the key pending, its download still possible.
    let input = NewKey { environment: Environment::Sandbox, label: "still pending".into(), bits: 2048, scope: None };
    let key = engine.create_key(MAG, input).await.unwrap();
    let bad = BundleProtection::Passphrase { passphrase: PastedSecret::new("short".into()) };
    let file = dir.path().join("bad.keyport");
    let err = engine.deliver_as_bundle(key.api_key.as_str(), &bad, 24, &file, false, false).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::PassphraseTooShort);
    assert!(engine.key(key.api_key.as_str()).await.unwrap().download_pending && !file.exists());
}

#[tokio::test]
async fn a_lost_identity_is_reported_and_replaced_only_on_purpose() {
    let (holder, keys) = license_holder().await;
    let integrator = TestHome::new().await;
    let first = integrator.engine.identity().await.unwrap();
    assert_eq!(integrator.engine.new_identity(false).await.unwrap_err().code(), ErrorCode::IdentityExists);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("acme.keyport");
    holder.engine.export_bundle(for_recipient(&keys, &first.recipient), &file, false).await.unwrap();

    // Someone removes the secret from the keychain outside Keyport.
    let service = integrator.engine.secrets().service().to_string();
    let entry = format!("identity:{}", first.recipient);
    run(Command::new("secret-tool").args(["clear", "service", &service, "username", &entry]));
    let err = refused(&integrator.engine, &file, None).await;
    assert_eq!(err.code(), ErrorCode::IdentityLost);
    assert!(err.to_string().contains(&first.recipient));

    let second = integrator.engine.new_identity(true).await.unwrap();
    assert_ne!(second.recipient, first.recipient);
    assert_eq!(refused(&integrator.engine, &file, None).await.code(), ErrorCode::BundleWrongIdentity);
    assert!(
        secret_tool_lookup(&service, &format!("identity:{}", second.recipient))
            .unwrap()
            .starts_with("AGE-SECRET-KEY-1")
    );
    assert_eq!(integrator.engine.reconcile_keychain().await.unwrap(), 0);
}

#[tokio::test]
async fn inconsistent_manifests_and_re_exports_are_refused() {
    let (holder, keys) = license_holder().await;
    let dir = tempfile::tempdir().unwrap();
    let (identity_file, stranger) = age_keygen(dir.path());
    let theirs = dir.path().join("theirs.keyport");
    holder.engine.export_bundle(for_recipient(&keys, &stranger), &theirs, false).await.unwrap();
    let plaintext = run(Command::new("age").arg("-d").arg("-i").arg(&identity_file).arg(&theirs));
    let manifest: Value = serde_json::from_slice(&plaintext).unwrap();

    // A workstation without an identity yet: no bundle is for it, and
    // opening one creates nothing.
    let fresh = TestHome::new().await;
    let before = Untouched::of(&fresh);
    assert_eq!(refused(&fresh.engine, &theirs, None).await.code(), ErrorCode::BundleWrongIdentity);
    before.check(&fresh, "no identity");

    let integrator = TestHome::new().await;
    let mine = integrator.engine.identity().await.unwrap().recipient;
    // Two keys sharing one key pair; a project listed twice; no version.
    let mut shared = manifest.clone();
    shared["keys"][1]["private_key_pem"] = manifest["keys"][0]["private_key_pem"].clone();
    shared["keys"][1]["fingerprint"] = manifest["keys"][0]["fingerprint"].clone();
    let mut twice = manifest.clone();
    twice["projects"].as_array_mut().unwrap().push(manifest["projects"][0].clone());
    let mut unversioned = manifest.clone();
    unversioned.as_object_mut().unwrap().remove("version");
    let untouched = Untouched::of(&integrator);
    for (what, value) in [("a shared key pair", &shared), ("a project twice", &twice), ("no version", &unversioned)] {
        let file = age_encrypt(dir.path(), &serde_json::to_vec(value).unwrap(), &mine, false);
        let err = refused(&integrator.engine, &file, None).await;
        assert_eq!(err.code(), ErrorCode::BundleManifestInvalid, "{what}: {err}");
        untouched.check(&integrator, what);
    }

    // The genuine bundle imports; a received key does not travel on.
    let genuine = age_encrypt(dir.path(), &plaintext, &mine, false);
    let opened = integrator.engine.open_bundle(&genuine, None).await.unwrap();
    integrator.engine.import_bundle(opened, &[]).await.unwrap();
    let colleague = TestHome::new().await.engine.identity().await.unwrap().recipient;
    let err = integrator
        .engine
        .export_bundle(for_recipient(&keys[..1], &colleague), &dir.path().join("on.keyport"), false)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::PrivateKeyNotHeld);
    assert!(err.to_string().contains("received"), "{err}");

    // The same key pair under another API key is not the same key.
    let mut renamed = manifest.clone();
    let other = keyport_engine::core::ApiKey::generate(Environment::Sandbox, &mut rand::thread_rng());
    renamed["keys"][0]["api_key"] = other.to_string().into();
    let file = age_encrypt(dir.path(), &serde_json::to_vec(&renamed).unwrap(), &mine, false);
    let untouched = Untouched::of(&integrator);
    assert_eq!(refused(&integrator.engine, &file, None).await.code(), ErrorCode::BundleKeyConflict);
    untouched.check(&integrator, "a key pair under another API key");
}
