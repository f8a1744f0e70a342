//! The records use cases return and take. They cross the IPC boundary, so
//! each derives `TS`: the UI's TypeScript types are generated from these.

use keyport_core::saas::DataSpaceType;
use keyport_core::scope::{Feature, KeyScope};
use keyport_core::{
    AccountRelation, ApiKey, Edition, Environment, ErrorCode, GatewayChoice, InstanceType, KeyStatus, MageId,
    OperatingModel, Standing,
};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Account {
    pub id: String,
    pub mage_id: MageId,
    pub name: String,
    pub edition: Edition,
    pub operating_model: OperatingModel,
    pub standing: Standing,
    pub created_at: String,
    pub updated_at: String,
    /// Always empty unless the operating model has merchants.
    pub merchants: Vec<Merchant>,
    /// The account Keyport works on unless told otherwise.
    pub is_current: bool,
    /// The license holder's own account, or a client's received in a bundle.
    pub relation: AccountRelation,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Merchant {
    pub id: String,
    pub name: String,
    pub created_at: String,
}

/// What the "Create your account" form and `keyport account create` send.
/// Text fields are raw user input; the engine validates them.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct NewAccount {
    pub mage_id: String,
    pub name: String,
    pub edition: Edition,
    pub operating_model: OperatingModel,
}

/// A partial edit of an account: absent fields stay as they are.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct AccountChanges {
    #[ts(optional)]
    pub name: Option<String>,
    #[ts(optional)]
    pub edition: Option<Edition>,
    #[ts(optional)]
    pub operating_model: Option<OperatingModel>,
    #[ts(optional)]
    pub standing: Option<Standing>,
    /// The warnings of `confirmation_required` accepted, word for word
    /// (an operating model that revokes scoped keys).
    #[serde(default)]
    #[ts(optional, as = "Option<Vec<String>>")]
    pub confirmed: Vec<String>,
}

/// One line of the Activity log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, sqlx::FromRow)]
pub struct ActivityEntry {
    pub id: i64,
    pub at: String,
    pub account_id: Option<String>,
    pub action: String,
    pub detail: String,
}

/// A page of the Activity log and how many entries there are in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ActivityPage {
    pub entries: Vec<ActivityEntry>,
    pub total: u32,
}

/// An API key pair as Keyport records it: public material only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ApiKeyInfo {
    pub id: String,
    pub account_id: String,
    pub environment: Environment,
    pub label: String,
    /// The public identifier an instance sends as `x-api-key`.
    pub api_key: ApiKey,
    /// `SHA256:` + base64 of the SHA-256 of the public key (SPKI DER).
    pub fingerprint: String,
    pub bits: u32,
    /// The public key, SPKI PEM (`-----BEGIN PUBLIC KEY-----`).
    pub public_key_pem: String,
    pub created_at: String,
    pub status: KeyStatus,
    pub revoked_at: Option<String>,
    pub revoke_reason: Option<String>,
    /// When the one-time download of the private key completed.
    pub delivered_at: Option<String>,
    /// Active, and its private key still waits for its one-time download.
    pub download_pending: bool,
    /// The private key is also kept in this workstation's keychain.
    pub kept_in_keychain: bool,
    /// A copy Keyport no longer needs is still in the keychain (the keychain
    /// refused to delete it); `keyport doctor` and the app's next start retry.
    pub keychain_cleanup_pending: bool,
    pub last_validated_at: Option<String>,
    /// When the key arrived in a key bundle (its private key is kept in this
    /// workstation's keychain); `None` for keys created here.
    pub received_at: Option<String>,
    /// The merchants and features a scoped key is restricted to; `None`
    /// for an unscoped key (its account's full access).
    pub scope: Option<KeyScope>,
}

/// What "Add New" sends.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct NewKey {
    pub environment: Environment,
    pub label: String,
    /// 2048 (default), 3072 or 4096.
    pub bits: u32,
    /// A scoped key's merchants and features (Ecosystem and Managed
    /// Ecosystem accounts only); absent for an unscoped key.
    #[serde(default)]
    #[ts(optional)]
    pub scope: Option<NewScope>,
}

/// The scope a new key is restricted to: merchants of its account (by id
/// or name) and features its operating model offers.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct NewScope {
    pub merchants: Vec<String>,
    pub features: Vec<Feature>,
}

