//! RSA key pairs: generation, PEM encodings, fingerprints and the checks a
//! pasted or saved private key must pass.
//!
//! Secret material lives only in [`KeyPair`] (whose `RsaPrivateKey`
//! zeroizes itself on drop) and [`SecretPem`] (a zeroizing string). Neither
//! implements `Serialize`, and their `Debug` output is redacted, so a private
//! key cannot reach a log line, a panic message or an IPC response by
//! accident.

use std::fmt;
use std::sync::{Arc, OnceLock};

use aws_lc_rs::encoding::{AsDer, Pkcs8V1Der};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::KeySize;
use aws_lc_rs::signature::{ParsedPublicKey, RSA_PKCS1_2048_8192_SHA256, RSA_PKCS1_SHA256, RsaKeyPair};

use base64::Engine as _;
use rsa::pkcs1::{DecodeRsaPrivateKey, EncodeRsaPublicKey};
use rsa::pkcs8::der::pem as pem_rfc7468;
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey, LineEnding, SecretDocument};
use rsa::traits::PublicKeyParts;
use rsa::{RsaPrivateKey, RsaPublicKey};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::{CoreError, Result};

/// RSA modulus sizes Keyport creates. 2048 is what Commerce documents; the
/// larger ones are for policies that demand them.
pub const KEY_SIZES: [u32; 3] = [2048, 3072, 4096];
pub const DEFAULT_KEY_SIZE: u32 = 2048;
/// The sizes of private keys Keyport reads (AWS-LC signs with these).
const MIN_BITS: usize = 2048;
const MAX_BITS: usize = 8192;

pub fn check_key_size(bits: u32) -> Result<u32> {
    if KEY_SIZES.contains(&bits) { Ok(bits) } else { Err(CoreError::UnsupportedKeySize(bits)) }
}

/// PEM text of a private key. Zeroized on drop; `Debug` never shows it.
pub struct SecretPem(Zeroizing<String>);

impl SecretPem {
    pub fn new(text: Zeroizing<String>) -> Self {
        SecretPem(text)
    }

    /// The PEM text, for the few places that must write or sign with it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretPem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretPem(<redacted>)")
    }
}

/// A private key with its public half.
///
/// The `rsa` crate holds the key for PEM and DER; every private-key
/// operation (generation, signing) is AWS-LC's, whose code is constant-time
/// (the `rsa` crate's signing is what RUSTSEC-2023-0071, Marvin, is about).
pub struct KeyPair {
    private: RsaPrivateKey,
    /// The same key in AWS-LC, made at the first signature (or kept from
    /// generation); AWS-LC wipes it when freed.
    signer: OnceLock<Option<RsaKeyPair>>,
}

impl fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyPair({} bits, {})", self.bits(), self.fingerprint())
    }
}

impl KeyPair {
    /// Generates a new pair with AWS-LC (from the OS's random source).
    /// Takes from ~0.1 s (2048) to a few seconds (4096): callers run it off
    /// any UI thread.
    pub fn generate(bits: u32) -> Result<KeyPair> {
        let size = match check_key_size(bits)? {
            2048 => KeySize::Rsa2048,
            3072 => KeySize::Rsa3072,
            _ => KeySize::Rsa4096,
        };
        let failed = |e: &dyn fmt::Display| CoreError::KeyGeneration(e.to_string());
        let signer = RsaKeyPair::generate(size).map_err(|e| failed(&e))?;
        // The PKCS#8 buffer is wiped when dropped.
        let der = AsDer::<Pkcs8V1Der>::as_der(&signer).map_err(|e| failed(&e))?;
        let private = RsaPrivateKey::from_pkcs8_der(der.as_ref()).map_err(|e| failed(&e))?;
        Ok(KeyPair { private, signer: OnceLock::from(Some(signer)) })
    }

