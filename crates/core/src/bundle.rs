//! Key bundles: the encrypted file that hands key pairs (and their
//! account's projects and data spaces) from the license holder's
//! workstation to an integrator's. A bundle is an age file (age-encryption.org
//! v1, so the reference `age` tool opens it) encrypted to an X25519
//! recipient (`age1…`) or to a passphrase (scrypt); inside is a versioned
//! JSON manifest. The format and its version rules are in
//! `docs/bundle-format.md`.
//!
//! Pure: the engine reads and writes the files, keeps identities in the
//! keychain and supplies the time.

// The engine names identities and recipients through this re-export, so
// one age version serves both crates.
pub use age;

use std::io::{Read, Write};
use std::iter;

use age::secrecy::SecretString;
use rand::{CryptoRng, Rng};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use zeroize::Zeroizing;

use crate::error::{CoreError, Field, Result, quote_input};
use crate::keys::{KeyPair, SecretPem, check_key_size};
use crate::saas::DataSpaceType;
use crate::scope::KeyScope;
use crate::text::{clean, fold, is_invisible};
use crate::{ApiKey, Edition, Environment, MageId, OperatingModel};

/// The manifest's `format`: what tells a Keyport manifest from other JSON.
pub const FORMAT: &str = "keyport-bundle";
/// The manifest version this Keyport writes and the newest it reads.
pub const VERSION: u32 = 1;
/// The largest bundle Keyport reads; checked before reading the file.
pub const MAX_BUNDLE_BYTES: u64 = 4 * 1024 * 1024;
/// The most keys one bundle may hold.
pub const MAX_KEYS: usize = 500;
/// The scrypt work factor (log2 N) Keyport encrypts with: the one the
/// reference `age` tool uses (~1 s, 256 MiB).
pub const WORK_FACTOR: u8 = 18;
/// The highest scrypt work factor Keyport accepts: 2^20 takes a few
/// seconds and 1 GiB; each step above doubles both, so a hostile bundle
/// could otherwise hang the app or exhaust memory.
pub const MAX_WORK_FACTOR: u8 = 20;
/// The shortest passphrase Keyport encrypts with.
pub const MIN_PASSPHRASE_CHARS: usize = 12;
const MAX_PASSPHRASE_CHARS: usize = 1024;
/// How long a bundle stays importable: 1 hour to 90 days; 7 days unless chosen.
pub const MIN_EXPIRY_HOURS: u32 = 1;
pub const MAX_EXPIRY_HOURS: u32 = 90 * 24;
pub const DEFAULT_EXPIRY_HOURS: u32 = 7 * 24;

const AGE_MAGIC: &[u8] = b"age-encryption.org/";
const AGE_ARMOR: &[u8] = b"-----BEGIN AGE ENCRYPTED FILE-----";

/// The decrypted content of a bundle.
#[derive(Debug, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub version: u32,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// RFC 3339, UTC: after it the bundle is refused.
    pub expires_at: String,
    /// The program that wrote it, e.g. "Keyport 0.1.0".
    pub created_by: String,
    pub account: BundleAccount,
    pub keys: Vec<BundleKey>,
    #[serde(default)]
    pub projects: Vec<BundleProject>,
}

/// The issuing account, as the license holder's workstation knows it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BundleAccount {
    pub mage_id: String,
    pub name: String,
    pub edition: Edition,
    pub operating_model: OperatingModel,
    #[serde(default)]
    pub merchants: Vec<String>,
}

