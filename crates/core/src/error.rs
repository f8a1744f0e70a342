use std::fmt;

use crate::ErrorCode;

/// Which user-entered text a validation error is about; names the field in
/// messages so one set of error codes serves every form, and travels in
/// [`ErrorBody::field`](crate::ErrorBody) so a form marks the right input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    AccountName,
    MerchantName,
    KeyLabel,
    RevokeReason,
    ProjectName,
    DataSpaceName,
    InstanceName,
    BaseUrl,
    WebsiteCodes,
    GatewayUrl,
    ImsOrganization,
    SandboxApiKey,
    SandboxPrivateKey,
    ProductionApiKey,
    ProductionPrivateKey,
    Passphrase,
    Recipient,
}

impl Field {
    /// Longest accepted value, in characters (not bytes).
    pub fn max_len(self) -> usize {
        match self {
            Field::AccountName | Field::MerchantName | Field::InstanceName => 100,
            Field::KeyLabel | Field::ProjectName | Field::DataSpaceName => 64,
            Field::RevokeReason => 200,
            Field::BaseUrl | Field::GatewayUrl => 2048,
            Field::WebsiteCodes => 4096,
            Field::ImsOrganization => 40,
            Field::SandboxApiKey | Field::ProductionApiKey => 128,
            Field::SandboxPrivateKey | Field::ProductionPrivateKey => 16 * 1024,
            Field::Passphrase => 1024,
            Field::Recipient => 128,
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Field::AccountName => "Account name",
            Field::MerchantName => "Merchant name",
            Field::KeyLabel => "Key label",
            Field::RevokeReason => "Revoke reason",
            Field::ProjectName => "Project name",
            Field::DataSpaceName => "Data space name",
            Field::InstanceName => "Instance name",
            Field::BaseUrl => "Base URL",
            Field::WebsiteCodes => "Website codes",
            Field::GatewayUrl => "Gateway URL",
            Field::ImsOrganization => "IMS organization id",
            Field::SandboxApiKey => "Sandbox API key",
            Field::SandboxPrivateKey => "Sandbox private key",
            Field::ProductionApiKey => "Production API key",
            Field::ProductionPrivateKey => "Production private key",
            Field::Passphrase => "Passphrase",
            Field::Recipient => "Recipient's public key",
        })
    }
}

