//! API key pairs and the one-time download, on a real SQLite file, the real
//! Secret Service, real RSA keys and real files.

mod common;

use std::os::unix::fs::PermissionsExt;

use common::{ReadOnly, TestHome, files_in, new_account, openssl, secret_tool_lookup};
use keyport_engine::core::{Environment, ErrorCode, KeyStatus, OperatingModel};
use keyport_engine::model::{KeyFilter, KeyQuery, KeySort, KeySortField, NewKey};
use keyport_engine::{DISCARDED_REASON, Engine, ManualClock, kept_entry};

const MAG: &str = "MAG000000001";

async fn home_with_account() -> TestHome {
    let home = TestHome::new().await;
    home.engine.create_account(new_account(MAG, "Acme", OperatingModel::PrimaryMerchant)).await.unwrap();
    home
}

fn new_key(env: Environment, label: &str) -> NewKey {
    NewKey { environment: env, label: label.into(), bits: 2048, scope: None }
}

fn pending_secret(engine: &Engine, id: &str) -> Option<String> {
    secret_tool_lookup(engine.secrets().service(), &format!("pending:{id}"))
}

#[tokio::test]
async fn create_leaves_the_private_key_pending_in_the_keychain_only() {
    let home = home_with_account().await;
    let key = home.engine.create_key(MAG, new_key(Environment::Production, "staging CI")).await.unwrap();
    assert!(key.api_key.as_str().starts_with("kp_prod_"));
    assert_eq!(key.status, KeyStatus::Active);
    assert!(key.download_pending);
    assert!(key.delivered_at.is_none());
    assert_eq!(key.bits, 2048);
    assert!(key.public_key_pem.starts_with("-----BEGIN PUBLIC KEY-----"));
    let pending = pending_secret(&home.engine, &key.id).expect("pending entry in the Secret Service");
    assert!(pending.starts_with("-----BEGIN PRIVATE KEY-----"));
    assert_eq!(home.engine.pending_downloads().await.unwrap(), vec![key]);
}

#[tokio::test]
async fn download_writes_a_verified_0600_pkcs8_file_and_forgets_the_key() {
    let home = home_with_account().await;
    let key = home.engine.create_key(MAG, new_key(Environment::Sandbox, "agency X")).await.unwrap();
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("privateKey-sandbox.pem");

    let delivery = home.engine.deliver_private_key(&key.id, &file, false, false).await.unwrap();
    assert_eq!(delivery.private_key_file, file.display().to_string());
    assert!(delivery.key.delivered_at.is_some());
    assert!(!delivery.key.download_pending);
    assert!(!delivery.key.kept_in_keychain);

    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.starts_with("-----BEGIN PRIVATE KEY-----\n"));
    assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    assert_eq!(files_in(out.path()), ["privateKey-sandbox.pem"], "no temporary file is left");

    // An independent parser agrees: a valid RSA key whose public half is the stored one.
    let path = file.to_str().unwrap();
    assert_eq!(openssl(&["rsa", "-in", path, "-check", "-noout"]), b"RSA key ok\n");
    assert_eq!(String::from_utf8(openssl(&["pkey", "-in", path, "-pubout"])).unwrap(), key.public_key_pem);
    let der = openssl(&["pkey", "-in", path, "-pubout", "-outform", "DER"]);
    let digest = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(digest.path(), der).unwrap();
    let sha = openssl(&["dgst", "-sha256", "-binary", digest.path().to_str().unwrap()]);
    use base64::Engine as _;
    assert_eq!(key.fingerprint, format!("SHA256:{}", base64::engine::general_purpose::STANDARD_NO_PAD.encode(sha)));

    // The pending entry is gone; Keyport holds no copy any more.
    assert!(pending_secret(&home.engine, &key.id).is_none());
    assert!(home.engine.pending_downloads().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_second_download_is_refused() {
    let home = home_with_account().await;
    let key = home.engine.create_key(MAG, new_key(Environment::Production, "once")).await.unwrap();
    let out = tempfile::tempdir().unwrap();
    home.engine.deliver_private_key(&key.id, &out.path().join("a.pem"), false, false).await.unwrap();
    let err = home.engine.deliver_private_key(&key.id, &out.path().join("b.pem"), false, false).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::AlreadyDelivered);
    assert!(!out.path().join("b.pem").exists());
    // Not even by overwriting the first file.
    let err = home.engine.deliver_private_key(&key.id, &out.path().join("a.pem"), true, false).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::AlreadyDelivered);
    assert_eq!(home.engine.discard_pending_key(&key.id).await.unwrap_err().code(), ErrorCode::AlreadyDelivered);
}