/// "May this key call METHOD PATH for this merchant?"
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct AccessRequest {
    pub method: String,
    pub path: String,
    /// The merchant (name or id) the request is for.
    #[serde(default)]
    #[ts(optional)]
    pub merchant: Option<String>,
}

/// A page of the key list: one environment (or all), optionally filtered by
/// status and by a search over label, API key and fingerprint.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct KeyQuery {
    #[ts(optional)]
    pub environment: Option<Environment>,
    #[ts(optional)]
    pub search: Option<String>,
    #[ts(optional)]
    pub status: Option<KeyFilter>,
    /// Default: newest first.
    #[ts(optional)]
    pub sort: Option<KeySort>,
    pub offset: u32,
    /// At most 500.
    pub limit: u32,
}

/// The key grid's status filter, as the Status column reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum KeyFilter {
    /// Active, and its private key delivered.
    Active,
    /// Active, its private key still waiting for the one-time download.
    AwaitingDownload,
    Revoked,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum KeySortField {
    Label,
    Created,
    LastValidated,
    Bits,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct KeySort {
    pub field: KeySortField,
    pub descending: bool,
}

impl Default for KeySort {
    fn default() -> Self {
        KeySort { field: KeySortField::Created, descending: true }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct KeyPage {
    pub keys: Vec<ApiKeyInfo>,
    /// Keys matching the query, over all pages.
    pub total: u32,
}

/// The outcome of the one-time download.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Delivery {
    #[serde(flatten)]
    #[ts(flatten)]
    pub key: ApiKeyInfo,
    /// Where the private key was saved.
    pub private_key_file: String,
    /// What the person should know about the saved file (`file_not_private`:
    /// others may read it, on a file system without Unix modes).
    pub warnings: Vec<keyport_core::ErrorBody>,
}

/// Which key sizes have a pre-generated pair waiting (the dialog opens at once).
#[derive(Debug, Clone, Serialize, TS)]
pub struct KeySizeStatus {
    pub bits: u32,
    pub ready: bool,
    pub default: bool,
}

/// A SaaS project and its data spaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Project {
    pub id: String,
    pub account_id: String,
    pub name: String,
    pub created_at: String,
    pub data_spaces: Vec<DataSpace>,
}

/// Where a Commerce Service stores an instance's data (the registry's
/// "environment").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DataSpace {
    pub id: String,
    pub project_id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub data_space_type: DataSpaceType,
    pub created_at: String,
}

/// Who a valid key pair belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Entitlement {
    pub key_id: String,
    pub account_id: String,
    pub label: String,
    pub environment: Environment,
}

/// One request to the local Commerce Services sandbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SandboxRequest {
    pub id: i64,
    pub at: String,
    pub method: String,
    pub path: String,
    pub key_label: Option<String>,
    pub status: u16,
    /// The error code when refused.
    pub code: Option<ErrorCode>,
    pub duration_us: i64,
}

/// What the sandbox records about a request before it is stored.
#[derive(Debug, Clone)]
pub struct SandboxRequestRecord {
    pub at: String,
    /// A standard method's name, or `OTHER`.
    pub method: &'static str,
    pub path: String,
    pub entitlement: Option<Arc<Entitlement>>,
    pub status: u16,
    pub code: Option<ErrorCode>,
    pub duration_us: i64,
}

/// A Commerce instance and its Commerce Services Connector configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Instance {
    pub id: String,
    /// The license holder's account the instance belongs to.
    pub account_id: String,
    pub name: String,
    pub base_url: String,
    pub instance_type: InstanceType,
    pub website_codes: Vec<String>,
    pub gateway: GatewayChoice,
    /// The custom gateway's URL (gateway `custom` only).
    pub gateway_url: Option<String>,
    /// Which pair the connector uses (`magento_saas/environment`).
    pub active_environment: Environment,
    pub sandbox_keys: Option<InstanceKeys>,
    pub production_keys: Option<InstanceKeys>,
    pub saas: Option<SaasIdentifier>,
    pub ims_organization_id: Option<String>,
    pub status: InstanceStatus,
    /// The status in words, e.g. why the last check failed.
    pub status_message: String,
    pub last_checked_at: Option<String>,
    /// Why the last check failed, when it did.
    pub last_check_code: Option<ErrorCode>,
    pub created_at: String,
    pub updated_at: String,
}