/// One key pair. The only secret of the manifest is `private_key_pem`.
#[derive(Debug, Serialize, Deserialize)]
pub struct BundleKey {
    pub api_key: String,
    pub label: String,
    pub environment: Environment,
    /// `SHA256:` + base64 of the SHA-256 of the public key (SPKI DER).
    pub fingerprint: String,
    pub bits: u32,
    pub created_at: String,
    #[serde(default)]
    pub scope: Option<KeyScope>,
    #[serde(serialize_with = "expose_pem", deserialize_with = "secret_pem")]
    pub private_key_pem: SecretPem,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BundleProject {
    pub id: String,
    pub name: String,
    pub data_spaces: Vec<BundleDataSpace>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BundleDataSpace {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub data_space_type: DataSpaceType,
}

// The bundle is the one place a private key is serialised: only into the
// zeroizing buffer that is encrypted at once.
fn expose_pem<S: Serializer>(pem: &SecretPem, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(pem.expose())
}

fn secret_pem<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<SecretPem, D::Error> {
    String::deserialize(d).map(|s| SecretPem::new(Zeroizing::new(s)))
}

/// What protects a bundle, as its header says (no key needed to tell).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Lock {
    /// A passphrase (age's scrypt recipient).
    Passphrase,
    /// One or more X25519 recipients (`age1…`).
    Recipient,
}

/// The key that opens a bundle.
pub enum Unlock<'a> {
    Identity(&'a age::x25519::Identity),
    Passphrase(&'a SecretString),
}

/// An `age1…` public key.
pub fn parse_recipient(raw: &str) -> Result<age::x25519::Recipient> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(CoreError::RecipientMalformed("The recipient's public key is empty.".into()));
    }
    if trimmed.starts_with("AGE-SECRET-KEY-") {
        return Err(CoreError::RecipientMalformed(
            "This is a secret identity (AGE-SECRET-KEY-…), not a public key: ask the recipient for their age1… \
             public key, and keep this one to yourself."
                .into(),
        ));
    }
    trimmed.parse::<age::x25519::Recipient>().map_err(|_| {
        CoreError::RecipientMalformed(format!(
            "\"{}\" is not an age public key: it starts with age1 and is 62 characters long.",
            quote_input(trimmed)
        ))
    })
}

/// Checks a passphrase Keyport is asked to encrypt with.
pub fn check_passphrase(passphrase: &str) -> Result<()> {
    let chars = passphrase.chars().count();
    if chars < MIN_PASSPHRASE_CHARS {
        return Err(CoreError::PassphraseTooShort(MIN_PASSPHRASE_CHARS));
    }
    if chars > MAX_PASSPHRASE_CHARS {
        return Err(CoreError::TooLong { field: Field::Passphrase, max: MAX_PASSPHRASE_CHARS });
    }
    if passphrase.chars().any(|c| c.is_control()) {
        return Err(CoreError::InvalidCharacters(Field::Passphrase));
    }
    Ok(())
}

/// A passphrase of 25 random characters in five groups (125 bits), in the
/// unambiguous alphabet of API keys: easy to read out and to type.
pub fn generate_passphrase<R: Rng + CryptoRng>(rng: &mut R) -> SecretString {
    const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";
    let mut text = Zeroizing::new(String::with_capacity(29));
    for group in 0..5 {
        if group > 0 {
            text.push('-');
        }
        for _ in 0..5 {
            text.push(ALPHABET[rng.gen_range(0..32)] as char);
        }
    }
    SecretString::from(text.as_str())
}

/// A bundle's expiry in hours, within the allowed range.
pub fn check_expiry_hours(hours: u32) -> Result<u32> {
    if (MIN_EXPIRY_HOURS..=MAX_EXPIRY_HOURS).contains(&hours) {
        Ok(hours)
    } else {
        Err(CoreError::ExpiryOutOfRange(quote_input(&format!("{hours} hours"))))
    }
}

/// Reads an expiry as the CLI takes it: `12h`, `7d`, `2w`.
pub fn parse_expiry(raw: &str) -> Result<u32> {
    let value = raw.trim().to_ascii_lowercase();
    let bad = || CoreError::ExpiryOutOfRange(quote_input(raw));
    let (number, unit) = value.split_at(value.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?);
    let n: u32 = number.parse().map_err(|_| bad())?;
    let hours = match unit {
        "h" => Some(n),
        "d" => n.checked_mul(24),
        "w" => n.checked_mul(24 * 7),
        _ => None,
    };
    hours.ok_or_else(bad).and_then(|h| check_expiry_hours(h).map_err(|_| bad()))
}

/// RFC 3339 in UTC, whole seconds.
pub fn format_time(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC).replace_nanosecond(0).unwrap_or(at);
    at.format(&Rfc3339).unwrap_or_default()
}

fn parse_time(what: &str, raw: &str) -> Result<OffsetDateTime> {
    OffsetDateTime::parse(raw, &Rfc3339).map_err(|_| {
        CoreError::BundleManifestInvalid(format!("{what} \"{}\" is not an RFC 3339 time", quote_input(raw)))
    })
}