#[tokio::test]
async fn pending_download_survives_a_restart() {
    let home = home_with_account().await;
    let key = home.engine.create_key(MAG, new_key(Environment::Production, "before crash")).await.unwrap();
    home.close().await;
    drop(home.engine.clone());

    let restarted = home.reopen().await;
    let pending = restarted.pending_downloads().await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].id, key.id);
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("privateKey-production.pem");
    restarted.deliver_private_key(&key.api_key.to_string(), &file, false, false).await.unwrap();
    assert!(std::fs::read_to_string(&file).unwrap().contains("BEGIN PRIVATE KEY"));
}

#[tokio::test]
async fn keeping_the_key_stores_it_under_its_id() {
    let home = home_with_account().await;
    let key = home.engine.create_key(MAG, new_key(Environment::Production, "connector")).await.unwrap();
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("k.pem");
    let delivery = home.engine.deliver_private_key(&key.id, &file, false, true).await.unwrap();
    assert!(delivery.key.kept_in_keychain);
    let kept = secret_tool_lookup(home.engine.secrets().service(), &kept_entry(&key.id)).unwrap();
    assert_eq!(kept, std::fs::read_to_string(&file).unwrap());
    assert!(pending_secret(&home.engine, &key.id).is_none());

    // Revoking drops the kept copy too.
    home.engine.revoke_key(&key.id, "rotated").await.unwrap();
    assert!(secret_tool_lookup(home.engine.secrets().service(), &kept_entry(&key.id)).is_none());
}

#[tokio::test]
async fn discarding_revokes_the_key_and_deletes_the_pending_secret() {
    let home = home_with_account().await;
    let key = home.engine.create_key(MAG, new_key(Environment::Production, "oops")).await.unwrap();
    let discarded = home.engine.discard_pending_key(&key.id).await.unwrap();
    assert_eq!(discarded.status, KeyStatus::Revoked);
    assert_eq!(discarded.revoke_reason.as_deref(), Some(DISCARDED_REASON));
    assert!(discarded.revoked_at.is_some());
    assert!(!discarded.download_pending);
    assert!(pending_secret(&home.engine, &key.id).is_none());

    // A revoked key cannot be downloaded any more.
    let out = tempfile::tempdir().unwrap();
    let err = home.engine.deliver_private_key(&key.id, &out.path().join("k.pem"), false, false).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::KeyRevoked);
    assert!(err.to_string().contains(DISCARDED_REASON));
    assert!(files_in(out.path()).is_empty());
}

#[tokio::test]
async fn revoke_needs_a_reason_and_keeps_the_record() {
    let home = home_with_account().await;
    let key = home.engine.create_key(MAG, new_key(Environment::Sandbox, "old")).await.unwrap();
    for (reason, code) in [
        ("", ErrorCode::EmptyValue),
        ("  ", ErrorCode::EmptyValue),
        (&"r".repeat(201)[..], ErrorCode::ValueTooLong),
        ("a\nb", ErrorCode::InvalidCharacters),
    ] {
        assert_eq!(home.engine.revoke_key(&key.id, reason).await.unwrap_err().code(), code);
    }
    assert_eq!(home.engine.key(&key.id).await.unwrap(), key, "refused revokes change nothing");

    let revoked = home.engine.revoke_key(&key.id, " leaked in a log ").await.unwrap();
    assert_eq!(revoked.revoke_reason.as_deref(), Some("leaked in a log"));
    assert_eq!(home.engine.revoke_key(&key.id, "again").await.unwrap_err().code(), ErrorCode::KeyRevoked);
    assert_eq!(home.engine.revoke_key("no-such-key", "x").await.unwrap_err().code(), ErrorCode::KeyNotFound);

    // Revoked keys stay listed, marked.
    let page = home.engine.keys(MAG, &KeyQuery { limit: 50, ..Default::default() }).await.unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(page.keys[0].status, KeyStatus::Revoked);
    assert!(pending_secret(&home.engine, &key.id).is_none(), "revoking a pending key drops its secret");
}