    /// An RSASSA-PKCS1-v1_5 SHA-256 signature (JWT's RS256) of `message`.
    // Every KeyPair has 2048–8192 bits (generate, from_pem), which AWS-LC signs.
    #[allow(clippy::expect_used)]
    pub fn sign_rs256(&self, message: &[u8]) -> Vec<u8> {
        let signer = self.signer.get_or_init(|| {
            let der = self.private.to_pkcs8_der().ok()?;
            RsaKeyPair::from_pkcs8(der.as_bytes()).ok()
        });
        let signer = signer.as_ref().expect("AWS-LC takes every key Keyport admits");
        let mut signature = vec![0; signer.public_modulus_len()];
        signer
            .sign(&RSA_PKCS1_SHA256, &SystemRandom::new(), message, &mut signature)
            .expect("signing with a valid key and a buffer of the modulus' length succeeds");
        signature
    }

    /// Reads a private key from PEM text as the Connector page and the
    /// saved-file check need it: PKCS#8 (`BEGIN PRIVATE KEY`), or PKCS#1
    /// (`BEGIN RSA PRIVATE KEY`), which is accepted and reported as converted.
    pub fn from_pem(text: &str) -> Result<ParsedPrivateKey> {
        // Decoding goes through the rsa crate's own PEM/DER types
        // (`SecretDocument`), which zeroize every intermediate buffer.
        let block = normalised_block(text)?;
        let label = pem_rfc7468::decode_label(block.as_bytes()).map_err(|_| CoreError::PrivateKeyNotPem)?;
        let kind_error = match label {
            "PRIVATE KEY" | "RSA PRIVATE KEY" => None,
            "ENCRYPTED PRIVATE KEY" => Some(
                "This private key is protected by a passphrase. Paste the unencrypted key \
                 (openssl pkcs8 -in key.pem -out plain.pem decrypts it).",
            ),
            "PUBLIC KEY" | "RSA PUBLIC KEY" => {
                Some("This is a public key. Paste the private key that was downloaded with the API key.")
            }
            "CERTIFICATE" => Some("This is a certificate, not a private key."),
            _ => Some("This is not an RSA private key. Commerce Services keys are RSA keys in PKCS#8 PEM."),
        };
        if let Some(message) = kind_error {
            return Err(CoreError::PrivateKeyWrongKind(message));
        }
        let (_, document) = SecretDocument::from_pem(&block).map_err(|_| CoreError::PrivateKeyUnparseable)?;
        let (private, converted_from_pkcs1) = if label == "PRIVATE KEY" {
            let info = rsa::pkcs8::PrivateKeyInfo::try_from(document.as_bytes())
                .map_err(|_| CoreError::PrivateKeyUnparseable)?;
            if info.algorithm.oid != rsa::pkcs1::ALGORITHM_OID {
                return Err(CoreError::PrivateKeyWrongKind(
                    "This is not an RSA private key. Commerce Services keys are RSA keys.",
                ));
            }
            (RsaPrivateKey::from_pkcs8_der(document.as_bytes()).map_err(|_| CoreError::PrivateKeyUnparseable)?, false)
        } else {
            (RsaPrivateKey::from_pkcs1_der(document.as_bytes()).map_err(|_| CoreError::PrivateKeyUnparseable)?, true)
        };
        private.validate().map_err(|_| CoreError::PrivateKeyUnparseable)?;
        if !(MIN_BITS..=MAX_BITS).contains(&private.n().bits()) {
            return Err(CoreError::PrivateKeyWrongKind(
                "This RSA key's size is not one Commerce Services use: keys have 2048 to 4096 bits \
                 (Keyport reads 2048 to 8192).",
            ));
        }
        Ok(ParsedPrivateKey { pair: KeyPair { private, signer: OnceLock::new() }, converted_from_pkcs1 })
    }

    pub fn bits(&self) -> u32 {
        (self.private.size() * 8) as u32
    }

    pub fn public_key(&self) -> PublicKey {
        PublicKey::new(self.private.to_public_key())
    }

    pub fn fingerprint(&self) -> String {
        self.public_key().fingerprint()
    }

