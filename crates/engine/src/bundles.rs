//! Key bundles: this workstation's age identity (kept in the OS keychain),
//! exporting keys into an encrypted bundle file, and opening one — a
//! preview first, then an import that adds everything or nothing. The
//! format is `keyport_core::bundle`; `docs/bundle-format.md` describes it.

use sqlx::AssertSqlSafe;
use std::io::Read;
use std::path::Path;

use keyport_core::bundle::age::secrecy::{ExposeSecret, SecretString};
use keyport_core::bundle::{
    self, BundleAccount, BundleDataSpace, BundleKey, BundleProject, CheckedManifest, Lock, Manifest, Seal, Unlock,
};
use keyport_core::keys::{KeyPair, PublicKey, SecretPem};
use keyport_core::text::fold;
use keyport_core::{AccountRelation, CoreError, KeyStatus};
use sqlx::SqliteConnection;
use zeroize::Zeroizing;

use crate::Engine;
use crate::error::{EngineError, Result};
use crate::file_journal::Companion;
use crate::files::{check_destination, prepare_private_file};
use crate::home::setting;
use crate::instances::require_confirmed;
use crate::keychain::kept_entry;
use crate::model::{
    Account, ApiKeyInfo, Arrival, BundleExported, BundleIdentity, BundlePreview, BundleProtection, ImportedBundle,
    NewBundle, NewScope, PreviewAccount, PreviewDataSpace, PreviewKey, PreviewProject,
};
use crate::scopes::{resolve_scope, write_scope};

const IDENTITY: &str = "bundle_identity";
const IDENTITY_CREATED: &str = "bundle_identity_created_at";

fn identity_entry(recipient: &str) -> String {
    format!("identity:{recipient}")
}

/// Who a bundle is sealed for, checked.
pub(crate) enum SealTo {
    Recipient(keyport_core::bundle::age::x25519::Recipient),
    Passphrase(SecretString),
}

impl SealTo {
    pub(crate) fn from_protection(protection: &BundleProtection) -> Result<SealTo> {
        Ok(match protection {
            BundleProtection::Recipient { recipient } => SealTo::Recipient(bundle::parse_recipient(recipient)?),
            BundleProtection::Passphrase { passphrase } => {
                bundle::check_passphrase(passphrase.expose())?;
                SealTo::Passphrase(SecretString::from(passphrase.expose()))
            }
        })
    }

    fn lock(&self) -> Lock {
        match self {
            SealTo::Recipient(_) => Lock::Recipient,
            SealTo::Passphrase(_) => Lock::Passphrase,
        }
    }

    fn recipient(&self) -> Option<String> {
        match self {
            SealTo::Recipient(r) => Some(r.to_string()),
            SealTo::Passphrase(_) => None,
        }
    }

    pub(crate) fn describe(&self) -> String {
        self.recipient().map_or_else(|| "a passphrase".to_string(), |r| format!("recipient {r}"))
    }
}

/// A bundle opened and checked, waiting for the person's "Import".
#[derive(Debug)]
pub struct OpenedBundle {
    checked: CheckedManifest,
    pub preview: BundlePreview,
}

impl Engine {
    /// This workstation's bundle identity, created (and kept in the OS
    /// keychain) on first use.
    pub async fn identity(&self) -> Result<BundleIdentity> {
        match self.saved_identity().await? {
            Some(identity) => Ok(identity),
            None => self.create_identity(None).await,
        }
    }

    /// A new identity. An existing one is replaced only with `replace`
    /// (bundles made for it can no longer be opened here).
    pub async fn new_identity(&self, replace: bool) -> Result<BundleIdentity> {
        match self.saved_identity().await? {
            Some(old) if !replace => Err(EngineError::IdentityExists(old.recipient)),
            old => self.create_identity(old.map(|o| o.recipient)).await,
        }
    }

    async fn saved_identity(&self) -> Result<Option<BundleIdentity>> {
        let recipient = setting(&self.pool, IDENTITY).await?;
        let created_at = setting(&self.pool, IDENTITY_CREATED).await?.unwrap_or_default();
        Ok(recipient.map(|recipient| BundleIdentity { recipient, created_at }))
    }