/// Every way a domain rule can refuse input. Messages are for people (they
/// never contain secret material); `code()` is the stable identifier that
/// crosses the IPC boundary, the CLI and the HTTP API.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CoreError {
    #[error("{0} must not be empty.")]
    Empty(Field),
    #[error("{field} is too long: at most {max} characters are allowed.")]
    TooLong { field: Field, max: usize },
    #[error("{0} must not contain line breaks or control characters.")]
    InvalidCharacters(Field),

    #[error("MageID must not be empty.")]
    MageIdEmpty,
    #[error("\"{0}\" is not a MageID: expected MAG followed by 9 digits, e.g. MAG012345678.")]
    MageIdMalformed(String),

    #[error("Unknown edition \"{0}\": use adobe_commerce or magento_open_source.")]
    UnknownEdition(String),
    #[error(
        "Unknown operating model \"{0}\": use primary_merchant, platform_marketplace, ecosystem or managed_ecosystem."
    )]
    UnknownOperatingModel(String),
    #[error("Unknown standing \"{0}\": use good or suspended.")]
    UnknownStanding(String),
    #[error("Unknown account relation \"{0}\": use own or client.")]
    UnknownAccountRelation(String),
    #[error("Unknown environment \"{0}\": use production or sandbox.")]
    UnknownEnvironment(String),
    #[error("Unknown key status \"{0}\": use active or revoked.")]
    UnknownKeyStatus(String),
    #[error("Unknown data space type \"{0}\": use production or testing.")]
    UnknownDataSpaceType(String),
    #[error("Unknown instance type \"{0}\": use production, staging or development.")]
    UnknownInstanceType(String),
    #[error("Unknown gateway \"{0}\": use keyport, adobe or custom.")]
    UnknownGateway(String),
    #[error(
        "Unknown feature \"{0}\": use list_tokens, get_token, get_token_payment_data, forward_payment_data or forward."
    )]
    UnknownFeature(String),

    #[error(
        "\"{0}\" is not a website code: a lowercase letter first, then lowercase letters, digits or underscores, at most 32."
    )]
    WebsiteCodeMalformed(String),
    #[error("The website code \"{0}\" is listed twice.")]
    WebsiteCodeDuplicate(String),
    #[error("{field} \"{url}\" is not an http(s) URL with a host, e.g. https://shop.example.com/.")]
    UrlInvalid { field: Field, url: String },
    #[error(
        "\"{0}\" is not an IMS organization id: 24 hexadecimal characters and @AdobeOrg, e.g. 8E6307BF5D775FA00A495EF9@AdobeOrg."
    )]
    ImsOrgMalformed(String),

    #[error("Unsupported key size {0}: choose 2048, 3072 or 4096 bits.")]
    UnsupportedKeySize(u32),
    #[error("RSA key generation failed: {0}")]
    KeyGeneration(String),

    #[error("{0}")]
    ApiKeyMalformed(&'static str),
    #[error("This API key has a typo: its checksum does not match. Copy it again from the API Portal.")]
    ApiKeyChecksum,
    #[error("This is a {found} API key, but a {expected} key is needed here.")]
    ApiKeyWrongEnvironment { expected: crate::Environment, found: crate::Environment },

    #[error(
        "The private key must be PEM text that starts with -----BEGIN PRIVATE KEY----- and ends with -----END PRIVATE KEY-----."
    )]
    PrivateKeyNotPem,
    #[error("{0}")]
    PrivateKeyWrongKind(&'static str),
    #[error("The private key's PEM block is damaged and cannot be read (was it copied completely?).")]
    PrivateKeyUnparseable,
    #[error("The private key does not belong to this API key: it does not match the public key registered for it.")]
    PrivateKeyMismatch,
    #[error("The stored public key cannot be read: {0}")]
    PublicKeyInvalid(String),
    #[error("The private key file cannot be read: {0}")]
    PrivateKeyUnreadable(String),

    #[error("The signature token is larger than {0} bytes.")]
    JwtTooLarge(usize),
    #[error("The signature token is not a valid JWT: {0}.")]
    JwtMalformed(&'static str),
    #[error("The signature token uses the algorithm \"{0}\"; only RS256 is accepted.")]
    JwtAlgorithm(String),
    #[error("The signature token was not signed by this API key's private key.")]
    JwtSignature,
    #[error("The signature token has no expiry (\"exp\").")]
    JwtMissingExpiry,
    #[error("The signature token has expired.")]
    JwtExpired,
    #[error("The signature token is not valid yet (\"iat\" or \"nbf\" lies in the future).")]
    JwtNotYetValid,
    #[error("The signature token expires too far in the future: at most {0} seconds are allowed.")]
    JwtLifetimeTooLong(i64),

    #[error("\"{0}\" is not an HTTP method: use GET or POST (letters only).")]
    MethodMalformed(String),
    #[error(
        "\"{0}\" is not a request path: it starts with /, has no empty, . or .. segments, no white space and no #fragment, \
         e.g. /tokens/tok_123."
    )]
    PathMalformed(String),

    #[error("{0}")]
    RecipientMalformed(String),
    #[error("The passphrase must be at least {0} characters long; Generate makes a strong one.")]
    PassphraseTooShort(usize),
    #[error("\"{0}\" is not an expiry Keyport accepts: from 1 hour to 90 days, e.g. 12h, 7d or 2w.")]
    ExpiryOutOfRange(String),
    #[error("The bundle could not be encrypted: {0}")]
    BundleSeal(String),
    #[error(
        "This file is not a key bundle: it is not an age-encrypted file (a bundle starts with \
         age-encryption.org/v1, or is ASCII-armored age)."
    )]
    BundleNotAge,
    #[error(
        "The bundle is damaged: it was cut short or altered after it was made, so its integrity check fails. \
         Ask the sender for the file again."
    )]
    BundleDamaged,
    #[error("This bundle is protected by a passphrase: enter it to open the bundle.")]
    BundlePassphraseRequired,
    #[error(
        "This bundle is not protected by a passphrase: it was encrypted for a recipient's public key (age1…), \
         and Keyport opens it with this workstation's identity."
    )]
    BundleNotForPassphrase,
    #[error(
        "This bundle was encrypted for another recipient, not for this workstation. Send the license holder this \
         workstation's public key (Key Bundles page, or keyport identity show) and ask for a new bundle."
    )]
    BundleWrongIdentity,
    #[error(
        "This bundle's passphrase protection asks for a scrypt work factor of 2^{required}; Keyport accepts up to \
         2^{max} (each step doubles the time and memory: 2^{max} already takes 1 GiB). Ask the sender for a bundle \
         made with Keyport or age's default."
    )]
    BundleWorkFactor { required: u8, max: u8 },
    #[error("The passphrase is wrong: the bundle did not open. Check it with the sender (it is case-sensitive).")]
    BundleWrongPassphrase,
    #[error("This age file is not a Keyport key bundle: what it holds is not a Keyport manifest.")]
    BundleNotKeyport,
    #[error(
        "This bundle's manifest has version {0}; this Keyport reads version 1. A newer version needs a newer Keyport; \
         an older one, a bundle made again by the sender's Keyport."
    )]
    BundleVersionUnsupported(String),
    #[error("The bundle's manifest is not valid: {0}.")]
    BundleManifestInvalid(String),
    #[error("This bundle expired on {0}: ask the sender for a new one.")]
    BundleExpired(String),
    #[error("The private key of \"{label}\" ({api_key}) in the bundle cannot be read: {reason}")]
    BundleKeyUnreadable { label: String, api_key: String, reason: String },
    #[error(
        "The private key of \"{label}\" ({api_key}) in the bundle does not match the key's fingerprint: it is not \
         this API key's private key."
    )]
    BundleKeyMismatch { label: String, api_key: String },
}

