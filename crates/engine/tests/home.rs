//! The Keyport home folder and its database: bad homes and bad files are
//! refused with their own codes, and nothing existing is changed.

mod common;

use keyport_engine::core::ErrorCode;
use std::sync::Arc;

use common::{ReadOnly, TestHome, new_account};
use keyport_engine::core::OperatingModel;
use keyport_engine::{Engine, Home};

#[tokio::test]
async fn database_is_created_with_wal_and_foreign_keys() {
    let home = TestHome::new().await;
    assert!(home.path().join("keyport.db").is_file());
    // The first account proves migrations ran; WAL mode leaves its -wal file.
    home.engine.create_account(new_account("MAG000000001", "A", OperatingModel::PrimaryMerchant)).await.unwrap();
    assert!(home.path().join("keyport.db-wal").exists());
}

#[tokio::test]
async fn the_database_is_private_and_every_commit_durable() {
    use std::os::unix::fs::PermissionsExt;
    let home = TestHome::new().await;
    home.engine.create_account(new_account("MAG000000001", "A", OperatingModel::PrimaryMerchant)).await.unwrap();
    for file in ["keyport.db", "keyport.db-wal", "keyport.db-shm", "keyport.lock"] {
        let mode = std::fs::metadata(home.path().join(file)).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{file}");
    }
    // A revoke must survive a power loss: WAL with synchronous=FULL.
    assert_eq!(home.engine.durability().await.unwrap(), ("wal".to_string(), "full".to_string()));

    // A database an older Keyport left 0644 is tightened when opened.
    let path = home.path().to_path_buf();
    home.engine.close().await;
    std::fs::set_permissions(path.join("keyport.db"), std::fs::Permissions::from_mode(0o644)).unwrap();
    let engine = Engine::open(Home::existing(&path).unwrap()).await.unwrap();
    assert_eq!(std::fs::metadata(path.join("keyport.db")).unwrap().permissions().mode() & 0o777, 0o600);
    engine.close().await;
}

#[tokio::test]
async fn missing_home_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope");
    let err = Home::existing(&missing).unwrap_err();
    assert_eq!(err.code(), ErrorCode::HomeMissing);
    assert!(err.to_string().contains("nope"));
    assert!(!missing.exists(), "a missing home is not created behind the user's back");
    let err = Home::resolve(Some(missing.clone())).unwrap_err();
    assert_eq!(err.code(), ErrorCode::HomeMissing);
}

#[tokio::test]
async fn a_file_is_not_a_home() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("file");
    std::fs::write(&file, "x").unwrap();
    assert_eq!(Home::existing(&file).unwrap_err().code(), ErrorCode::HomeNotADirectory);
}

#[tokio::test]
async fn read_only_home_is_refused_and_left_alone() {
    // A home that already holds data, then turns read-only.
    let home = TestHome::new().await;
    home.engine.create_account(new_account("MAG000000001", "A", OperatingModel::PrimaryMerchant)).await.unwrap();
    home.close().await;
    let before = home.snapshot();

    let guard = ReadOnly::new(home.path());
    let err = Engine::open(Home::existing(home.path()).unwrap()).await.err().unwrap();
    assert_eq!(err.code(), ErrorCode::HomeNotWritable);
    drop(guard);
    assert!(home.snapshot() == before, "the database was changed");

    // An empty read-only folder too.
    let empty = tempfile::tempdir().unwrap();
    let _guard = ReadOnly::new(empty.path());
    let err = Engine::open(Home::existing(empty.path()).unwrap()).await.err().unwrap();
    assert_eq!(err.code(), ErrorCode::HomeNotWritable);
}

#[tokio::test]
async fn corrupt_database_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("keyport.db");
    let junk = b"this is not an SQLite file, just some text that a user put here\n".repeat(100);
    std::fs::write(&db, &junk).unwrap();
    let err = Engine::open(Home::existing(dir.path()).unwrap()).await.err().unwrap();
    assert_eq!(err.code(), ErrorCode::DatabaseCorrupt);
    assert!(std::fs::read(&db).unwrap() == junk, "the file was changed");
    assert!(!dir.path().join("keyport.db-wal").exists());
}

