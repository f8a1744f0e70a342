use std::path::PathBuf;

use keyport_core::{CoreError, ErrorBody, ErrorCode};

/// Every way a use case can fail. `code()` is stable: it crosses the IPC
/// boundary, the CLI (`error[code]: message`) and the sandbox's HTTP bodies.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Core(#[from] CoreError),

    #[error(
        "Keyport home {0} does not exist. Create the folder first, or leave out --home/KEYPORT_HOME to use the default."
    )]
    HomeMissing(PathBuf),
    #[error("Keyport home {0} is not a folder.")]
    HomeNotADirectory(PathBuf),
    #[error("Keyport home {0} is not writable: Keyport needs to create and change files there.")]
    HomeNotWritable(PathBuf),
    #[error(
        "{0} is not a Keyport database (it is not an SQLite file, or it is damaged). It was left untouched: move it aside to start afresh."
    )]
    DatabaseCorrupt(PathBuf),
    #[error("{0} is an SQLite database of another program, not Keyport's. It was left untouched.")]
    DatabaseForeign(PathBuf),
    #[error("{0} was written by a newer Keyport. Update Keyport to open it.")]
    DatabaseTooNew(PathBuf),
    #[error("Database error: {0}")]
    Database(String),
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },

    #[error(
        "The OS keychain is not reachable ({0}). On Linux Keyport stores secrets in the Secret Service: \
         run it in a desktop session with GNOME Keyring or KWallet unlocked, or start it with `make run`, \
         which provides one."
    )]
    KeychainUnavailable(String),
    #[error("The OS keychain refused the operation: {0}")]
    Keychain(String),

    #[error("No account with id or MageID \"{0}\".")]
    AccountNotFound(String),
    #[error("There is no account yet: create one first (keyport account create).")]
    NoAccount,
    #[error("An account with MageID {0} already exists in this Keyport home.")]
    MageIdTaken(String),
    #[error("{what} \"{name}\" already exists; choose another name.")]
    NameTaken { what: &'static str, field: keyport_core::Field, name: String },
    #[error("Only Ecosystem and Managed Ecosystem accounts have merchants; this account's operating model is {0}.")]
    MerchantsNotAllowed(&'static str),
    #[error("No merchant \"{0}\" in this account.")]
    MerchantNotFound(String),
    #[error("No API key \"{0}\".")]
    KeyNotFound(String),
    #[error("An active {environment} key labelled \"{label}\" already exists; labels tell keys apart, choose another.")]
    LabelTaken { environment: keyport_core::Environment, label: String },
    #[error("This API key is revoked{0}.")]
    KeyRevoked(String),
    #[error("This key's private key was already downloaded; Keyport can never show or save it again.")]
    AlreadyDelivered,
    #[error(
        "The private key waiting for download is no longer in the OS keychain, so it cannot be saved. \
         Discard this key (it gets revoked) and create a new one."
    )]
    PendingKeyMissing,
    #[error("This key's private key is being saved right now (in another window or by the CLI). Wait a moment.")]
    DownloadInProgress,
    #[error("You cancelled the save dialog. The private key was not saved and is still waiting for download.")]
    SaveCancelled,
    #[error("The folder {0} does not exist.")]
    FolderMissing(PathBuf),
    #[error("Keyport may not write in {0}.")]
    FolderNotWritable(PathBuf),
    #[error("{0} already exists; Keyport does not overwrite files silently. Choose another name.")]
    FileExists(PathBuf),
    #[error("{0} is a folder; choose a file name.")]
    PathIsFolder(PathBuf),
    #[error("The disk is full: {0} could not be written. Nothing was saved; free some space and try again.")]
    DiskFull(PathBuf),
    #[error("{0} did not read back as the same private key after writing; it was removed. Try another location.")]
    SavedFileMismatch(PathBuf),

    #[error("No SaaS project \"{0}\" in this account.")]
    ProjectNotFound(String),
    #[error("No data space \"{0}\" in this account.")]
    DataSpaceNotFound(String),
    #[error("No API key is registered as \"{0}\".")]
    UnknownApiKey(String),
    #[error("The account of this API key is suspended; Commerce Services refuse its keys.")]
    AccountSuspended,
    #[error("The gateway {0} could not be reached: {1}")]
    GatewayUnreachable(String, String),
    /// `code` is the gateway's own when Keyport knows it (its sandbox's
    /// codes), else `gateway_refused`.
    #[error("The gateway refused the request (HTTP {status}): {message}")]
    GatewayRefused { status: u16, code: ErrorCode, message: String },

    #[error(
        "This account still has {0} merchant(s). Remove them before changing to an operating model without merchants."
    )]
    MerchantsExist(i64),

    #[error("No instance \"{0}\".")]
    InstanceNotFound(String),
    #[error(
        "The website code \"{code}\" is also used by the instance \"{other}\", which sends its data to the same data space. \
         Instances may share a data space only when all their website codes differ; choose another data space."
    )]
    WebsiteCodeCollision { code: String, other: String },
    #[error("Please confirm: {}", .0.join(" "))]
    ConfirmationRequired(Vec<String>),
    #[error("Nothing was saved: {}", .0.iter().map(|p| p.message.as_str()).collect::<Vec<_>>().join(" "))]
    ConnectorInvalid(Vec<ErrorBody>),
    #[error(
        "Keyport does not hold this key's private key on this workstation (it was not kept in the keychain when it \
         was downloaded, nor received in a bundle). Paste it, or open its file."
    )]
    PrivateKeyNotHeld,
    #[error("The API key {0} belongs to another account than this instance; use a key of the instance's account.")]
    KeyOfOtherAccount(String),
    #[error("This instance has no {0} keys yet: save them on its Commerce Services Connector page first.")]
    KeysNotConfigured(keyport_core::Environment),
    #[error(
        "Keyport's Commerce Services sandbox is not running in this process, so this instance's gateway cannot be \
         reached. Start the app, or run keyport sandbox serve."
    )]
    NoLocalGateway,
    #[error(
        "No Keyport sandbox serves the home {}: {detail}. Start the app or run keyport sandbox serve, or name a \
         gateway with --gateway.", home.display()
    )]
    NoHomeSandbox { home: PathBuf, detail: String },
    #[error(
        "The program at {0} could not prove it is this home's Keyport sandbox (another local user's program may \
         have taken the port), so no key was sent to it. Name it with --gateway if you trust it."
    )]
    GatewayUnattributed(String),
    #[error("{0} is not empty; choose a new or empty folder for the export.")]
    FolderNotEmpty(PathBuf),
    #[error(
        "The instance \"{0}\" was changed elsewhere (another window or the command line) meanwhile; nothing was \
         saved. Reload it and try again."
    )]
    ChangedMeanwhile(String),

    #[error("{0} is {1} bytes: a key bundle is at most 4 MiB. Is it the right file?")]
    BundleTooLarge(PathBuf, u64),
    #[error("Choose at least one key for the bundle.")]
    BundleEmpty,
    #[error("A bundle holds the keys of one account; {0} belongs to another account than the first key.")]
    BundleMixedAccounts(String),
    #[error(
        "This workstation already has the API key {0} with another public key: the bundle's private key is not the \
         key registered here. Nothing was imported."
    )]
    BundleKeyConflict(String),
    #[error(
        "The key pair of {api_key} in the bundle is already here as the API key {other}: one key pair belongs to one \
         API key. Nothing was imported."
    )]
    BundleKeyPairElsewhere { api_key: String, other: String },
    #[error(
        "This workstation's bundle identity {0} is missing from the OS keychain, so bundles made for it cannot be \
         opened. Create a new identity (Key Bundles page, or keyport identity new --replace) and send its public key \
         to the license holder."
    )]
    IdentityLost(String),
    #[error("This workstation already has the bundle identity {0}; replace it only on purpose (--replace).")]
    IdentityExists(String),
    #[error("{0} is a client account: its keys are created by its license holder and arrive here in key bundles.")]
    ClientAccount(String),
    #[error("\"{label}\" cannot be exported: {reason}")]
    KeyNotExportable { label: String, reason: String },

    #[error(
        "Scoped keys are only for Ecosystem and Managed Ecosystem accounts; this account's operating model is {0}."
    )]
    ScopedKeysNotAllowed(&'static str),
    #[error("A scope names at least one merchant and one feature.")]
    ScopeEmpty,
    #[error("{feature} is not offered to {model} accounts: a scoped key of this account cannot be granted it.")]
    FeatureNotOffered { feature: &'static str, model: &'static str },
}