#[tokio::test]
async fn labels_tell_active_keys_apart() {
    let home = home_with_account().await;
    let engine = &home.engine;
    let a = engine.create_key(MAG, new_key(Environment::Production, "Staging CI")).await.unwrap();

    let long = "l".repeat(65);
    for (label, code) in [
        ("", ErrorCode::EmptyValue),
        (" ", ErrorCode::EmptyValue),
        (long.as_str(), ErrorCode::ValueTooLong),
        ("tab\there", ErrorCode::InvalidCharacters),
        ("staging ci", ErrorCode::LabelTaken),
    ] {
        let err = engine.create_key(MAG, new_key(Environment::Production, label)).await.unwrap_err();
        assert_eq!(err.code(), code, "{label:?}");
    }
    // The same label in the other environment is a different key's business.
    engine.create_key(MAG, new_key(Environment::Sandbox, "Staging CI")).await.unwrap();
    // A revoked key's label can be reused (rotation).
    engine.revoke_key(&a.id, "rotated").await.unwrap();
    let b = engine.create_key(MAG, new_key(Environment::Production, "Staging CI")).await.unwrap();

    let c = engine.create_key(MAG, new_key(Environment::Production, "other")).await.unwrap();
    assert_eq!(engine.relabel_key(&c.id, "STAGING ci").await.unwrap_err().code(), ErrorCode::LabelTaken);
    assert_eq!(engine.relabel_key(&c.id, "").await.unwrap_err().code(), ErrorCode::EmptyValue);
    assert_eq!(engine.relabel_key("nope", "x").await.unwrap_err().code(), ErrorCode::KeyNotFound);
    assert_eq!(engine.key(&c.id).await.unwrap().label, "other");
    assert_eq!(engine.relabel_key(&c.id, "Release pipeline").await.unwrap().label, "Release pipeline");
    // Relabelling a key to its own label in another case is fine.
    assert_eq!(engine.relabel_key(&b.id, "staging CI").await.unwrap().label, "staging CI");

    let page = engine.keys(MAG, &KeyQuery { limit: 50, ..Default::default() }).await.unwrap();
    assert_eq!(page.total, 4);
}

#[tokio::test]
async fn unsupported_sizes_and_unknown_accounts_store_nothing() {
    let home = home_with_account().await;
    for bits in [0, 1024, 2047, 8192] {
        let err = home
            .engine
            .create_key(MAG, NewKey { environment: Environment::Production, label: "x".into(), bits, scope: None })
            .await
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::UnsupportedKeySize);
    }
    let err = home.engine.create_key("MAG999999999", new_key(Environment::Production, "x")).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::AccountNotFound);
    let page = home.engine.keys(MAG, &KeyQuery { limit: 10, ..Default::default() }).await.unwrap();
    assert_eq!(page.total, 0);
}