#[tokio::test]
async fn damaged_sqlite_file_is_refused() {
    // Right header, garbage after it: SQLite itself reports the damage.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("keyport.db");
    let mut bytes = b"SQLite format 3\0".to_vec();
    bytes.extend(std::iter::repeat_n(0xA5u8, 8192));
    std::fs::write(&db, &bytes).unwrap();
    let err = Engine::open(Home::existing(dir.path()).unwrap()).await.err().unwrap();
    assert_eq!(err.code(), ErrorCode::DatabaseCorrupt);
    assert!(std::fs::read(&db).unwrap() == bytes, "the file was changed");
}

#[tokio::test]
async fn foreign_sqlite_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("keyport.db");
    let status = std::process::Command::new("sqlite3")
        .args(["-cmd", ".timeout 10000"])
        .arg(&db)
        .arg("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine');")
        .status()
        .expect("sqlite3 is installed by make test");
    assert!(status.success());
    let before = std::fs::read(&db).unwrap();
    let err = Engine::open(Home::existing(dir.path()).unwrap()).await.err().unwrap();
    assert_eq!(err.code(), ErrorCode::DatabaseForeign);
    assert!(std::fs::read(&db).unwrap() == before, "the file was changed");
}

#[tokio::test]
async fn database_from_a_newer_keyport_is_refused() {
    let home = TestHome::new().await;
    home.close().await;
    let out = std::process::Command::new("sqlite3").args(["-cmd", ".timeout 10000"])
        .arg(home.path().join("keyport.db"))
        .arg("INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (99999, 'future', 1, x'00', 0);")
        .output()
        .unwrap();
    assert!(out.status.success(), "sqlite3: {}", String::from_utf8_lossy(&out.stderr));
    let err = Engine::open(Home::existing(home.path()).unwrap()).await.err().unwrap();
    assert_eq!(err.code(), ErrorCode::DatabaseTooNew);
}

#[tokio::test]
async fn concurrent_openers_on_a_fresh_home_do_not_collide() {
    let dir = tempfile::tempdir().unwrap();
    let path = Arc::new(dir.path().to_path_buf());
    let mut tasks = Vec::new();
    for i in 0..6 {
        let path = Arc::clone(&path);
        tasks.push(tokio::spawn(async move {
            let engine = Engine::open(Home::existing(path.as_path()).unwrap()).await.unwrap();
            let mage_id = format!("MAG{:09}", i + 1);
            engine
                .create_account(new_account(&mage_id, &format!("Account {i}"), OperatingModel::PrimaryMerchant))
                .await
                .unwrap();
            engine.close().await;
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let engine = Engine::open(Home::existing(dir.path()).unwrap()).await.unwrap();
    assert_eq!(engine.accounts().await.unwrap().len(), 6);
}

#[tokio::test]
async fn a_hand_edited_database_gives_an_error_not_a_panic() {
    let home = TestHome::new().await;
    let account =
        home.engine.create_account(new_account("MAG000000001", "Acme", OperatingModel::PrimaryMerchant)).await.unwrap();
    home.engine.create_project(&account.id, "Storefront").await.unwrap();
    home.close().await;
    // Someone edited the file with another tool: a value no Keyport wrote,
    // and a column that is gone.
    let out = std::process::Command::new("sqlite3")
        .args(["-cmd", ".timeout 10000"])
        .arg(home.path().join("keyport.db"))
        .arg("UPDATE accounts SET mage_id = 'MAG-edited'; ALTER TABLE projects DROP COLUMN created_at;")
        .output()
        .unwrap();
    assert!(out.status.success(), "sqlite3: {}", String::from_utf8_lossy(&out.stderr));
    let engine = home.reopen().await;
    assert_eq!(engine.accounts().await.unwrap_err().code(), ErrorCode::DatabaseError);
    assert_eq!(engine.projects(&account.id).await.unwrap_err().code(), ErrorCode::DatabaseError);
}
