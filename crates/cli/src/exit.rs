//! Exit codes by error class, so a script can branch on why a command
//! failed without parsing its message (README: "Exit codes").

use keyport_engine::ErrorCode;

/// What kind of failure a code is; each class has its own exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Anything else: storage, I/O, an internal failure.
    Failed = 1,
    /// Bad command-line syntax or a value that does not pass its rule.
    Usage = 2,
    /// What the command names does not exist.
    NotFound = 3,
    /// Understood and refused: revoked, suspended, taken, unconfirmed, a
    /// gateway's or a bundle's refusal.
    Refused = 4,
    /// Something Keyport needs does not answer: the keychain, a gateway.
    Unavailable = 5,
    /// The file or folder to write already exists.
    Exists = 6,
}

impl Class {
    pub fn exit_code(self) -> u8 {
        self as u8
    }
}

/// The class of every code, decided here once (no wildcard: a new code does
/// not compile until it has one).
pub fn class(code: ErrorCode) -> Class {
    use ErrorCode::*;
    #[rustfmt::skip]
    let class = match code {
        InvalidArguments | EmptyValue | ValueTooLong | InvalidCharacters | MageIdEmpty | MageIdMalformed
        | UnknownEdition | UnknownOperatingModel | UnknownStanding | UnknownAccountRelation | UnknownEnvironment
        | UnknownKeyStatus | UnknownDataSpaceType | UnknownInstanceType | UnknownGateway | UnknownFeature
        | WebsiteCodeMalformed | WebsiteCodeDuplicate | UrlInvalid | ImsOrgMalformed | ConnectorInvalid
        | UnsupportedKeySize | ApiKeyMalformed | ApiKeyChecksum | ApiKeyWrongEnvironment | PrivateKeyNotPem
        | PrivateKeyWrongKind | PrivateKeyUnparseable | PrivateKeyMismatch | PublicKeyInvalid | MethodMalformed
        | PathMalformed | RecipientMalformed | PassphraseTooShort | ExpiryOutOfRange | ScopeEmpty
        | BundlePassphraseRequired => Class::Usage,
        InstanceNotFound | AccountNotFound | NoAccount | MerchantNotFound | KeyNotFound | PendingKeyMissing
        | ProjectNotFound | DataSpaceNotFound | UnknownApiKey | NotFound | FolderMissing | HomeMissing
        | PrivateKeyNotHeld | KeysNotConfigured | IdentityLost => Class::NotFound,
        WebsiteCodeCollision | ConfirmationRequired | KeyOfOtherAccount | ChangedMeanwhile | MageIdTaken | NameTaken
        | LabelTaken | MerchantsNotAllowed | MerchantsExist | KeyRevoked | AlreadyDelivered | SaveCancelled
        | AccountSuspended | GatewayRefused | GatewayUnattributed | ScopedKeysNotAllowed | FeatureNotOffered
        | ClientAccount | IdentityExists | JwtTooLarge | JwtMalformed | JwtAlgorithm | JwtSignature | JwtMissingExp
        | JwtExpired | JwtNotYetValid | JwtLifetimeTooLong | MissingApiKey | MissingSignature | DuplicateHeader
        | ConflictingApiKeys | InvalidHeader | InvalidBody | MethodNotAllowed | PayloadTooLarge | BadRequest
        | HostNotAllowed | OriginNotAllowed | RequestTimeout | BundleNotAge | BundleDamaged | BundleNotForPassphrase
        | BundleWrongIdentity | BundleWorkFactor | BundleWrongPassphrase | BundleNotKeyport
        | BundleVersionUnsupported | BundleManifestInvalid | BundleExpired | BundleKeyUnreadable | BundleKeyMismatch
        | BundleTooLarge | BundleEmpty | BundleMixedAccounts | BundleKeyConflict => Class::Refused,
        KeychainUnavailable | KeychainError | GatewayUnreachable | NoHomeSandbox | NoLocalGateway | BindFailed
        | DownloadInProgress => Class::Unavailable,
        FileExists | FolderNotEmpty | PathIsFolder => Class::Exists,
        KeyGenerationFailed | PrivateKeyUnreadable | HomeNotADirectory | HomeNotWritable | DatabaseCorrupt
        | DatabaseForeign | DatabaseTooNew | DatabaseError | IoError | FolderNotWritable | FileNotPrivate | DiskFull
        | SavedFileMismatch | BundleSealFailed | IpcError => Class::Failed,
    };
    class
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_is_2_and_every_code_has_a_class() {
        assert_eq!(class(ErrorCode::InvalidArguments).exit_code(), 2);
        for code in ErrorCode::ALL {
            assert!((1..=6).contains(&class(*code).exit_code()), "{code:?}");
        }
    }
}