#[tokio::test]
async fn bad_save_locations_are_refused_and_the_key_stays_pending() {
    let home = home_with_account().await;
    let key = home.engine.create_key(MAG, new_key(Environment::Production, "careful")).await.unwrap();
    let out = tempfile::tempdir().unwrap();
    std::fs::write(out.path().join("taken.pem"), "mine").unwrap();
    std::fs::create_dir(out.path().join("folder.pem")).unwrap();

    let cases = [
        (out.path().join("missing/k.pem"), false, ErrorCode::FolderMissing),
        (out.path().join("taken.pem"), false, ErrorCode::FileExists),
        (out.path().join("folder.pem"), false, ErrorCode::PathIsFolder),
        (out.path().join("folder.pem"), true, ErrorCode::PathIsFolder),
    ];
    for (dest, overwrite, code) in cases {
        let err = home.engine.deliver_private_key(&key.id, &dest, overwrite, false).await.unwrap_err();
        assert_eq!(err.code(), code, "{dest:?}");
    }
    assert_eq!(std::fs::read_to_string(out.path().join("taken.pem")).unwrap(), "mine");

    let locked = out.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    {
        let _guard = ReadOnly::new(&locked);
        let err = home.engine.deliver_private_key(&key.id, &locked.join("k.pem"), false, false).await.unwrap_err();
        assert_eq!(err.code(), ErrorCode::FolderNotWritable);
    }
    assert!(files_in(&locked).is_empty());
    assert_eq!(files_in(out.path()), ["folder.pem", "locked", "taken.pem"], "no partial file anywhere");

    // Still pending, still downloadable; an overwrite the user confirmed works.
    let still = home.engine.key(&key.id).await.unwrap();
    assert!(still.download_pending);
    assert!(pending_secret(&home.engine, &key.id).is_some());
    home.engine.deliver_private_key(&key.id, &out.path().join("taken.pem"), true, false).await.unwrap();
    assert!(std::fs::read_to_string(out.path().join("taken.pem")).unwrap().contains("BEGIN PRIVATE KEY"));
}

#[tokio::test]
async fn create_to_file_records_nothing_when_the_file_cannot_be_written() {
    let home = home_with_account().await;
    let out = tempfile::tempdir().unwrap();
    std::fs::write(out.path().join("taken.pem"), "mine").unwrap();
    for (dest, code) in [
        (out.path().join("taken.pem"), ErrorCode::FileExists),
        (out.path().join("no/dir.pem"), ErrorCode::FolderMissing),
    ] {
        let err = home
            .engine
            .create_key_to_file(MAG, new_key(Environment::Production, "cli"), &dest, false)
            .await
            .unwrap_err();
        assert_eq!(err.code(), code);
    }
    assert_eq!(home.engine.keys(MAG, &KeyQuery { limit: 10, ..Default::default() }).await.unwrap().total, 0);

    let file = out.path().join("privateKey-production.pem");
    let delivery =
        home.engine.create_key_to_file(MAG, new_key(Environment::Production, "cli"), &file, false).await.unwrap();
    assert!(delivery.key.delivered_at.is_some());
    assert!(!delivery.key.download_pending);
    assert!(pending_secret(&home.engine, &delivery.key.id).is_none(), "nothing waits in the keychain");
    assert_eq!(
        home.engine
            .deliver_private_key(&delivery.key.id, &out.path().join("x.pem"), false, false)
            .await
            .unwrap_err()
            .code(),
        ErrorCode::AlreadyDelivered
    );
}

#[tokio::test]
async fn nothing_secret_reaches_the_database_file() {
    let home = home_with_account().await;
    let out = tempfile::tempdir().unwrap();
    let mut private_bodies = Vec::new();
    let mut remember = |path: &std::path::Path| {
        let text = std::fs::read_to_string(path).unwrap();
        // Every base64 line of the private key must be absent from the database.
        private_bodies.extend(text.lines().filter(|l| !l.starts_with("-----")).map(str::to_string));
    };

    let kept = home.engine.create_key(MAG, new_key(Environment::Production, "kept")).await.unwrap();
    home.engine.deliver_private_key(&kept.id, &out.path().join("kept.pem"), false, true).await.unwrap();
    remember(&out.path().join("kept.pem"));
    let plain = home.engine.create_key(MAG, new_key(Environment::Sandbox, "plain")).await.unwrap();
    home.engine.deliver_private_key(&plain.id, &out.path().join("plain.pem"), false, false).await.unwrap();
    remember(&out.path().join("plain.pem"));
    let cli = home
        .engine
        .create_key_to_file(MAG, new_key(Environment::Sandbox, "cli"), &out.path().join("cli.pem"), true)
        .await
        .unwrap();
    remember(&out.path().join("cli.pem"));
    home.engine.revoke_key(&cli.key.id, "test").await.unwrap();
    let pending = home.engine.create_key(MAG, new_key(Environment::Production, "pending")).await.unwrap();
    let pending_pem = pending_secret(&home.engine, &pending.id).unwrap();
    private_bodies.extend(pending_pem.lines().filter(|l| !l.starts_with("-----")).map(str::to_string));
    home.engine.discard_pending_key(&pending.id).await.unwrap();
    home.close().await;

    let mut bytes = std::fs::read(home.path().join("keyport.db")).unwrap();
    if let Ok(wal) = std::fs::read(home.path().join("keyport.db-wal")) {
        bytes.extend(wal);
    }
    let haystack = String::from_utf8_lossy(&bytes);
    assert!(!haystack.contains("PRIVATE KEY"));
    assert!(private_bodies.len() > 60);
    for line in &private_bodies {
        assert!(!haystack.contains(line.as_str()), "a private key line is in keyport.db");
    }
}