/// A key pair saved on an instance: public facts only; the private key is
/// in the OS keychain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct InstanceKeys {
    pub environment: Environment,
    pub api_key: String,
    pub fingerprint: String,
    pub bits: u32,
    pub saved_at: String,
    /// The Keyport key this pair is, when this home knows it.
    pub key: Option<KnownKey>,
}

/// What this home knows of a key an instance uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct KnownKey {
    pub id: String,
    pub label: String,
    pub status: KeyStatus,
    pub revoke_reason: Option<String>,
}

/// The SaaS project and data space an instance sends its data to, as the
/// gateway's registry named them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SaasIdentifier {
    pub project_id: String,
    pub project_name: String,
    pub data_space_id: String,
    pub data_space_name: String,
    /// The registry's `environmentType`, e.g. "Production" or "Testing".
    pub data_space_type: String,
}

/// The Connector page's status line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum InstanceStatus {
    /// The active pair has no keys.
    NotConfigured,
    /// A key the instance uses was revoked: its keys are no longer valid.
    KeysRevoked,
    /// The last check against the gateway failed.
    CheckFailed,
    /// The last check against the gateway passed.
    Connected,
    /// Configured, never checked.
    Unchecked,
}

/// The instance form ("Add New Instance", `keyport instance add`).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct NewInstance {
    /// Id or MageID.
    pub account: String,
    pub name: String,
    pub base_url: String,
    pub instance_type: InstanceType,
    /// Website codes as typed: separated by commas, spaces or lines.
    pub website_codes: Vec<String>,
}

/// A partial edit of an instance: absent fields stay as they are.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct InstanceChanges {
    #[ts(optional)]
    pub name: Option<String>,
    #[ts(optional)]
    pub base_url: Option<String>,
    #[ts(optional)]
    pub instance_type: Option<InstanceType>,
    #[ts(optional)]
    pub website_codes: Option<Vec<String>>,
    #[ts(optional)]
    pub account: Option<String>,
    /// The warnings of `confirmation_required` the person accepted, word for
    /// word (e.g. a production data space on a staging instance).
    #[serde(default)]
    #[ts(optional, as = "Option<Vec<String>>")]
    pub confirmed: Vec<String>,
}

/// Text a person pasted that is secret (a private key): zeroized when
/// dropped, never serialised back, never shown by `Debug`.
#[derive(Deserialize, TS)]
#[serde(transparent)]
#[ts(type = "string")]
pub struct PastedSecret(#[serde(deserialize_with = "zeroizing")] zeroize::Zeroizing<String>);

fn zeroizing<'de, D: serde::Deserializer<'de>>(d: D) -> Result<zeroize::Zeroizing<String>, D::Error> {
    String::deserialize(d).map(zeroize::Zeroizing::new)
}

impl PastedSecret {
    pub fn new(text: String) -> PastedSecret {
        PastedSecret(zeroize::Zeroizing::new(text))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for PastedSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PastedSecret(<redacted>)")
    }
}

/// Where a pair's private key comes from when it is saved on an instance.
#[derive(Debug, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PrivateKeySource {
    /// This workstation's keychain (a key kept after its download, or received in a bundle).
    Keychain,
    /// PEM text pasted into the page.
    Pasted { pem: PastedSecret },
    /// A PEM file (the native open dialog, or `--private-key FILE`).
    File { path: String },
}

/// One pair entered on the Connector page.
#[derive(Debug, Deserialize, TS)]
pub struct PairInput {
    pub api_key: String,
    pub private_key: PrivateKeySource,
}

/// What "Save Config" sends: only what the page changed.
#[derive(Debug, Default, Deserialize, TS)]
pub struct ConnectorInput {
    #[ts(optional)]
    pub gateway: Option<GatewayChoice>,
    /// The custom gateway's URL (with gateway `custom`).
    #[ts(optional)]
    pub gateway_url: Option<String>,
    #[ts(optional)]
    pub sandbox: Option<PairInput>,
    #[ts(optional)]
    pub production: Option<PairInput>,
    #[ts(optional)]
    pub active_environment: Option<Environment>,
    /// The project and data space, by their registry ids.
    #[ts(optional)]
    pub saas: Option<SaasSelection>,
    /// An empty value removes the IMS organization id.
    #[ts(optional)]
    pub ims_organization_id: Option<String>,
    /// The warnings of `confirmation_required` the person accepted, word for
    /// word: a warning not among them (one that appeared since) asks again.
    #[serde(default)]
    #[ts(optional, as = "Option<Vec<String>>")]
    pub confirmed: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct SaasSelection {
    pub project_id: String,
    pub data_space_id: String,
}

/// The outcome of "Save Config".
#[derive(Debug, Clone, Serialize, TS)]
pub struct ConnectorSaved {
    pub instance: Instance,
    /// Things done that the user should know (e.g. a PKCS#1 key converted).
    pub notices: Vec<String>,
}

/// One row of the gateway's registry: a data space with its project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct RegistryRow {
    pub project_id: String,
    pub project_name: String,
    pub environment_id: String,
    pub environment_name: String,
    pub environment_type: String,
}

