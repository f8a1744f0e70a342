//! The stable error codes: every code that leaves Keyport (IPC responses,
//! `error[code]` lines and `--json` errors of the CLI, the sandbox's HTTP
//! bodies) is one variant here. Each error enum maps its variants onto
//! these, the UI gets them as a generated TypeScript union, and a tidy test
//! checks that README.md documents exactly this list.

use std::fmt;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

macro_rules! error_codes {
    ($($(#[$doc:meta])* $variant:ident => $wire:literal,)+) => {
        /// A stable, machine-readable error identifier (`snake_case` on the wire).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
        #[serde(rename_all = "snake_case")]
        pub enum ErrorCode { $($(#[$doc])* $variant),+ }

        impl ErrorCode {
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $(ErrorCode::$variant => $wire),+ }
            }

            /// The code named `wire`, if Keyport has one by that name (a
            /// gateway's refusal may carry codes Keyport does not know).
            pub fn parse(wire: &str) -> Option<ErrorCode> {
                match wire { $($wire => Some(ErrorCode::$variant),)+ _ => None }
            }
        }
    };
}

error_codes! {
    // Free text and closed value sets.
    EmptyValue => "empty_value",
    ValueTooLong => "value_too_long",
    InvalidCharacters => "invalid_characters",
    MageIdEmpty => "mage_id_empty",
    MageIdMalformed => "mage_id_malformed",
    UnknownEdition => "unknown_edition",
    UnknownOperatingModel => "unknown_operating_model",
    UnknownStanding => "unknown_standing",
    UnknownAccountRelation => "unknown_account_relation",
    UnknownEnvironment => "unknown_environment",
    UnknownKeyStatus => "unknown_key_status",
    UnknownDataSpaceType => "unknown_data_space_type",
    UnknownInstanceType => "unknown_instance_type",
    UnknownGateway => "unknown_gateway",
    UnknownFeature => "unknown_feature",
    // Instances and the Connector page.
    WebsiteCodeMalformed => "website_code_malformed",
    WebsiteCodeDuplicate => "website_code_duplicate",
    UrlInvalid => "url_invalid",
    ImsOrgMalformed => "ims_org_malformed",
    InstanceNotFound => "instance_not_found",
    WebsiteCodeCollision => "website_code_collision",
    ConfirmationRequired => "confirmation_required",
    ConnectorInvalid => "connector_invalid",
    PrivateKeyNotHeld => "private_key_not_held",
    KeyOfOtherAccount => "key_of_other_account",
    KeysNotConfigured => "keys_not_configured",
    NoLocalGateway => "no_local_gateway",
    FolderNotEmpty => "folder_not_empty",
    ChangedMeanwhile => "changed_meanwhile",
    // Keys, PEM and JWT.
    UnsupportedKeySize => "unsupported_key_size",
    KeyGenerationFailed => "key_generation_failed",
    ApiKeyMalformed => "api_key_malformed",
    ApiKeyChecksum => "api_key_checksum",
    ApiKeyWrongEnvironment => "api_key_wrong_environment",
    PrivateKeyNotPem => "private_key_not_pem",
    PrivateKeyWrongKind => "private_key_wrong_kind",
    PrivateKeyUnparseable => "private_key_unparseable",
    PrivateKeyMismatch => "private_key_mismatch",
    PrivateKeyUnreadable => "private_key_unreadable",
    PublicKeyInvalid => "public_key_invalid",
    JwtTooLarge => "jwt_too_large",
    JwtMalformed => "jwt_malformed",
    JwtAlgorithm => "jwt_algorithm",
    JwtSignature => "jwt_signature",
    JwtMissingExp => "jwt_missing_exp",
    JwtExpired => "jwt_expired",
    JwtNotYetValid => "jwt_not_yet_valid",
    JwtLifetimeTooLong => "jwt_lifetime_too_long",
    // The Keyport home and its storage.
    HomeMissing => "home_missing",
    HomeNotADirectory => "home_not_a_directory",
    HomeNotWritable => "home_not_writable",
    DatabaseCorrupt => "database_corrupt",
    DatabaseForeign => "database_foreign",
    DatabaseTooNew => "database_too_new",
    DatabaseError => "database_error",
    IoError => "io_error",
    KeychainUnavailable => "keychain_unavailable",
    KeychainError => "keychain_error",
    // Accounts and merchants.
    AccountNotFound => "account_not_found",
    NoAccount => "no_account",
    MageIdTaken => "mage_id_taken",
    NameTaken => "name_taken",
    MerchantsNotAllowed => "merchants_not_allowed",
    MerchantNotFound => "merchant_not_found",
    MerchantsExist => "merchants_exist",
    // API keys and the one-time download.
    KeyNotFound => "key_not_found",
    LabelTaken => "label_taken",
    KeyRevoked => "key_revoked",
    AlreadyDelivered => "already_delivered",
    PendingKeyMissing => "pending_key_missing",
    SaveCancelled => "save_cancelled",
    DownloadInProgress => "download_in_progress",
    FolderMissing => "folder_missing",
    FolderNotWritable => "folder_not_writable",
    FileExists => "file_exists",
    FileNotPrivate => "file_not_private",
    PathIsFolder => "path_is_folder",
    DiskFull => "disk_full",
    SavedFileMismatch => "saved_file_mismatch",
    // SaaS projects and entitlement.
    ProjectNotFound => "project_not_found",
    DataSpaceNotFound => "data_space_not_found",
    UnknownApiKey => "unknown_api_key",
    AccountSuspended => "account_suspended",
    GatewayUnreachable => "gateway_unreachable",
    GatewayRefused => "gateway_refused",
    NoHomeSandbox => "no_home_sandbox",
    GatewayUnattributed => "gateway_unattributed",
    // Scoped keys and the access check.
    ScopedKeysNotAllowed => "scoped_keys_not_allowed",
    ScopeEmpty => "scope_empty",
    FeatureNotOffered => "feature_not_offered",
    MethodMalformed => "method_malformed",
    PathMalformed => "path_malformed",
    // Key bundles and this workstation's identity.
    RecipientMalformed => "recipient_malformed",
    PassphraseTooShort => "passphrase_too_short",
    ExpiryOutOfRange => "expiry_out_of_range",
    BundleSealFailed => "bundle_seal_failed",
    BundleNotAge => "bundle_not_age",
    BundleDamaged => "bundle_damaged",
    BundlePassphraseRequired => "bundle_passphrase_required",
    BundleNotForPassphrase => "bundle_not_for_passphrase",
    BundleWrongIdentity => "bundle_wrong_identity",
    BundleWorkFactor => "bundle_work_factor",
    BundleWrongPassphrase => "bundle_wrong_passphrase",
    BundleNotKeyport => "bundle_not_keyport",
    BundleVersionUnsupported => "bundle_version_unsupported",
    BundleManifestInvalid => "bundle_manifest_invalid",
    BundleExpired => "bundle_expired",
    BundleKeyUnreadable => "bundle_key_unreadable",
    BundleKeyMismatch => "bundle_key_mismatch",
    BundleTooLarge => "bundle_too_large",
    BundleEmpty => "bundle_empty",
    BundleMixedAccounts => "bundle_mixed_accounts",
    BundleKeyConflict => "bundle_key_conflict",
    IdentityLost => "identity_lost",
    IdentityExists => "identity_exists",
    ClientAccount => "client_account",
    // The sandbox's HTTP refusals.
    MissingApiKey => "missing_api_key",
    MissingSignature => "missing_signature",
    DuplicateHeader => "duplicate_header",
    ConflictingApiKeys => "conflicting_api_keys",
    InvalidHeader => "invalid_header",
    InvalidBody => "invalid_body",
    NotFound => "not_found",
    MethodNotAllowed => "method_not_allowed",
    PayloadTooLarge => "payload_too_large",
    BadRequest => "bad_request",
    HostNotAllowed => "host_not_allowed",
    OriginNotAllowed => "origin_not_allowed",
    RequestTimeout => "request_timeout",
    BindFailed => "bind_failed",
    // The shells.
    InvalidArguments => "invalid_arguments",
    IpcError => "ipc_error",
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The shape of every error that leaves Keyport: IPC responses, `--json`
/// CLI errors and sandbox HTTP bodies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ErrorBody {
    pub code: ErrorCode,
    pub message: String,
    /// The user-entered field the error is about, when it is about one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub field: Option<crate::Field>,
    /// The single problems, when several were found at once (one per field).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(optional, as = "Option<Vec<ErrorBody>>")]
    pub details: Vec<ErrorBody>,
}

impl ErrorBody {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> ErrorBody {
        ErrorBody { code, message: message.into(), field: None, details: Vec::new() }
    }

    pub fn about(mut self, field: Option<crate::Field>) -> ErrorBody {
        self.field = field;
        self
    }
}

impl From<crate::CoreError> for ErrorBody {
    fn from(e: crate::CoreError) -> Self {
        ErrorBody::new(e.code(), e.to_string()).about(e.field())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_are_unique_snake_case_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for &code in ErrorCode::ALL {
            let wire = code.as_str();
            assert!(seen.insert(wire), "{wire} twice");
            assert!(wire.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{wire}");
            assert_eq!(ErrorCode::parse(wire), Some(code));
            assert_eq!(serde_json::to_string(&code).unwrap(), format!("\"{wire}\""));
        }
        assert_eq!(ErrorCode::parse("nonsense"), None);
    }
}