#[tokio::test]
async fn list_filters_by_environment_and_searches_label_key_and_fingerprint() {
    let home = home_with_account().await;
    let engine = &home.engine;
    let prod_a = engine.create_key(MAG, new_key(Environment::Production, "Alpha 100%")).await.unwrap();
    let prod_b = engine.create_key(MAG, new_key(Environment::Production, "beta_ci")).await.unwrap();
    let sbx = engine.create_key(MAG, new_key(Environment::Sandbox, "alpha sandbox")).await.unwrap();
    let query = |env: Option<Environment>, search: &str, offset: u32, limit: u32| KeyQuery {
        environment: env,
        search: Some(search.to_string()),
        offset,
        limit,
        ..Default::default()
    };

    let prod = engine.keys(MAG, &query(Some(Environment::Production), "", 0, 50)).await.unwrap();
    assert_eq!(prod.total, 2);
    assert_eq!(
        prod.keys.iter().map(|k| k.id.as_str()).collect::<Vec<_>>(),
        [prod_b.id.as_str(), prod_a.id.as_str()],
        "newest first"
    );

    let ids = |page: keyport_engine::model::KeyPage| page.keys.into_iter().map(|k| k.id).collect::<Vec<_>>();
    assert_eq!(ids(engine.keys(MAG, &query(None, "ALPHA", 0, 50)).await.unwrap()).len(), 2);
    assert_eq!(ids(engine.keys(MAG, &query(None, "100%", 0, 50)).await.unwrap()), [prod_a.id.as_str()], "% is literal");
    assert_eq!(ids(engine.keys(MAG, &query(None, "l_h", 0, 50)).await.unwrap()), Vec::<String>::new(), "_ is literal");
    assert_eq!(ids(engine.keys(MAG, &query(None, "a_c", 0, 50)).await.unwrap()), [prod_b.id.as_str()]);
    assert_eq!(
        ids(engine.keys(MAG, &query(None, &sbx.api_key.as_str()[8..20], 0, 50)).await.unwrap()),
        [sbx.id.as_str()]
    );
    assert_eq!(
        ids(engine.keys(MAG, &query(None, &prod_b.fingerprint[7..30], 0, 50)).await.unwrap()),
        [prod_b.id.as_str()]
    );

    // Pages.
    let first = engine.keys(MAG, &query(None, "", 0, 2)).await.unwrap();
    let second = engine.keys(MAG, &query(None, "", 2, 2)).await.unwrap();
    assert_eq!((first.total, first.keys.len(), second.keys.len()), (3, 2, 1));
    // Past the end, or with no match, the page is empty and still counts.
    let beyond = engine.keys(MAG, &query(None, "", 10, 2)).await.unwrap();
    assert_eq!((beyond.total, beyond.keys.len()), (3, 0));
    let none = engine.keys(MAG, &query(None, "no such key", 0, 2)).await.unwrap();
    assert_eq!((none.total, none.keys.len()), (0, 0));
    assert_eq!(
        engine.keys("MAG999999999", &query(None, "", 0, 2)).await.unwrap_err().code(),
        ErrorCode::AccountNotFound
    );
}