/// Where an instance's export was written.
#[derive(Debug, Clone, Serialize, TS)]
pub struct InstanceExport {
    pub folder: String,
    pub files: Vec<String>,
    /// The folder holds private keys (0600 files): keep it safe, delete it when applied.
    pub holds_private_keys: bool,
    /// What the person applying it should know (e.g. where Keyport's gateway must be reachable).
    pub notices: Vec<String>,
}

/// This workstation's bundle identity: the public half, to send to a
/// license holder. The secret half never leaves the OS keychain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct BundleIdentity {
    /// `age1…`: what a license holder encrypts a bundle for.
    pub recipient: String,
    pub created_at: String,
}

/// Who can open a bundle being made.
#[derive(Debug, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BundleProtection {
    /// The recipient's public key (`age1…`): only their Keyport opens it.
    Recipient { recipient: String },
    /// A passphrase, told to the recipient by another channel.
    Passphrase { passphrase: PastedSecret },
}

/// "Export Bundle": which keys, for whom, for how long.
#[derive(Debug, Deserialize, TS)]
pub struct NewBundle {
    /// Keys by id or API key; all of one account.
    pub keys: Vec<String>,
    pub protection: BundleProtection,
    /// 1 hour to 90 days (2160 hours).
    pub expires_in_hours: u32,
}

/// A bundle written to disk.
#[derive(Debug, Clone, Serialize, TS)]
pub struct BundleExported {
    pub file: String,
    pub keys: Vec<ApiKeyInfo>,
    pub lock: keyport_core::bundle::Lock,
    /// The `age1…` it was encrypted for (with a recipient).
    pub recipient: Option<String>,
    pub expires_at: String,
}

/// How a bundle's content relates to what this workstation has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Arrival {
    /// Not here yet: import adds it.
    New,
    /// Already here (the same key, project or account): import skips it.
    Present,
    /// Its label is taken here by another key: imported under another label.
    Renamed,
    /// It cannot come here (a project whose name or ids are taken): skipped.
    Skipped,
}

/// The issuing account of a bundle, as the preview shows it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PreviewAccount {
    pub mage_id: MageId,
    pub name: String,
    pub edition: Edition,
    pub operating_model: OperatingModel,
    pub merchants: Vec<String>,
    pub arrival: Arrival,
    /// How this workstation already knows it, when it does.
    pub relation: Option<AccountRelation>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct PreviewKey {
    pub api_key: ApiKey,
    pub label: String,
    pub environment: Environment,
    pub fingerprint: String,
    pub bits: u32,
    pub created_at: String,
    pub scope: Option<keyport_core::scope::KeyScope>,
    pub arrival: Arrival,
    /// Why it is skipped or renamed.
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct PreviewProject {
    pub id: String,
    pub name: String,
    pub data_spaces: Vec<PreviewDataSpace>,
    pub arrival: Arrival,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct PreviewDataSpace {
    pub id: String,
    pub name: String,
    pub data_space_type: DataSpaceType,
}

/// What a bundle holds, shown before anything is written.
#[derive(Debug, Clone, Serialize, TS)]
pub struct BundlePreview {
    pub file: String,
    pub lock: keyport_core::bundle::Lock,
    pub format_version: u32,
    pub created_by: String,
    pub created_at: String,
    pub expires_at: String,
    pub account: PreviewAccount,
    pub keys: Vec<PreviewKey>,
    pub projects: Vec<PreviewProject>,
    /// What Import asks to confirm first, word for word.
    pub warnings: Vec<String>,
}

/// What an import did.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ImportedBundle {
    pub account: Account,
    /// The keys added, marked received.
    pub imported: Vec<ApiKeyInfo>,
    pub projects_added: u32,
    /// What was skipped or renamed, and why.
    pub notices: Vec<String>,
}