    /// PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), the form Commerce expects.
    // Encoding a key the rsa crate holds cannot fail: only DER length
    // overflows could, and RSA keys up to 4096 bits are far below them.
    #[allow(clippy::expect_used)]
    pub fn private_pem(&self) -> SecretPem {
        SecretPem(self.private.to_pkcs8_pem(LineEnding::LF).expect("an RSA key always encodes as PKCS#8"))
    }

    pub fn rsa(&self) -> &RsaPrivateKey {
        &self.private
    }
}

/// The first PEM block of pasted text, with surrounding text dropped and
/// each line trimmed (copying adds `\r` and trailing spaces), so the strict
/// RFC 7468 decoder accepts what a person pastes.
fn normalised_block(text: &str) -> Result<Zeroizing<String>> {
    let start = text.find("-----BEGIN ").ok_or(CoreError::PrivateKeyNotPem)?;
    let mut block = Zeroizing::new(String::with_capacity(text.len() - start));
    for line in text[start..].lines().map(str::trim).filter(|l| !l.is_empty()) {
        block.push_str(line);
        block.push('\n');
        if line.starts_with("-----END ") {
            return Ok(block);
        }
    }
    // BEGIN without END: cut off while copying.
    Err(CoreError::PrivateKeyNotPem)
}

/// The outcome of reading private-key PEM text.
#[derive(Debug)]
pub struct ParsedPrivateKey {
    pub pair: KeyPair,
    /// The text was PKCS#1 (`BEGIN RSA PRIVATE KEY`); it has been converted
    /// and the caller should tell the user so.
    pub converted_from_pkcs1: bool,
}

/// An RSA public key, stored as SPKI PEM (`-----BEGIN PUBLIC KEY-----`).
#[derive(Clone)]
pub struct PublicKey {
    key: RsaPublicKey,
    /// The same key parsed for RS256 verification at its first use, then
    /// kept (AWS-LC keeps its Montgomery constants) and shared by clones;
    /// `None` for a key the verifier refuses (under 2048 bits).
    verifier: Arc<OnceLock<Option<ParsedPublicKey>>>,
}

impl PartialEq for PublicKey {
    fn eq(&self, other: &PublicKey) -> bool {
        self.key == other.key
    }
}

impl Eq for PublicKey {}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({})", self.fingerprint())
    }
}

impl PublicKey {
    fn new(key: RsaPublicKey) -> PublicKey {
        PublicKey { key, verifier: Arc::default() }
    }

    pub fn from_pem(text: &str) -> Result<PublicKey> {
        RsaPublicKey::from_public_key_pem(text.trim())
            .map(PublicKey::new)
            .map_err(|e| CoreError::PublicKeyInvalid(e.to_string()))
    }