#[tokio::test]
async fn reconcile_removes_leftover_keychain_entries() {
    let home = home_with_account().await;
    let key = home.engine.create_key(MAG, new_key(Environment::Production, "k")).await.unwrap();
    let out = tempfile::tempdir().unwrap();
    home.engine.deliver_private_key(&key.id, &out.path().join("k.pem"), false, false).await.unwrap();
    // Simulate a crash between "delivered" and "pending entry deleted".
    let pem = keyport_engine::core::keys::KeyPair::generate(2048).unwrap().private_pem();
    home.engine.secrets().store(&format!("pending:{}", key.id), &pem).await.unwrap();
    home.close().await;
    let status = std::process::Command::new("sqlite3")
        .args(["-cmd", ".timeout 10000"])
        .arg(home.path().join("keyport.db"))
        .arg(format!("UPDATE api_keys SET pending_in_keychain = 1 WHERE id = '{}'", key.id))
        .status()
        .unwrap();
    assert!(status.success());

    let engine = home.reopen().await;
    assert_eq!(engine.reconcile_keychain().await.unwrap(), 1);
    assert!(pending_secret(&engine, &key.id).is_none());
    assert_eq!(engine.reconcile_keychain().await.unwrap(), 0);
}

#[tokio::test]
async fn the_key_pool_hands_out_ready_pairs() {
    let home = home_with_account().await;
    let engine = home.reopen().await.with_key_pool();
    // Wait (bounded) for the 2048-bit pair to be ready.
    for _ in 0..300 {
        if engine.key_sizes().iter().any(|s| s.bits == 2048 && s.ready) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(engine.key_sizes().iter().any(|s| s.bits == 2048 && s.ready && s.default));
    let key = engine.create_key(MAG, new_key(Environment::Production, "from pool")).await.unwrap();
    assert_eq!(key.bits, 2048);
    // Pooled pairs are never reused: each key has its own.
    let other = engine.create_key(MAG, new_key(Environment::Production, "second")).await.unwrap();
    assert_ne!(key.fingerprint, other.fingerprint);
}

fn sqlite(home: &TestHome, sql: &str) {
    let out = std::process::Command::new("sqlite3")
        .args(["-cmd", ".timeout 10000"])
        .arg(home.path().join("keyport.db"))
        .arg(sql)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[tokio::test]
async fn a_download_in_progress_blocks_a_second_one_until_its_claim_goes_stale() {
    let home = home_with_account().await;
    let clock = ManualClock::starting_now();
    let engine = home.engine.clone().with_clock(clock.clone());
    let key = engine.create_key(MAG, new_key(Environment::Production, "busy")).await.unwrap();
    let out = tempfile::tempdir().unwrap();
    // Another process is saving this key right now: its claim is in the
    // database (written by an independent SQLite client, as that process would).
    sqlite(
        &home,
        &format!("UPDATE api_keys SET delivery_claimed_at = '{}' WHERE id = '{}'", engine.timestamp(), key.id),
    );
    let err = engine.deliver_private_key(&key.id, &out.path().join("k.pem"), false, false).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::DownloadInProgress);
    assert!(files_in(out.path()).is_empty());
    assert!(pending_secret(&engine, &key.id).is_some(), "the pending key is untouched");

    // A minute later it is still that process's; after two it is stale
    // (the process died) and can be taken over.
    clock.advance(time::Duration::seconds(60));
    let err = engine.deliver_private_key(&key.id, &out.path().join("k.pem"), false, false).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::DownloadInProgress);
    clock.advance(time::Duration::seconds(61));
    engine.deliver_private_key(&key.id, &out.path().join("k.pem"), false, false).await.unwrap();
}