impl CoreError {
    /// The free-text field the error is about, when it is about one.
    pub fn field(&self) -> Option<Field> {
        match self {
            CoreError::Empty(f)
            | CoreError::InvalidCharacters(f)
            | CoreError::TooLong { field: f, .. }
            | CoreError::UrlInvalid { field: f, .. } => Some(*f),
            CoreError::WebsiteCodeMalformed(_) | CoreError::WebsiteCodeDuplicate(_) => Some(Field::WebsiteCodes),
            CoreError::ImsOrgMalformed(_) => Some(Field::ImsOrganization),
            CoreError::RecipientMalformed(_) => Some(Field::Recipient),
            CoreError::PassphraseTooShort(_) | CoreError::BundleWrongPassphrase => Some(Field::Passphrase),
            _ => None,
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            CoreError::Empty(_) => ErrorCode::EmptyValue,
            CoreError::TooLong { .. } => ErrorCode::ValueTooLong,
            CoreError::InvalidCharacters(_) => ErrorCode::InvalidCharacters,
            CoreError::MageIdEmpty => ErrorCode::MageIdEmpty,
            CoreError::MageIdMalformed(_) => ErrorCode::MageIdMalformed,
            CoreError::UnknownEdition(_) => ErrorCode::UnknownEdition,
            CoreError::UnknownOperatingModel(_) => ErrorCode::UnknownOperatingModel,
            CoreError::UnknownStanding(_) => ErrorCode::UnknownStanding,
            CoreError::UnknownAccountRelation(_) => ErrorCode::UnknownAccountRelation,
            CoreError::UnknownEnvironment(_) => ErrorCode::UnknownEnvironment,
            CoreError::UnknownKeyStatus(_) => ErrorCode::UnknownKeyStatus,
            CoreError::UnknownDataSpaceType(_) => ErrorCode::UnknownDataSpaceType,
            CoreError::UnknownInstanceType(_) => ErrorCode::UnknownInstanceType,
            CoreError::UnknownGateway(_) => ErrorCode::UnknownGateway,
            CoreError::WebsiteCodeMalformed(_) => ErrorCode::WebsiteCodeMalformed,
            CoreError::WebsiteCodeDuplicate(_) => ErrorCode::WebsiteCodeDuplicate,
            CoreError::UrlInvalid { .. } => ErrorCode::UrlInvalid,
            CoreError::ImsOrgMalformed(_) => ErrorCode::ImsOrgMalformed,
            CoreError::UnsupportedKeySize(_) => ErrorCode::UnsupportedKeySize,
            CoreError::KeyGeneration(_) => ErrorCode::KeyGenerationFailed,
            CoreError::ApiKeyMalformed(_) => ErrorCode::ApiKeyMalformed,
            CoreError::ApiKeyChecksum => ErrorCode::ApiKeyChecksum,
            CoreError::ApiKeyWrongEnvironment { .. } => ErrorCode::ApiKeyWrongEnvironment,
            CoreError::PrivateKeyNotPem => ErrorCode::PrivateKeyNotPem,
            CoreError::PrivateKeyWrongKind(_) => ErrorCode::PrivateKeyWrongKind,
            CoreError::PrivateKeyUnparseable => ErrorCode::PrivateKeyUnparseable,
            CoreError::PrivateKeyMismatch => ErrorCode::PrivateKeyMismatch,
            CoreError::PublicKeyInvalid(_) => ErrorCode::PublicKeyInvalid,
            CoreError::PrivateKeyUnreadable(_) => ErrorCode::PrivateKeyUnreadable,
            CoreError::JwtTooLarge(_) => ErrorCode::JwtTooLarge,
            CoreError::JwtMalformed(_) => ErrorCode::JwtMalformed,
            CoreError::JwtAlgorithm(_) => ErrorCode::JwtAlgorithm,
            CoreError::JwtSignature => ErrorCode::JwtSignature,
            CoreError::JwtMissingExpiry => ErrorCode::JwtMissingExp,
            CoreError::JwtExpired => ErrorCode::JwtExpired,
            CoreError::JwtNotYetValid => ErrorCode::JwtNotYetValid,
            CoreError::JwtLifetimeTooLong(_) => ErrorCode::JwtLifetimeTooLong,
            CoreError::UnknownFeature(_) => ErrorCode::UnknownFeature,
            CoreError::MethodMalformed(_) => ErrorCode::MethodMalformed,
            CoreError::PathMalformed(_) => ErrorCode::PathMalformed,
            CoreError::RecipientMalformed(_) => ErrorCode::RecipientMalformed,
            CoreError::PassphraseTooShort(_) => ErrorCode::PassphraseTooShort,
            CoreError::ExpiryOutOfRange(_) => ErrorCode::ExpiryOutOfRange,
            CoreError::BundleSeal(_) => ErrorCode::BundleSealFailed,
            CoreError::BundleNotAge => ErrorCode::BundleNotAge,
            CoreError::BundleDamaged => ErrorCode::BundleDamaged,
            CoreError::BundlePassphraseRequired => ErrorCode::BundlePassphraseRequired,
            CoreError::BundleNotForPassphrase => ErrorCode::BundleNotForPassphrase,
            CoreError::BundleWrongIdentity => ErrorCode::BundleWrongIdentity,
            CoreError::BundleWorkFactor { .. } => ErrorCode::BundleWorkFactor,
            CoreError::BundleWrongPassphrase => ErrorCode::BundleWrongPassphrase,
            CoreError::BundleNotKeyport => ErrorCode::BundleNotKeyport,
            CoreError::BundleVersionUnsupported(_) => ErrorCode::BundleVersionUnsupported,
            CoreError::BundleManifestInvalid(_) => ErrorCode::BundleManifestInvalid,
            CoreError::BundleExpired(_) => ErrorCode::BundleExpired,
            CoreError::BundleKeyUnreadable { .. } => ErrorCode::BundleKeyUnreadable,
            CoreError::BundleKeyMismatch { .. } => ErrorCode::BundleKeyMismatch,
        }
    }
}

pub type Result<T, E = CoreError> = std::result::Result<T, E>;

/// Shortens user input quoted back in an error message, so a pasted blob
/// cannot flood the message area.
pub(crate) fn quote_input(raw: &str) -> String {
    const MAX: usize = 40;
    let trimmed = raw.trim();
    if trimmed.chars().count() <= MAX {
        trimmed.to_string()
    } else {
        let head: String = trimmed.chars().take(MAX).collect();
        format!("{head}…")
    }
}