impl EngineError {
    pub fn code(&self) -> ErrorCode {
        match self {
            EngineError::Core(e) => e.code(),
            EngineError::HomeMissing(_) => ErrorCode::HomeMissing,
            EngineError::HomeNotADirectory(_) => ErrorCode::HomeNotADirectory,
            EngineError::HomeNotWritable(_) => ErrorCode::HomeNotWritable,
            EngineError::DatabaseCorrupt(_) => ErrorCode::DatabaseCorrupt,
            EngineError::DatabaseForeign(_) => ErrorCode::DatabaseForeign,
            EngineError::DatabaseTooNew(_) => ErrorCode::DatabaseTooNew,
            EngineError::Database(_) => ErrorCode::DatabaseError,
            EngineError::Io { .. } => ErrorCode::IoError,
            EngineError::KeychainUnavailable(_) => ErrorCode::KeychainUnavailable,
            EngineError::Keychain(_) => ErrorCode::KeychainError,
            EngineError::AccountNotFound(_) => ErrorCode::AccountNotFound,
            EngineError::NoAccount => ErrorCode::NoAccount,
            EngineError::MageIdTaken(_) => ErrorCode::MageIdTaken,
            EngineError::NameTaken { .. } => ErrorCode::NameTaken,
            EngineError::MerchantsNotAllowed(_) => ErrorCode::MerchantsNotAllowed,
            EngineError::MerchantNotFound(_) => ErrorCode::MerchantNotFound,
            EngineError::MerchantsExist(_) => ErrorCode::MerchantsExist,
            EngineError::KeyNotFound(_) => ErrorCode::KeyNotFound,
            EngineError::LabelTaken { .. } => ErrorCode::LabelTaken,
            EngineError::KeyRevoked(_) => ErrorCode::KeyRevoked,
            EngineError::AlreadyDelivered => ErrorCode::AlreadyDelivered,
            EngineError::PendingKeyMissing => ErrorCode::PendingKeyMissing,
            EngineError::SaveCancelled => ErrorCode::SaveCancelled,
            EngineError::DownloadInProgress => ErrorCode::DownloadInProgress,
            EngineError::FolderMissing(_) => ErrorCode::FolderMissing,
            EngineError::FolderNotWritable(_) => ErrorCode::FolderNotWritable,
            EngineError::FileExists(_) => ErrorCode::FileExists,
            EngineError::PathIsFolder(_) => ErrorCode::PathIsFolder,
            EngineError::DiskFull(_) => ErrorCode::DiskFull,
            EngineError::SavedFileMismatch(_) => ErrorCode::SavedFileMismatch,
            EngineError::ProjectNotFound(_) => ErrorCode::ProjectNotFound,
            EngineError::DataSpaceNotFound(_) => ErrorCode::DataSpaceNotFound,
            EngineError::UnknownApiKey(_) => ErrorCode::UnknownApiKey,
            EngineError::AccountSuspended => ErrorCode::AccountSuspended,
            EngineError::GatewayUnreachable(..) => ErrorCode::GatewayUnreachable,
            // The gateway's own code passes through, so the CLI reports what the service said.
            EngineError::GatewayRefused { code, .. } => *code,
            EngineError::InstanceNotFound(_) => ErrorCode::InstanceNotFound,
            EngineError::WebsiteCodeCollision { .. } => ErrorCode::WebsiteCodeCollision,
            EngineError::ConfirmationRequired(_) => ErrorCode::ConfirmationRequired,
            EngineError::ConnectorInvalid(_) => ErrorCode::ConnectorInvalid,
            EngineError::PrivateKeyNotHeld => ErrorCode::PrivateKeyNotHeld,
            EngineError::KeyOfOtherAccount(_) => ErrorCode::KeyOfOtherAccount,
            EngineError::KeysNotConfigured(_) => ErrorCode::KeysNotConfigured,
            EngineError::NoLocalGateway => ErrorCode::NoLocalGateway,
            EngineError::NoHomeSandbox { .. } => ErrorCode::NoHomeSandbox,
            EngineError::GatewayUnattributed(_) => ErrorCode::GatewayUnattributed,
            EngineError::FolderNotEmpty(_) => ErrorCode::FolderNotEmpty,
            EngineError::ChangedMeanwhile(_) => ErrorCode::ChangedMeanwhile,
            EngineError::BundleTooLarge(..) => ErrorCode::BundleTooLarge,
            EngineError::BundleEmpty => ErrorCode::BundleEmpty,
            EngineError::BundleMixedAccounts(_) => ErrorCode::BundleMixedAccounts,
            EngineError::BundleKeyConflict(_) | EngineError::BundleKeyPairElsewhere { .. } => {
                ErrorCode::BundleKeyConflict
            }
            EngineError::IdentityLost(_) => ErrorCode::IdentityLost,
            EngineError::IdentityExists(_) => ErrorCode::IdentityExists,
            EngineError::ClientAccount(_) => ErrorCode::ClientAccount,
            EngineError::KeyNotExportable { .. } => ErrorCode::PrivateKeyNotHeld,
            EngineError::ScopedKeysNotAllowed(_) => ErrorCode::ScopedKeysNotAllowed,
            EngineError::ScopeEmpty => ErrorCode::ScopeEmpty,
            EngineError::FeatureNotOffered { .. } => ErrorCode::FeatureNotOffered,
        }
    }

    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        EngineError::Io { context: context.into(), source }
    }

    /// The user-entered field the error is about, when it is about one.
    pub fn field(&self) -> Option<keyport_core::Field> {
        match self {
            EngineError::Core(e) => e.field(),
            EngineError::NameTaken { field, .. } => Some(*field),
            EngineError::LabelTaken { .. } => Some(keyport_core::Field::KeyLabel),
            EngineError::WebsiteCodeCollision { .. } => Some(keyport_core::Field::WebsiteCodes),
            _ => None,
        }
    }

    pub fn body(&self) -> ErrorBody {
        let mut body = ErrorBody::new(self.code(), self.to_string()).about(self.field());
        match self {
            EngineError::ConnectorInvalid(problems) => body.details = problems.clone(),
            // One detail per warning: the text to show and to confirm.
            EngineError::ConfirmationRequired(warnings) => {
                body.details = warnings.iter().map(|w| ErrorBody::new(ErrorCode::ConfirmationRequired, w)).collect();
            }
            _ => {}
        }
        body
    }
}

impl From<sqlx::Error> for EngineError {
    fn from(e: sqlx::Error) -> Self {
        EngineError::Database(e.to_string())
    }
}

pub type Result<T, E = EngineError> = std::result::Result<T, E>;

impl From<EngineError> for ErrorBody {
    fn from(e: EngineError) -> Self {
        e.body()
    }
}