    /// Keychain first (journaled), then the setting that names it, so a
    /// failure never leaves a public key without its secret. Two processes
    /// creating one at once: the first setting wins, the other's secret goes.
    async fn create_identity(&self, replacing: Option<String>) -> Result<BundleIdentity> {
        let identity = keyport_core::bundle::age::x25519::Identity::generate();
        let recipient = identity.to_public().to_string();
        let entry = identity_entry(&recipient);
        let secret = SecretPem::new(Zeroizing::new(identity.to_string().expose_secret().to_string()));
        self.store_journaled(&entry, IDENTITY, &secret).await?;
        let at = self.timestamp();
        let written = async {
            let mut tx = self.begin_write().await?;
            let current: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
                .bind(IDENTITY)
                .fetch_optional(&mut *tx)
                .await?;
            if current != replacing {
                // Another process created (or replaced) it meanwhile: use theirs.
                return Ok(false);
            }
            if let Some(old) = &replacing {
                self.journal(&mut tx, &identity_entry(old), IDENTITY).await?;
            }
            for (key, value) in [(IDENTITY, &recipient), (IDENTITY_CREATED, &at)] {
                sqlx::query("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
                    .bind(key)
                    .bind(value)
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query("DELETE FROM keychain_journal WHERE entry = ?").bind(&entry).execute(&mut *tx).await?;
            let detail = match &replacing {
                Some(old) => format!("{recipient} (replaces {old})"),
                None => recipient.clone(),
            };
            self.record(&mut tx, None, "identity.created", &detail).await?;
            tx.commit().await?;
            Ok::<_, EngineError>(true)
        }
        .await;
        match written {
            Ok(true) => {
                if let Some(old) = &replacing {
                    self.drop_entry(&identity_entry(old)).await;
                }
                Ok(BundleIdentity { recipient, created_at: at })
            }
            Ok(false) => {
                self.drop_entry(&entry).await;
                self.saved_identity().await?.ok_or_else(|| EngineError::Database("the bundle identity vanished".into()))
            }
            Err(e) => {
                self.drop_entry(&entry).await;
                Err(e)
            }
        }
    }

    /// The identity's secret half, for opening bundles made for it. Without
    /// an identity yet, no bundle can be this workstation's.
    async fn identity_secret(&self) -> Result<keyport_core::bundle::age::x25519::Identity> {
        let identity = self.saved_identity().await?.ok_or(CoreError::BundleWrongIdentity)?;
        let secret = self
            .secrets
            .load(&identity_entry(&identity.recipient))
            .await?
            .ok_or_else(|| EngineError::IdentityLost(identity.recipient.clone()))?;
        secret
            .expose()
            .parse::<keyport_core::bundle::age::x25519::Identity>()
            .map_err(|_| EngineError::IdentityLost(identity.recipient))
    }

    /// "Export Bundle": writes the keys (whose private keys this workstation
    /// holds), with their account's projects and data spaces, into one
    /// encrypted file at `dest` (mode 0600, written atomically).
    pub async fn export_bundle(&self, request: NewBundle, dest: &Path, overwrite: bool) -> Result<BundleExported> {
        let (hours, seal_to, keys, pems) = self.bundle_plan(&request).await?;
        check_destination(dest, overwrite)?;
        let account = self.account(&keys[0].account_id).await?;
        let manifest = self.manifest(&account, keys.iter().zip(pems).collect(), hours).await?;
        let expires_at = manifest.expires_at.clone();
        let sealed = seal_off_thread(manifest, &seal_to).await?;
        // The file is final only once the activity log recorded it.
        let tmp = self.journaled_path(Companion::Temporary, dest, None).await?;
        let placed = self.place_file(prepare_bundle(dest, sealed, overwrite, tmp).await?, None).await?;
        let recorded = async {
            let mut tx = self.begin_write().await?;
            let labels: Vec<String> = keys.iter().map(|k| format!("{} ({})", k.label, k.api_key)).collect();
            let detail = format!(
                "{} to {} for {}, expires {expires_at}: {}",
                account.name,
                dest.display(),
                seal_to.describe(),
                labels.join(", ")
            );
            self.record(&mut tx, Some(&account.id), "bundle.exported", &detail).await?;
            tx.commit().await?;
            Ok::<_, EngineError>(())
        }
        .await;
        if let Err(e) = recorded {
            self.undo_file(placed).await;
            return Err(e);
        }
        self.finish_file(placed).await;
        Ok(BundleExported {
            file: dest.display().to_string(),
            keys,
            lock: seal_to.lock(),
            recipient: seal_to.recipient(),
            expires_at,
        })
    }

    /// Checks an export (protection, expiry, keys) without writing anything:
    /// the app asks before it opens the save dialog.
    pub async fn check_new_bundle(&self, request: &NewBundle) -> Result<()> {
        self.bundle_plan(request).await.map(drop)
    }

    /// Checks a one-time download as a bundle before the save dialog opens.
    pub fn check_bundle_protection(&self, protection: &BundleProtection, expires_in_hours: u32) -> Result<()> {
        bundle::check_expiry_hours(expires_in_hours)?;
        SealTo::from_protection(protection).map(drop)
    }

    async fn bundle_plan(&self, request: &NewBundle) -> Result<(u32, SealTo, Vec<ApiKeyInfo>, Vec<SecretPem>)> {
        let hours = bundle::check_expiry_hours(request.expires_in_hours)?;
        let seal_to = SealTo::from_protection(&request.protection)?;
        if request.keys.is_empty() {
            return Err(EngineError::BundleEmpty);
        }
        let mut keys: Vec<ApiKeyInfo> = Vec::with_capacity(request.keys.len());
        for reference in &request.keys {
            let key = self.key(reference).await?;
            if keys.iter().any(|k| k.id == key.id) {
                continue;
            }
            if keys.first().is_some_and(|first| first.account_id != key.account_id) {
                return Err(EngineError::BundleMixedAccounts(format!("\"{}\" ({})", key.label, key.api_key)));
            }
            keys.push(key);
        }
        let mut pems = Vec::with_capacity(keys.len());
        for key in &keys {
            pems.push(self.exportable_pem(key).await?);
        }
        Ok((hours, seal_to, keys, pems))
    }

    /// A key's private key for a bundle: only active keys whose private key
    /// this workstation keeps (kept at their download, or received).
    async fn exportable_pem(&self, key: &ApiKeyInfo) -> Result<SecretPem> {
        let refuse = |reason: &str| EngineError::KeyNotExportable { label: key.label.clone(), reason: reason.into() };
        if key.status == KeyStatus::Revoked {
            return Err(refuse("it is revoked."));
        }
        if key.received_at.is_some() {
            return Err(refuse(
                "it was received from its license holder, who hands keys over on a need-to-know basis; ask them for \
                 a bundle for the other workstation.",
            ));
        }
        if key.download_pending {
            return Err(refuse(
                "its private key still waits for its one-time download; choose Save encrypted for a recipient in \
                 its download dialog to hand it over as a bundle.",
            ));
        }
        if !key.kept_in_keychain {
            return Err(refuse(
                "Keyport no longer holds its private key: it was saved once to a file and not kept in this \
                 workstation's keychain.",
            ));
        }
        let pem = self
            .secrets
            .load(&kept_entry(&key.id))
            .await?
            .ok_or_else(|| refuse("its private key is missing from the OS keychain (removed outside Keyport)."))?;
        let public = PublicKey::from_pem(&key.public_key_pem)?;
        match KeyPair::from_pem(pem.expose()) {
            Ok(parsed) if public.matches(&parsed.pair) => Ok(pem),
            _ => Err(refuse("the private key in the OS keychain is not this key's (changed outside Keyport).")),
        }
    }

    /// The manifest of `keys` (with their private keys) of `account`.
    pub(crate) async fn manifest(
        &self,
        account: &Account,
        keys: Vec<(&ApiKeyInfo, SecretPem)>,
        hours: u32,
    ) -> Result<Manifest> {
        let now = self.now();
        let projects = self
            .projects(&account.id)
            .await?
            .into_iter()
            .map(|p| BundleProject {
                id: p.id,
                name: p.name,
                data_spaces: p
                    .data_spaces
                    .into_iter()
                    .map(|d| BundleDataSpace { id: d.id, name: d.name, data_space_type: d.data_space_type })
                    .collect(),
            })
            .collect();
        Ok(Manifest {
            format: bundle::FORMAT.into(),
            version: bundle::VERSION,
            created_at: bundle::format_time(now),
            expires_at: bundle::format_time(now + time::Duration::hours(i64::from(hours))),
            created_by: format!("Keyport {}", env!("CARGO_PKG_VERSION")),
            account: BundleAccount {
                mage_id: account.mage_id.to_string(),
                name: account.name.clone(),
                edition: account.edition,
                operating_model: account.operating_model,
                merchants: account.merchants.iter().map(|m| m.name.clone()).collect(),
            },
            keys: keys
                .into_iter()
                .map(|(key, pem)| BundleKey {
                    api_key: key.api_key.to_string(),
                    label: key.label.clone(),
                    environment: key.environment,
                    fingerprint: key.fingerprint.clone(),
                    bits: key.bits,
                    created_at: key.created_at.clone(),
                    scope: key.scope.clone(),
                    private_key_pem: pem,
                })
                .collect(),
            projects,
        })
    }

    /// Opens a bundle file with a passphrase, or else with this
    /// workstation's identity, checks it and previews it against what this
    /// workstation has. Nothing is written.
    pub async fn open_bundle(&self, path: &Path, passphrase: Option<&str>) -> Result<OpenedBundle> {
        let bytes = read_bundle(path).await?;
        let lock = bundle::lock_of(&bytes)?;
        let plaintext = match passphrase {
            Some(passphrase) => {
                let passphrase = SecretString::from(passphrase);
                // scrypt takes a second or more: off the async workers.
                tokio::task::spawn_blocking(move || bundle::open(&bytes, Unlock::Passphrase(&passphrase)))
                    .await
                    .map_err(|e| EngineError::io("The bundle task failed", std::io::Error::other(e)))??
            }
            None if lock == Lock::Passphrase => return Err(CoreError::BundlePassphraseRequired.into()),
            None => {
                let identity = self.identity_secret().await?;
                bundle::open(&bytes, Unlock::Identity(&identity))?
            }
        };
        let checked = bundle::from_json(&plaintext)?.check(self.now())?;
        let preview = self.preview(&checked, path, lock).await?;
        Ok(OpenedBundle { checked, preview })
    }

    async fn preview(&self, checked: &CheckedManifest, path: &Path, lock: Lock) -> Result<BundlePreview> {
        let manifest = &checked.manifest;
        let mut conn = self.pool.acquire().await?;
        let plan = plan(&mut conn, checked).await?;
        let account = &manifest.account;
        Ok(BundlePreview {
            file: path.display().to_string(),
            lock,
            format_version: manifest.version,
            created_by: manifest.created_by.clone(),
            created_at: bundle::format_time(checked.created_at),
            expires_at: bundle::format_time(checked.expires_at),
            warnings: own_account_warning(plan.account.as_ref(), account, &checked.mage_id).into_iter().collect(),
            account: PreviewAccount {
                mage_id: checked.mage_id.clone(),
                name: account.name.clone(),
                edition: account.edition,
                operating_model: account.operating_model,
                merchants: account.merchants.clone(),
                arrival: if plan.account.is_some() { Arrival::Present } else { Arrival::New },
                relation: plan.account.as_ref().map(|(_, relation)| *relation),
            },
            keys: manifest
                .keys
                .iter()
                .zip(&checked.api_keys)
                .zip(&plan.keys)
                .map(|((key, api_key), step)| PreviewKey {
                    api_key: api_key.clone(),
                    label: key.label.clone(),
                    environment: key.environment,
                    fingerprint: key.fingerprint.clone(),
                    bits: key.bits,
                    created_at: key.created_at.clone(),
                    scope: key.scope.clone(),
                    arrival: step.arrival(),
                    note: step.note(&key.label),
                })
                .collect(),
            projects: manifest
                .projects
                .iter()
                .zip(&plan.projects)
                .map(|(project, step)| PreviewProject {
                    id: project.id.clone(),
                    name: project.name.clone(),
                    data_spaces: project
                        .data_spaces
                        .iter()
                        .map(|d| PreviewDataSpace {
                            id: d.id.clone(),
                            name: d.name.clone(),
                            data_space_type: d.data_space_type,
                        })
                        .collect(),
                    arrival: step.0,
                    note: step.1.clone(),
                })
                .collect(),
        })
    }

    /// "Import": the keys (private keys into the OS keychain), the projects
    /// and data spaces, and the account as a client account if it is new —
    /// all of it, or nothing. Keys already here are skipped with a notice.
    /// A bundle for an account that is this workstation's own asks first
    /// (`confirmed`, word for word: the preview's `warnings`).
    pub async fn import_bundle(&self, opened: OpenedBundle, confirmed: &[String]) -> Result<ImportedBundle> {
        let checked = &opened.checked;
        if self.now() > checked.expires_at {
            return Err(CoreError::BundleExpired(bundle::format_time(checked.expires_at)).into());
        }
        let manifest = &checked.manifest;
        // The plan as it stands now; the transaction checks it again.
        let plan = {
            let mut conn = self.pool.acquire().await?;
            plan(&mut conn, checked).await?
        };
        let warning = own_account_warning(plan.account.as_ref(), &manifest.account, &checked.mage_id);
        require_confirmed(warning.into_iter().collect(), confirmed)?;
        // Private keys first, each journaled under its new key's entry.
        let mut stored: Vec<(usize, String, String)> = Vec::new();
        for (index, step) in plan.keys.iter().enumerate() {
            if !matches!(step, KeyStep::Add { .. }) {
                continue;
            }
            let id = uuid::Uuid::new_v4().to_string();
            let entry = kept_entry(&id);
            // Stored as Keyport stores every key: PKCS#8, whatever form the bundle had.
            if let Err(e) = self.store_journaled(&entry, &id, &checked.private_keys[index]).await {
                for (_, _, done) in &stored {
                    self.drop_entry(done).await;
                }
                return Err(e);
            }
            stored.push((index, id, entry));
        }
        let written = self.write_import(checked, &stored).await;
        match written {
            Ok((account_id, projects_added, notices)) => {
                let account = self.account(&account_id).await?;
                let mut imported = Vec::with_capacity(stored.len());
                for (_, id, _) in &stored {
                    imported.push(self.key(id).await?);
                }
                Ok(ImportedBundle { account, imported, projects_added, notices })
            }
            Err(e) => {
                for (_, _, entry) in &stored {
                    self.drop_entry(entry).await;
                }
                Err(e)
            }
        }
    }

    async fn write_import(
        &self,
        checked: &CheckedManifest,
        stored: &[(usize, String, String)],
    ) -> Result<(String, u32, Vec<String>)> {
        let manifest = &checked.manifest;
        let now = self.timestamp();
        let mut notices = Vec::new();
        let mut tx = self.begin_write().await?;
        let plan = plan(&mut tx, checked).await?;

        // The account: as this workstation knows it, or a new client account.
        let account_id = match &plan.account {
            Some((id, _)) => id.clone(),
            None => {
                let id = uuid::Uuid::new_v4().to_string();
                let mut name = manifest.account.name.clone();
                if name_taken(&mut tx, "accounts", None, &name).await? {
                    name = format!("{name} ({})", checked.mage_id);
                    notices.push(format!(
                        "An account named “{}” already exists here: the client account is named “{name}”.",
                        manifest.account.name
                    ));
                }
                sqlx::query(
                    "INSERT INTO accounts (id, mage_id, name, name_folded, edition, operating_model, standing,
                                           created_at, updated_at, relation)
                     VALUES (?, ?, ?, ?, ?, ?, 'good', ?, ?, 'client')",
                )
                .bind(&id)
                .bind(checked.mage_id.as_str())
                .bind(&name)
                .bind(fold(&name))
                .bind(manifest.account.edition.as_str())
                .bind(manifest.account.operating_model.as_str())
                .bind(&now)
                .bind(&now)
                .execute(&mut *tx)
                .await?;
                // On a workstation without an account, the received one becomes current.
                sqlx::query("INSERT OR IGNORE INTO settings (key, value) VALUES ('current_account_id', ?)")
                    .bind(&id)
                    .execute(&mut *tx)
                    .await?;
                let detail = format!("{name} ({}), received in a key bundle", checked.mage_id);
                self.record(&mut tx, Some(&id), "account.created", &detail).await?;
                id
            }
        };
        // The account's merchants arrive with it (scoped keys name them),
        // when its operating model has merchants here.
        let model: String = sqlx::query_scalar("SELECT operating_model FROM accounts WHERE id = ?")
            .bind(&account_id)
            .fetch_one(&mut *tx)
            .await?;
        let model: keyport_core::OperatingModel = crate::rows::parse_column(&model)?;
        if model.has_merchants() {
            for merchant in &manifest.account.merchants {
                if !name_taken(&mut tx, "merchants", Some(("account_id", &account_id)), merchant).await? {
                    sqlx::query(
                        "INSERT INTO merchants (id, account_id, name, name_folded, created_at) VALUES (?, ?, ?, ?, ?)",
                    )
                    .bind(uuid::Uuid::new_v4().to_string())
                    .bind(&account_id)
                    .bind(merchant)
                    .bind(fold(merchant))
                    .bind(&now)
                    .execute(&mut *tx)
                    .await?;
                }
            }
        }

        // Projects and data spaces, with the license holder's ids, so a
        // gateway's registry and this workstation's name them alike.
        let mut projects_added = 0;
        for (project, (arrival, note)) in manifest.projects.iter().zip(&plan.projects) {
            if let Some(note) = note {
                notices.push(note.clone());
            }
            if *arrival != Arrival::New {
                continue;
            }
            sqlx::query("INSERT INTO projects (id, account_id, name, name_folded, created_at) VALUES (?, ?, ?, ?, ?)")
                .bind(&project.id)
                .bind(&account_id)
                .bind(&project.name)
                .bind(fold(&project.name))
                .bind(&now)
                .execute(&mut *tx)
                .await?;
            for (position, space) in project.data_spaces.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO data_spaces (id, project_id, name, name_folded, type, position, created_at)
                     VALUES (?, ?, ?, ?, ?, ?, ?)",
                )
                .bind(&space.id)
                .bind(&project.id)
                .bind(&space.name)
                .bind(fold(&space.name))
                .bind(space.data_space_type.as_str())
                .bind(position as i64)
                .bind(&now)
                .execute(&mut *tx)
                .await?;
            }
            projects_added += 1;
        }