/// Encrypts manifest JSON as an age file (binary form).
pub fn seal(plaintext: &[u8], to: Seal<'_>) -> Result<Vec<u8>> {
    let encryptor = match to {
        Seal::Recipient(recipient) => age::Encryptor::with_recipients(iter::once(recipient as &dyn age::Recipient)),
        Seal::Passphrase(passphrase) => {
            let mut recipient = age::scrypt::Recipient::new(passphrase.clone());
            recipient.set_work_factor(WORK_FACTOR);
            age::Encryptor::with_recipients(iter::once(&recipient as &dyn age::Recipient))
        }
    }
    .map_err(|e| CoreError::BundleSeal(e.to_string()))?;
    let mut out = Vec::with_capacity(plaintext.len() + 1024);
    let sealed = (|| {
        let mut writer = encryptor.wrap_output(&mut out)?;
        writer.write_all(plaintext)?;
        writer.finish().map(drop)
    })();
    sealed.map_err(|e| CoreError::BundleSeal(e.to_string()))?;
    Ok(out)
}

/// Whom a bundle is sealed for.
pub enum Seal<'a> {
    Recipient(&'a age::x25519::Recipient),
    Passphrase(&'a SecretString),
}

/// Whether `bytes` are an age file at all (binary or ASCII-armored).
fn looks_like_age(bytes: &[u8]) -> bool {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(bytes.len());
    bytes.starts_with(AGE_MAGIC) || bytes[start..].starts_with(AGE_ARMOR)
}

fn decryptor(bytes: &[u8]) -> Result<age::Decryptor<age::armor::ArmoredReader<std::io::BufReader<&[u8]>>>> {
    if !looks_like_age(bytes) {
        return Err(CoreError::BundleNotAge);
    }
    age::Decryptor::new(age::armor::ArmoredReader::new(bytes)).map_err(|e| match e {
        age::DecryptError::UnknownFormat => CoreError::BundleNotAge,
        _ => CoreError::BundleDamaged,
    })
}

/// How a bundle is protected, read from its header alone.
pub fn lock_of(bytes: &[u8]) -> Result<Lock> {
    Ok(if decryptor(bytes)?.is_scrypt() { Lock::Passphrase } else { Lock::Recipient })
}

/// Decrypts a bundle. Every way it can fail has its own error: not an age
/// file, damaged (cut short or altered), a passphrase needed or wrong, made
/// for another identity, a work factor above [`MAX_WORK_FACTOR`].
pub fn open(bytes: &[u8], with: Unlock<'_>) -> Result<Zeroizing<Vec<u8>>> {
    let decryptor = decryptor(bytes)?;
    let scrypt = decryptor.is_scrypt();
    let reader = match (with, scrypt) {
        (Unlock::Identity(_), true) => return Err(CoreError::BundlePassphraseRequired),
        (Unlock::Passphrase(_), false) => return Err(CoreError::BundleNotForPassphrase),
        (Unlock::Identity(identity), false) => {
            decryptor.decrypt(iter::once(identity as &dyn age::Identity)).map_err(|e| match e {
                age::DecryptError::NoMatchingKeys => CoreError::BundleWrongIdentity,
                _ => CoreError::BundleDamaged,
            })?
        }
        (Unlock::Passphrase(passphrase), true) => {
            let mut identity = age::scrypt::Identity::new(passphrase.clone());
            identity.set_max_work_factor(MAX_WORK_FACTOR);
            decryptor.decrypt(iter::once(&identity as &dyn age::Identity)).map_err(|e| match e {
                age::DecryptError::ExcessiveWork { required, .. } => {
                    CoreError::BundleWorkFactor { required, max: MAX_WORK_FACTOR }
                }
                age::DecryptError::DecryptionFailed | age::DecryptError::NoMatchingKeys => {
                    CoreError::BundleWrongPassphrase
                }
                _ => CoreError::BundleDamaged,
            })?
        }
    };
    // Room for all of it up front: growing the buffer would leave copies behind.
    let mut plaintext = Zeroizing::new(Vec::with_capacity(bytes.len()));
    // The plaintext is at most the file's size; reading stops there.
    reader.take(MAX_BUNDLE_BYTES).read_to_end(&mut plaintext).map_err(|_| CoreError::BundleDamaged)?;
    Ok(plaintext)
}

/// Serialises a manifest into a zeroizing buffer (it holds private keys).
pub fn to_json(manifest: &Manifest) -> Result<Zeroizing<Vec<u8>>> {
    // Room for everything up front, so no reallocation leaves a copy behind.
    let room = 4096 + manifest.keys.len() * 8192 + manifest.projects.len() * 1024;
    let mut out = Zeroizing::new(Vec::with_capacity(room));
    serde_json::to_writer_pretty(&mut *out, manifest).map_err(|e| CoreError::BundleSeal(e.to_string()))?;
    Ok(out)
}

/// Reads decrypted manifest JSON: a Keyport manifest of a version this
/// Keyport knows, well-formed. Checks of its content are [`Manifest::check`].
pub fn from_json(plaintext: &[u8]) -> Result<Manifest> {
    #[derive(Deserialize)]
    struct Head {
        format: Option<String>,
        version: Option<serde_json::Value>,
    }
    let head: Head = serde_json::from_slice(plaintext).map_err(|_| CoreError::BundleNotKeyport)?;
    if head.format.as_deref() != Some(FORMAT) {
        return Err(CoreError::BundleNotKeyport);
    }
    match head.version.as_ref().and_then(serde_json::Value::as_u64) {
        Some(v) if v == u64::from(VERSION) => {}
        Some(v) => return Err(CoreError::BundleVersionUnsupported(v.to_string())),
        None => {
            return Err(CoreError::BundleManifestInvalid("its \"version\" is missing or not a whole number".into()));
        }
    }
    serde_json::from_slice(plaintext).map_err(|e| CoreError::BundleManifestInvalid(without_input(&e)))
}

/// serde_json's message without any input it quotes (which could be key material).
fn without_input(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let cut = text.find(" at line").unwrap_or(text.len());
    let mut reason: String = text[..cut].chars().filter(|c| *c != '`').take(120).collect();
    if reason.contains("PRIVATE KEY") {
        reason = "a field has the wrong type".into();
    }
    format!("{reason} (line {}, column {})", e.line(), e.column())
}

/// A manifest whose content passed every check: ready to import.
#[derive(Debug)]
pub struct CheckedManifest {
    pub manifest: Manifest,
    pub mage_id: MageId,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    /// The parsed API keys, in the order of `manifest.keys`.
    pub api_keys: Vec<ApiKey>,
    /// The public keys (SPKI PEM), in the order of `manifest.keys`.
    pub public_keys: Vec<String>,
    /// The private keys as Keyport stores them (PKCS#8, whatever form the
    /// bundle had), in the order of `manifest.keys`.
    pub private_keys: Vec<SecretPem>,
}

impl Manifest {
    /// Checks the content: not expired at `now`, an account that is one,
    /// every key's API key, label and size, and every private key matching
    /// its fingerprint; projects and data spaces with usable names and ids.
    pub fn check(self, now: OffsetDateTime) -> Result<CheckedManifest> {
        let created_at = parse_time("created_at", &self.created_at)?;
        let expires_at = parse_time("expires_at", &self.expires_at)?;
        if now > expires_at {
            return Err(CoreError::BundleExpired(format_time(expires_at)));
        }
        let invalid = |what: String| CoreError::BundleManifestInvalid(what);
        let mage_id = MageId::parse(&self.account.mage_id).map_err(|e| invalid(format!("account: {e}")))?;
        clean(Field::AccountName, &self.account.name).map_err(|e| invalid(format!("account: {e}")))?;
        for merchant in &self.account.merchants {
            clean(Field::MerchantName, merchant).map_err(|e| invalid(format!("merchant: {e}")))?;
        }
        if self.keys.is_empty() {
            return Err(invalid("it holds no key".into()));
        }
        if self.keys.len() > MAX_KEYS {
            return Err(invalid(format!("it holds {} keys; at most {MAX_KEYS} are allowed", self.keys.len())));
        }
        let mut api_keys = Vec::with_capacity(self.keys.len());
        let mut public_keys = Vec::with_capacity(self.keys.len());
        let mut private_keys = Vec::with_capacity(self.keys.len());
        let mut fingerprints: Vec<&str> = Vec::with_capacity(self.keys.len());
        for key in &self.keys {
            let api_key = ApiKey::parse(&key.api_key)
                .map_err(|e| invalid(format!("key \"{}\": {e}", quote_input(&key.label))))?;
            if api_key.environment() != key.environment {
                return Err(invalid(format!("the API key {api_key} is not a {} key", key.environment)));
            }
            if api_keys.contains(&api_key) {
                return Err(invalid(format!("the API key {api_key} is listed twice")));
            }
            clean(Field::KeyLabel, &key.label).map_err(|e| invalid(format!("key {api_key}: {e}")))?;
            check_key_size(key.bits).map_err(|e| invalid(format!("key {api_key}: {e}")))?;
            parse_time("a key's created_at", &key.created_at)?;
            if let Some(scope) = &key.scope {
                if scope.merchants.is_empty() || scope.features.is_empty() {
                    return Err(invalid(format!("key {api_key}: a scope names at least one merchant and one feature")));
                }
                if let Some(m) = scope.merchants.iter().find(|m| !self.account.merchants.contains(m)) {
                    return Err(invalid(format!(
                        "key {api_key}: its scope names \"{}\", not a merchant of the account",
                        quote_input(m)
                    )));
                }
            }
            let parsed =
                KeyPair::from_pem(key.private_key_pem.expose()).map_err(|e| CoreError::BundleKeyUnreadable {
                    label: key.label.clone(),
                    api_key: api_key.to_string(),
                    reason: e.to_string(),
                })?;
            if parsed.pair.fingerprint() != key.fingerprint || parsed.pair.bits() != key.bits {
                return Err(CoreError::BundleKeyMismatch { label: key.label.clone(), api_key: api_key.to_string() });
            }
            if fingerprints.contains(&key.fingerprint.as_str()) {
                return Err(invalid(format!("two keys share the key pair {}", key.fingerprint)));
            }
            fingerprints.push(&key.fingerprint);
            public_keys.push(parsed.pair.public_key().to_pem());
            private_keys.push(parsed.pair.private_pem());
            api_keys.push(api_key);
        }
        let id_ok = |id: &str| !id.trim().is_empty() && id.len() <= 64 && !id.chars().any(is_invisible);
        let mut seen: Vec<String> = Vec::new();
        let mut once = |what: &str, value: String| {
            if seen.contains(&value) {
                return Err(CoreError::BundleManifestInvalid(format!("the {what} is listed twice")));
            }
            seen.push(value);
            Ok(())
        };
        for project in &self.projects {
            once(&format!("project id \"{}\"", quote_input(&project.id)), format!("project-id:{}", project.id))?;
            once(
                &format!("project name \"{}\"", quote_input(&project.name)),
                format!("project:{}", fold(&project.name)),
            )?;
            clean(Field::ProjectName, &project.name).map_err(|e| invalid(format!("project: {e}")))?;
            if !id_ok(&project.id) {
                return Err(invalid(format!("project \"{}\" has an unusable id", quote_input(&project.name))));
            }
            for space in &project.data_spaces {
                once(&format!("data space id \"{}\"", quote_input(&space.id)), format!("space-id:{}", space.id))?;
                once(
                    &format!("data space name \"{}\"", quote_input(&space.name)),
                    format!("space:{}:{}", project.id, fold(&space.name)),
                )?;
                clean(Field::DataSpaceName, &space.name).map_err(|e| invalid(format!("data space: {e}")))?;
                if !id_ok(&space.id) {
                    return Err(invalid(format!("data space \"{}\" has an unusable id", quote_input(&space.name))));
                }
            }
        }
        Ok(CheckedManifest { mage_id, created_at, expires_at, api_keys, public_keys, private_keys, manifest: self })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use age::secrecy::ExposeSecret;

    fn manifest(now: OffsetDateTime) -> Manifest {
        let pair = KeyPair::generate(2048).unwrap();
        let api_key = ApiKey::generate(Environment::Sandbox, &mut rand::thread_rng());
        Manifest {
            format: FORMAT.into(),
            version: VERSION,
            created_at: format_time(now),
            expires_at: format_time(now + time::Duration::days(7)),
            created_by: "test".into(),
            account: BundleAccount {
                mage_id: "MAG000000001".into(),
                name: "Acme".into(),
                edition: Edition::AdobeCommerce,
                operating_model: OperatingModel::Ecosystem,
                merchants: vec!["Shop A".into()],
            },
            keys: vec![BundleKey {
                api_key: api_key.to_string(),
                label: "staging CI".into(),
                environment: Environment::Sandbox,
                fingerprint: pair.fingerprint(),
                bits: 2048,
                created_at: format_time(now),
                scope: None,
                private_key_pem: pair.private_pem(),
            }],
            projects: vec![],
        }
    }

    #[test]
    fn a_sealed_manifest_opens_with_the_identity_or_the_passphrase() {
        let now = OffsetDateTime::now_utc();
        let json = to_json(&manifest(now)).unwrap();
        let identity = age::x25519::Identity::generate();
        let sealed = seal(&json, Seal::Recipient(&identity.to_public())).unwrap();
        assert_eq!(lock_of(&sealed).unwrap(), Lock::Recipient);
        let opened = open(&sealed, Unlock::Identity(&identity)).unwrap();
        assert_eq!(&opened[..], &json[..]);
        let checked = from_json(&opened).unwrap().check(now).unwrap();
        assert_eq!(checked.mage_id.as_str(), "MAG000000001");

        let passphrase = SecretString::from("correct horse battery");
        let sealed = seal(&json, Seal::Passphrase(&passphrase)).unwrap();
        assert_eq!(lock_of(&sealed).unwrap(), Lock::Passphrase);
        assert_eq!(&open(&sealed, Unlock::Passphrase(&passphrase)).unwrap()[..], &json[..]);
        let wrong = SecretString::from("incorrect horse battery");
        assert_eq!(open(&sealed, Unlock::Passphrase(&wrong)).unwrap_err(), CoreError::BundleWrongPassphrase);
        assert_eq!(open(&sealed, Unlock::Identity(&identity)).unwrap_err(), CoreError::BundlePassphraseRequired);
    }

    #[test]
    fn expiry_and_mismatched_keys_are_refused() {
        let now = OffsetDateTime::now_utc();
        let later = now + time::Duration::days(8);
        assert!(matches!(manifest(now).check(later), Err(CoreError::BundleExpired(_))));
        let mut swapped = manifest(now);
        swapped.keys[0].fingerprint = KeyPair::generate(2048).unwrap().fingerprint();
        assert!(matches!(swapped.check(now), Err(CoreError::BundleKeyMismatch { .. })));
    }

    #[test]
    fn manifests_are_told_apart_from_other_json() {
        assert_eq!(from_json(b"not json").unwrap_err(), CoreError::BundleNotKeyport);
        assert_eq!(from_json(br#"{"format":"other","version":1}"#).unwrap_err(), CoreError::BundleNotKeyport);
        assert_eq!(
            from_json(br#"{"format":"keyport-bundle","version":2}"#).unwrap_err(),
            CoreError::BundleVersionUnsupported("2".into())
        );
        assert!(matches!(
            from_json(br#"{"format":"keyport-bundle","version":1}"#).unwrap_err(),
            CoreError::BundleManifestInvalid(_)
        ));
    }

    #[test]
    fn expiries_parse_within_bounds() {
        assert_eq!(parse_expiry("7d").unwrap(), 168);
        assert_eq!(parse_expiry("12h").unwrap(), 12);
        assert_eq!(parse_expiry("2w").unwrap(), 336);
        for bad in ["", "7", "d", "0h", "91d", "-1d", "7 days", "99999999999w"] {
            assert!(matches!(parse_expiry(bad), Err(CoreError::ExpiryOutOfRange(_))), "{bad}");
        }
    }

    #[test]
    fn passphrases_and_recipients_are_checked() {
        assert_eq!(check_passphrase("short").unwrap_err(), CoreError::PassphraseTooShort(MIN_PASSPHRASE_CHARS));
        assert!(check_passphrase("twelve chars").is_ok());
        let generated = generate_passphrase(&mut rand::thread_rng());
        assert!(check_passphrase(generated.expose_secret()).is_ok());
        assert_eq!(generated.expose_secret().len(), 29);
        for bad in ["", "age1nope", "AGE-SECRET-KEY-1QQQ", "ssh-ed25519 AAAA"] {
            assert!(matches!(parse_recipient(bad), Err(CoreError::RecipientMalformed(_))), "{bad}");
        }
        let recipient = age::x25519::Identity::generate().to_public().to_string();
        assert!(parse_recipient(&format!("  {recipient}\n")).is_ok());
    }
}
