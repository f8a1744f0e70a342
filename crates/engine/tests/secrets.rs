//! The secrets module against the real Secret Service (gnome-keyring in a
//! private D-Bus session: run through `scripts/with-keyring.sh`, as
//! `make test` does).

mod common;

use std::process::Command;

use common::TestHome;
use keyport_engine::core::keys::{KeyPair, SecretPem};
use zeroize::Zeroizing;

fn secret(text: &str) -> SecretPem {
    SecretPem::new(Zeroizing::new(text.to_string()))
}

/// Reads an entry with libsecret's `secret-tool`, a client independent of
/// the keyring crate, to prove the secret really is in the Secret Service.
fn secret_tool_lookup(service: &str, user: &str) -> Option<String> {
    let out = Command::new("secret-tool")
        .args(["lookup", "service", service, "username", user])
        .output()
        .expect("secret-tool is installed by make test");
    out.status.success().then(|| String::from_utf8(out.stdout).unwrap())
}

#[tokio::test]
async fn keychain_is_reachable_in_the_test_session() {
    let home = TestHome::new().await;
    let status = home.engine.secrets().status().await;
    assert!(status.available, "{:?} — run the tests through scripts/with-keyring.sh", status.message);
}

#[tokio::test]
async fn store_load_delete_round_trip_in_the_real_secret_service() {
    let home = TestHome::new().await;
    let secrets = home.engine.secrets();
    let pem = KeyPair::generate(2048).unwrap().private_pem();

    assert!(secrets.load("pending:k1").await.unwrap().is_none());
    secrets.store("pending:k1", &pem).await.unwrap();
    assert_eq!(secrets.load("pending:k1").await.unwrap().unwrap().expose(), pem.expose());
    assert_eq!(secret_tool_lookup(secrets.service(), "pending:k1").as_deref(), Some(pem.expose()));

    // Storing again replaces, never duplicates.
    secrets.store("pending:k1", &secret("second")).await.unwrap();
    assert_eq!(secrets.load("pending:k1").await.unwrap().unwrap().expose(), "second");

    assert!(secrets.delete("pending:k1").await.unwrap());
    assert!(!secrets.delete("pending:k1").await.unwrap(), "deleting twice reports there was nothing");
    assert!(secrets.load("pending:k1").await.unwrap().is_none());
    assert!(secret_tool_lookup(secrets.service(), "pending:k1").is_none());
}

#[tokio::test]
async fn entries_are_namespaced_per_home() {
    let a = TestHome::new().await;
    let b = TestHome::new().await;
    assert_ne!(a.engine.secrets().service(), b.engine.secrets().service());
    assert!(a.engine.secrets().service().starts_with("keyport:"));

    a.engine.secrets().store("key:shared-name", &secret("from a")).await.unwrap();
    assert!(b.engine.secrets().load("key:shared-name").await.unwrap().is_none());
    b.engine.secrets().store("key:shared-name", &secret("from b")).await.unwrap();
    assert_eq!(a.engine.secrets().load("key:shared-name").await.unwrap().unwrap().expose(), "from a");

    // The namespace belongs to the home, not the process: a reopened engine keeps it.
    let reopened = a.reopen().await;
    assert_eq!(reopened.secrets().service(), a.engine.secrets().service());
    assert_eq!(reopened.secrets().load("key:shared-name").await.unwrap().unwrap().expose(), "from a");
}