#[tokio::test]
async fn secrets_written_before_a_crash_are_found_again_through_the_journal() {
    let home = home_with_account().await;
    let clock = ManualClock::starting_now();
    let engine = &home.engine.clone().with_clock(clock.clone());
    // A crash between storing a pending secret and recording its key: the
    // journal names it, no key row claims it.
    let orphan = "pending:00000000-dead-beef-0000-000000000000";
    let pem = keyport_engine::core::keys::KeyPair::generate(2048).unwrap().private_pem();
    engine.secrets().store(orphan, &pem).await.unwrap();
    let now = engine.timestamp();
    sqlite(
        &home,
        &format!("INSERT INTO keychain_journal (entry, key_id, created_at) VALUES ('{orphan}', 'x', '{now}')"),
    );
    // A legitimate pending key whose journal line survived (crash after commit is impossible,
    // but a stale line must never cost a real key its secret).
    let key = engine.create_key(MAG, new_key(Environment::Production, "legit")).await.unwrap();
    sqlite(
        &home,
        &format!(
            "INSERT INTO keychain_journal (entry, key_id, created_at) VALUES ('pending:{}', '{}', '{now}')",
            key.id, key.id
        ),
    );

    // Within a minute the entries may belong to an operation still under way.
    assert_eq!(engine.reconcile_keychain().await.unwrap(), 0);
    assert!(secret_tool_lookup(engine.secrets().service(), orphan).is_some());
    clock.advance(time::Duration::seconds(61));
    assert_eq!(engine.reconcile_keychain().await.unwrap(), 1);
    assert!(secret_tool_lookup(engine.secrets().service(), orphan).is_none());
    assert!(pending_secret(engine, &key.id).is_some(), "the real key keeps its secret");
    assert_eq!(engine.reconcile_keychain().await.unwrap(), 0, "the journal is settled");
    assert!(!engine.key(&key.id).await.unwrap().keychain_cleanup_pending);
}

#[tokio::test]
async fn the_grid_filters_by_status_and_sorts_by_any_column() {
    let home = home_with_account().await;
    let clock = ManualClock::starting_now();
    let engine = home.engine.clone().with_clock(clock.clone());
    let out = tempfile::tempdir().unwrap();
    let env = Environment::Production;
    let mut ids = Vec::new();
    for label in ["charlie", "Alpha", "bravo"] {
        clock.advance(time::Duration::seconds(1));
        ids.push(engine.create_key(MAG, new_key(env, label)).await.unwrap().id);
    }
    engine.deliver_private_key(&ids[0], &out.path().join("c.pem"), false, false).await.unwrap();
    engine.revoke_key(&ids[1], "rotated").await.unwrap();
    let page = |status: Option<KeyFilter>, sort: Option<KeySort>| {
        let engine = engine.clone();
        async move {
            let query = KeyQuery { status, sort, limit: 50, ..Default::default() };
            engine.keys(MAG, &query).await.unwrap().keys.into_iter().map(|k| k.label).collect::<Vec<_>>()
        }
    };
    assert_eq!(page(Some(KeyFilter::Active), None).await, ["charlie"]);
    assert_eq!(page(Some(KeyFilter::AwaitingDownload), None).await, ["bravo"]);
    assert_eq!(page(Some(KeyFilter::Revoked), None).await, ["Alpha"]);
    assert_eq!(page(None, None).await, ["bravo", "Alpha", "charlie"], "newest first by default");
    let by = |field, descending| Some(KeySort { field, descending });
    assert_eq!(page(None, by(KeySortField::Label, false)).await, ["Alpha", "bravo", "charlie"], "case-insensitive");
    assert_eq!(page(None, by(KeySortField::Created, false)).await, ["charlie", "Alpha", "bravo"]);
}

#[tokio::test]
async fn label_search_ignores_case_beyond_ascii() {
    let home = home_with_account().await;
    let key = home.engine.create_key(MAG, new_key(Environment::Production, "Ärger-Überwachung")).await.unwrap();
    let query = KeyQuery { search: Some("ärger-über".into()), limit: 10, ..Default::default() };
    let page = home.engine.keys(MAG, &query).await.unwrap();
    assert_eq!(page.keys.iter().map(|k| k.id.as_str()).collect::<Vec<_>>(), [key.id.as_str()]);
}