        // The keys.
        for (index, step) in plan.keys.iter().enumerate() {
            let key = &manifest.keys[index];
            if let Some(note) = step.note(&key.label) {
                notices.push(note);
            }
            let KeyStep::Add { label } = step else { continue };
            // The plan made before the keychain writes must still hold.
            let Some((_, id, entry)) = stored.iter().find(|(i, _, _)| *i == index) else {
                // The key arrived (or left) since the plan: start over from the preview.
                return Err(EngineError::ChangedMeanwhile(manifest.account.name.clone()));
            };
            let api_key = &checked.api_keys[index];
            sqlx::query(
                "INSERT INTO api_keys (id, account_id, environment, label, label_folded, api_key, public_key_pem,
                                       fingerprint, bits, created_at, delivered_at, kept_in_keychain, received_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)",
            )
            .bind(id)
            .bind(&account_id)
            .bind(key.environment.as_str())
            .bind(label)
            .bind(fold(label))
            .bind(api_key.as_str())
            .bind(&checked.public_keys[index])
            .bind(&key.fingerprint)
            .bind(key.bits)
            .bind(&key.created_at)
            .bind(&now)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
            if let Some(scope) = &key.scope {
                // The scope must hold here too: this account's model and merchants.
                let wanted = NewScope { merchants: scope.merchants.clone(), features: scope.features.clone() };
                let resolved = resolve_scope(&mut tx, &account_id, model, &wanted).await?;
                write_scope(&mut tx, id, &resolved).await?;
            }
            sqlx::query("DELETE FROM keychain_journal WHERE entry = ?").bind(entry).execute(&mut *tx).await?;
        }
        if stored.len() != plan.keys.iter().filter(|s| matches!(s, KeyStep::Add { .. })).count() {
            // A key arrived meanwhile (another import): start over from the preview.
            return Err(EngineError::ChangedMeanwhile(manifest.account.name.clone()));
        }
        let detail = format!(
            "{} key(s) of {} ({}) received; {projects_added} project(s) added",
            stored.len(),
            manifest.account.name,
            checked.mage_id
        );
        self.record(&mut tx, Some(&account_id), "bundle.imported", &detail).await?;
        tx.commit().await?;
        Ok((account_id, projects_added, notices))
    }
}