    /// Checks an RSASSA-PKCS1-v1_5 SHA-256 signature (JWT's RS256).
    pub fn verify_rs256(&self, message: &[u8], signature: &[u8]) -> bool {
        let verifier = self.verifier.get_or_init(|| {
            let der = self.key.to_pkcs1_der().ok()?;
            ParsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, der.as_bytes()).ok()
        });
        verifier.as_ref().is_some_and(|v| v.verify_sig(message, signature).is_ok())
    }

    #[allow(clippy::expect_used)] // see KeyPair::private_pem
    pub fn to_pem(&self) -> String {
        self.key.to_public_key_pem(LineEnding::LF).expect("an RSA key always encodes as SPKI")
    }

    /// `SHA256:` and the unpadded base64 of the SHA-256 of the DER-encoded
    /// SubjectPublicKeyInfo — the same value as
    /// `openssl pkey -pubout -outform DER | openssl dgst -sha256 -binary | base64`.
    #[allow(clippy::expect_used)] // see KeyPair::private_pem
    pub fn fingerprint(&self) -> String {
        let der = self.key.to_public_key_der().expect("an RSA key always encodes as SPKI");
        let digest = Sha256::digest(der.as_bytes());
        format!("SHA256:{}", base64::engine::general_purpose::STANDARD_NO_PAD.encode(digest))
    }

    pub fn bits(&self) -> u32 {
        (self.key.size() * 8) as u32
    }

    pub fn matches(&self, pair: &KeyPair) -> bool {
        self.key.n() == pair.private.n() && self.key.e() == pair.private.e()
    }

    /// Fails with `private_key_mismatch` unless `pair` is this key's private half.
    pub fn ensure_matches(&self, pair: &KeyPair) -> Result<()> {
        if self.matches(pair) { Ok(()) } else { Err(CoreError::PrivateKeyMismatch) }
    }

    pub fn rsa(&self) -> &RsaPublicKey {
        &self.key
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;
    use rsa::pkcs1::EncodeRsaPrivateKey;
    use std::sync::OnceLock;

    fn pair() -> &'static KeyPair {
        static PAIR: OnceLock<KeyPair> = OnceLock::new();
        PAIR.get_or_init(|| KeyPair::generate(2048).unwrap())
    }

    fn other_pair() -> &'static KeyPair {
        static PAIR: OnceLock<KeyPair> = OnceLock::new();
        PAIR.get_or_init(|| KeyPair::generate(2048).unwrap())
    }

    #[test]
    fn sizes_outside_the_list_are_refused() {
        for bits in [0, 1024, 2047, 2049, 8192] {
            assert_eq!(check_key_size(bits).unwrap_err().code(), ErrorCode::UnsupportedKeySize);
        }
        let err = KeyPair::generate(1024).unwrap_err();
        assert_eq!(err, CoreError::UnsupportedKeySize(1024));
    }

    /// A pasted key Commerce would never issue (1024 bits) is refused with
    /// its own message, and nothing Keyport generates is.
    #[test]
    fn pasted_keys_under_2048_bits_are_refused() {
        let small = RsaPrivateKey::new(&mut rand::thread_rng(), 1024).unwrap();
        let pem = small.to_pkcs8_pem(LineEnding::LF).unwrap();
        let err = KeyPair::from_pem(&pem).unwrap_err();
        assert_eq!(err.code(), ErrorCode::PrivateKeyWrongKind);
        assert!(err.to_string().contains("2048 to 4096 bits"), "{err}");
        for bits in KEY_SIZES {
            let pair = KeyPair::generate(bits).unwrap();
            assert_eq!(pair.bits(), bits);
            let again = KeyPair::from_pem(pair.private_pem().expose()).unwrap().pair;
            // A key read back signs, and its signature verifies.
            assert!(pair.public_key().verify_rs256(b"m", &again.sign_rs256(b"m")));
            assert!(!pair.public_key().verify_rs256(b"n", &again.sign_rs256(b"m")));
        }
    }

    #[test]
    fn pkcs8_pem_round_trips() {
        let pem = pair().private_pem();
        assert!(pem.expose().starts_with("-----BEGIN PRIVATE KEY-----\n"));
        assert!(pem.expose().trim_end().ends_with("-----END PRIVATE KEY-----"));
        let parsed = KeyPair::from_pem(pem.expose()).unwrap();
        assert!(!parsed.converted_from_pkcs1);
        assert_eq!(parsed.pair.fingerprint(), pair().fingerprint());
        assert_eq!(parsed.pair.bits(), 2048);
    }

    #[test]
    fn public_pem_round_trips_and_matches() {
        let public = pair().public_key();
        let pem = public.to_pem();
        assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----"));
        let back = PublicKey::from_pem(&pem).unwrap();
        assert_eq!(back, public);
        assert!(back.matches(pair()));
        assert_eq!(back.ensure_matches(other_pair()).unwrap_err().code(), ErrorCode::PrivateKeyMismatch);
    }

    #[test]
    fn fingerprint_is_sha256_of_spki_der() {
        let fp = pair().fingerprint();
        assert!(fp.starts_with("SHA256:"));
        assert_eq!(fp.len(), "SHA256:".len() + 43);
        assert_ne!(fp, other_pair().fingerprint());
        let der = pair().public_key().rsa().to_public_key_der().unwrap();
        let expected = base64::engine::general_purpose::STANDARD_NO_PAD.encode(Sha256::digest(der.as_bytes()));
        assert_eq!(fp, format!("SHA256:{expected}"));
    }

    #[test]
    fn pkcs1_is_accepted_and_reported_as_converted() {
        let pkcs1 = pair().rsa().to_pkcs1_pem(LineEnding::CRLF).unwrap();
        assert!(pkcs1.starts_with("-----BEGIN RSA PRIVATE KEY-----"));
        let parsed = KeyPair::from_pem(&pkcs1).unwrap();
        assert!(parsed.converted_from_pkcs1);
        assert!(parsed.pair.private_pem().expose().starts_with("-----BEGIN PRIVATE KEY-----"));
        assert!(pair().public_key().matches(&parsed.pair));
    }

    #[test]
    fn pasted_text_with_padding_is_accepted() {
        let pem = format!("\n\n  {}  \n", pair().private_pem().expose());
        assert!(KeyPair::from_pem(&pem).is_ok());
        // Windows line ends, trailing spaces, and text around the block.
        let messy = format!(
            "Bag Attributes\r\n{}\r\ntrailing notes",
            pair().private_pem().expose().lines().map(|l| format!("{l}  ")).collect::<Vec<_>>().join("\r\n")
        );
        assert_eq!(KeyPair::from_pem(&messy).unwrap().pair.fingerprint(), pair().fingerprint());
    }

    #[test]
    fn each_bad_paste_has_its_own_code() {
        let good = pair().private_pem();
        let body: String = good.expose().lines().filter(|l| !l.starts_with("-----")).collect();
        let cases: Vec<(String, ErrorCode)> = vec![
            (String::new(), ErrorCode::PrivateKeyNotPem),
            (body.clone(), ErrorCode::PrivateKeyNotPem),
            ("hello".into(), ErrorCode::PrivateKeyNotPem),
            // BEGIN without END: cut off while copying.
            (good.expose().lines().take(5).collect::<Vec<_>>().join("\n"), ErrorCode::PrivateKeyNotPem),
            (good.expose().replace(&body[10..30], "!!!!!!!!!!!!!!!!!!!!"), ErrorCode::PrivateKeyUnparseable),
            (
                format!("-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n", &body[..200]),
                ErrorCode::PrivateKeyUnparseable,
            ),
            (pair().public_key().to_pem(), ErrorCode::PrivateKeyWrongKind),
            (good.expose().replace("PRIVATE KEY", "ENCRYPTED PRIVATE KEY"), ErrorCode::PrivateKeyWrongKind),
            (good.expose().replace("PRIVATE KEY", "EC PRIVATE KEY"), ErrorCode::PrivateKeyWrongKind),
        ];
        for (text, code) in cases {
            let err = KeyPair::from_pem(&text).unwrap_err();
            assert_eq!(err.code(), code, "{text:?}");
            assert!(!err.to_string().contains(&body[..40]), "message leaks key material");
        }
    }

    #[test]
    fn a_non_rsa_pkcs8_key_is_refused_as_wrong_kind() {
        // An Ed25519 PKCS#8 key (RFC 8410 test vector), well-formed but not RSA.
        let ed25519 = "-----BEGIN PRIVATE KEY-----\n\
                       MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n\
                       -----END PRIVATE KEY-----\n";
        assert_eq!(KeyPair::from_pem(ed25519).unwrap_err().code(), ErrorCode::PrivateKeyWrongKind);
    }

    #[test]
    fn debug_output_never_shows_secret_material() {
        let pem = pair().private_pem();
        let body_line = pem.expose().lines().nth(1).unwrap().to_string();
        let shown = format!("{:?} {:?} {:?}", pem, pair(), KeyPair::from_pem(pem.expose()).unwrap());
        assert!(!shown.contains(&body_line));
        assert!(shown.contains("redacted"));
    }

    #[test]
    fn damaged_public_key_is_reported() {
        assert_eq!(PublicKey::from_pem("not a key").unwrap_err().code(), ErrorCode::PublicKeyInvalid);
    }
}
