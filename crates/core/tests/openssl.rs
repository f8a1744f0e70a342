//! Keyport's PEM output read back by an independent implementation: the
//! `openssl` command (installed by `make test`).

use std::process::Command;

use keyport_core::keys::{KeyPair, PublicKey};
use rsa::pkcs1::EncodeRsaPrivateKey;

fn openssl(args: &[&str], input_file: &std::path::Path) -> String {
    let out = Command::new("openssl").args(args).arg("-in").arg(input_file).output().expect("openssl");
    assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn openssl_reads_our_private_and_public_pem() {
    for bits in [2048, 3072] {
        let pair = KeyPair::generate(bits).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("key.pem");
        std::fs::write(&file, pair.private_pem().expose()).unwrap();

        assert_eq!(openssl(&["rsa", "-check", "-noout"], &file), "RSA key ok\n");
        assert!(openssl(&["pkey", "-noout", "-text"], &file).contains(&format!("Private-Key: ({bits} bit, 2 primes)")));
        // openssl derives the same public key we store.
        assert_eq!(openssl(&["pkey", "-pubout"], &file), pair.public_key().to_pem());

        let pub_file = dir.path().join("pub.pem");
        std::fs::write(&pub_file, pair.public_key().to_pem()).unwrap();
        assert!(
            openssl(&["pkey", "-pubin", "-noout", "-text"], &pub_file).contains(&format!("Public-Key: ({bits} bit)"))
        );
    }
}

#[test]
fn keys_written_by_openssl_are_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let pkcs8 = dir.path().join("pkcs8.pem");
    let out = Command::new("openssl")
        .args(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out"])
        .arg(&pkcs8)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&pkcs8).unwrap();
    let parsed = KeyPair::from_pem(&text).unwrap();
    assert!(!parsed.converted_from_pkcs1);
    let public = openssl(&["pkey", "-pubout"], &pkcs8);
    assert!(PublicKey::from_pem(&public).unwrap().matches(&parsed.pair));

    // The traditional RSA form (PKCS#1) is accepted and converted.
    let pkcs1 = parsed.pair.rsa().to_pkcs1_pem(rsa::pkcs8::LineEnding::LF).unwrap();
    let converted = KeyPair::from_pem(&pkcs1).unwrap();
    assert!(converted.converted_from_pkcs1);
    assert_eq!(converted.pair.fingerprint(), parsed.pair.fingerprint());
}