/// What an import does with each key.
#[derive(Debug)]
enum KeyStep {
    /// Added under `label` (the bundle's, or a free one if taken).
    Add { label: String },
    /// Already here, the same key pair: skipped.
    Present,
}

impl KeyStep {
    fn arrival(&self) -> Arrival {
        match self {
            KeyStep::Add { .. } => Arrival::New,
            KeyStep::Present => Arrival::Present,
        }
    }

    fn note(&self, bundle_label: &str) -> Option<String> {
        match self {
            KeyStep::Add { label } if label != bundle_label => Some(format!(
                "An active key labelled “{bundle_label}” exists here already: the received key is labelled “{label}”."
            )),
            KeyStep::Add { .. } => None,
            KeyStep::Present => Some(format!("“{bundle_label}” is already on this workstation: skipped.")),
        }
    }
}

struct Plan {
    /// The account if this workstation has it (by MageID), with its relation.
    account: Option<(String, AccountRelation)>,
    keys: Vec<KeyStep>,
    projects: Vec<(Arrival, Option<String>)>,
}

/// What importing `checked` would do here. A key whose API key is here with
/// another public key refuses the whole bundle.
async fn plan(conn: &mut SqliteConnection, checked: &CheckedManifest) -> Result<Plan> {
    let manifest = &checked.manifest;
    let account: Option<(String, String)> = sqlx::query_as("SELECT id, relation FROM accounts WHERE mage_id = ?")
        .bind(checked.mage_id.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    let account = match account {
        Some((id, relation)) => Some((id, crate::rows::parse_column::<AccountRelation>(&relation)?)),
        None => None,
    };
    let account_id = account.as_ref().map(|(id, _)| id.as_str());
    let mut keys = Vec::with_capacity(manifest.keys.len());
    let mut labels_taken: Vec<(keyport_core::Environment, String)> = Vec::new();
    for (key, api_key) in manifest.keys.iter().zip(&checked.api_keys) {
        let here: Option<String> = sqlx::query_scalar("SELECT fingerprint FROM api_keys WHERE api_key = ?")
            .bind(api_key.as_str())
            .fetch_optional(&mut *conn)
            .await?;
        // The key pair may be here under another API key: not the same key.
        let pair_here: Option<String> = sqlx::query_scalar("SELECT api_key FROM api_keys WHERE fingerprint = ?")
            .bind(&key.fingerprint)
            .fetch_optional(&mut *conn)
            .await?;
        if let Some(other) = pair_here.filter(|other| other != api_key.as_str()) {
            return Err(EngineError::BundleKeyPairElsewhere { api_key: api_key.to_string(), other });
        }
        match here {
            Some(fingerprint) if fingerprint == key.fingerprint => keys.push(KeyStep::Present),
            Some(_) => return Err(EngineError::BundleKeyConflict(api_key.to_string())),
            None => {
                let mut label = key.label.clone();
                let mut n = 1;
                while label_taken(conn, account_id, key.environment, &label).await?
                    || labels_taken.contains(&(key.environment, fold(&label)))
                {
                    label = if n == 1 {
                        format!("{} (received)", key.label)
                    } else {
                        format!("{} (received {n})", key.label)
                    };
                    n += 1;
                }
                labels_taken.push((key.environment, fold(&label)));
                keys.push(KeyStep::Add { label });
            }
        }
    }
    let mut projects = Vec::with_capacity(manifest.projects.len());
    for project in &manifest.projects {
        let here: Option<String> = sqlx::query_scalar("SELECT id FROM projects WHERE id = ?")
            .bind(&project.id)
            .fetch_optional(&mut *conn)
            .await?;
        let mut space_here = false;
        for space in &project.data_spaces {
            let found: Option<String> = sqlx::query_scalar("SELECT id FROM data_spaces WHERE id = ?")
                .bind(&space.id)
                .fetch_optional(&mut *conn)
                .await?;
            space_here |= found.is_some();
        }
        let step = if here.is_some() {
            (Arrival::Present, None)
        } else if space_here {
            let note = format!("The project “{}” shares a data space id with one here: skipped.", project.name);
            (Arrival::Skipped, Some(note))
        } else if match account_id {
            Some(id) => name_taken(conn, "projects", Some(("account_id", id)), &project.name).await?,
            None => false,
        } {
            let note = format!("Another project named “{}” exists here: the bundle's was skipped.", project.name);
            (Arrival::Skipped, Some(note))
        } else {
            (Arrival::New, None)
        };
        projects.push(step);
    }
    Ok(Plan { account, keys, projects })
}

async fn label_taken(
    conn: &mut SqliteConnection,
    account_id: Option<&str>,
    environment: keyport_core::Environment,
    label: &str,
) -> Result<bool> {
    let Some(account_id) = account_id else { return Ok(false) };
    let found: Option<String> = sqlx::query_scalar(
        "SELECT id FROM api_keys WHERE account_id = ? AND environment = ? AND label_folded = ? AND status = 'active'",
    )
    .bind(account_id)
    .bind(environment.as_str())
    .bind(fold(label))
    .fetch_optional(&mut *conn)
    .await?;
    Ok(found.is_some())
}

/// Whether `name` is taken in `table` (within `scope`, a column and value).
async fn name_taken(
    conn: &mut SqliteConnection,
    table: &'static str,
    scope: Option<(&'static str, &str)>,
    name: &str,
) -> Result<bool> {
    // Table and column names are the constants of the callers, never input.
    let found: Option<String> = match scope {
        Some((column, value)) => {
            sqlx::query_scalar(AssertSqlSafe(format!("SELECT id FROM {table} WHERE {column} = ? AND name_folded = ?")))
                .bind(value)
                .bind(fold(name))
                .fetch_optional(&mut *conn)
                .await?
        }
        None => {
            sqlx::query_scalar(AssertSqlSafe(format!("SELECT id FROM {table} WHERE name_folded = ?")))
                .bind(fold(name))
                .fetch_optional(&mut *conn)
                .await?
        }
    };
    Ok(found.is_some())
}

/// Encrypts a manifest (scrypt takes a second or more) off the async workers.
pub(crate) async fn seal_off_thread(manifest: Manifest, seal_to: &SealTo) -> Result<Vec<u8>> {
    let to = match seal_to {
        SealTo::Recipient(r) => SealTo::Recipient(r.clone()),
        SealTo::Passphrase(p) => SealTo::Passphrase(p.clone()),
    };
    tokio::task::spawn_blocking(move || {
        let json = bundle::to_json(&manifest)?;
        let sealed = match &to {
            SealTo::Recipient(r) => bundle::seal(&json, Seal::Recipient(r)),
            SealTo::Passphrase(p) => bundle::seal(&json, Seal::Passphrase(p)),
        }?;
        Ok::<_, EngineError>(sealed)
    })
    .await
    .map_err(|e| EngineError::io("The bundle task failed", std::io::Error::other(e)))?
}

/// A bundle written next to `dest` (mode 0600), read back, not yet in place.
pub(crate) async fn prepare_bundle(
    dest: &Path,
    sealed: Vec<u8>,
    overwrite: bool,
    tmp: std::path::PathBuf,
) -> Result<crate::files::PreparedFile> {
    let dest = dest.to_path_buf();
    tokio::task::spawn_blocking(move || {
        let prepared = prepare_private_file(&dest, &sealed, overwrite, &tmp)?;
        if std::fs::read(prepared.path()).ok().as_deref() != Some(&sealed[..]) {
            return Err(EngineError::SavedFileMismatch(dest));
        }
        Ok(prepared)
    })
    .await
    .map_err(|e| EngineError::io("The file task failed", std::io::Error::other(e)))?
}

/// Reads a bundle file, refusing one larger than a bundle can be before
/// reading it (a 100 MiB file is never read in full).
async fn read_bundle(path: &Path) -> Result<Vec<u8>> {
    let path = path.to_path_buf();
    tokio::task::spawn_blocking(move || {
        let unreadable = |e: std::io::Error| EngineError::io(format!("Cannot read {}", path.display()), e);
        let file = std::fs::File::open(&path).map_err(unreadable)?;
        let meta = file.metadata().map_err(unreadable)?;
        if meta.is_dir() {
            return Err(EngineError::PathIsFolder(path.clone()));
        }
        if !meta.is_file() {
            // A pipe or a device would block or never end.
            return Err(EngineError::io(
                format!("Cannot read {}", path.display()),
                std::io::Error::other("it is not a regular file"),
            ));
        }
        if meta.len() > bundle::MAX_BUNDLE_BYTES {
            return Err(EngineError::BundleTooLarge(path.clone(), meta.len()));
        }
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        // A file that grows while it is read (or a device) stops at the limit too.
        file.take(bundle::MAX_BUNDLE_BYTES + 1).read_to_end(&mut bytes).map_err(unreadable)?;
        if bytes.len() as u64 > bundle::MAX_BUNDLE_BYTES {
            return Err(EngineError::BundleTooLarge(path.clone(), bytes.len() as u64));
        }
        Ok(bytes)
    })
    .await
    .map_err(|e| EngineError::io("The file task failed", std::io::Error::other(e)))?
}

/// The confirmation a bundle for one of this workstation's own accounts
/// needs: age tells nothing of who made a file, so its keys are added to the
/// license holder's own account only on purpose.
fn own_account_warning(
    here: Option<&(String, AccountRelation)>,
    account: &BundleAccount,
    mage_id: &keyport_core::MageId,
) -> Option<String> {
    matches!(here, Some((_, AccountRelation::Own))).then(|| {
        format!(
            "This bundle adds keys to {} ({mage_id}), your own account on this workstation. Import it only if you \
             made it, or after checking its fingerprints with the sender: anyone can make a bundle for your public key.",
            account.name
        )
    })
}
