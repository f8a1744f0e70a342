//! An instance's Commerce Services Connector configuration, as the Admin's
//! Stores › Configuration › Services › Commerce Services Connector page
//! keeps it: a sandbox and a production key pair (which one is active),
//! the gateway, the SaaS project and data space the gateway's registry
//! offers, and the IMS organization id. Saving validates every pair offline
//! (PEM, parse, the key it belongs to) and then through the gateway
//! (`ping`), exactly as the connector's own key check does; nothing is
//! saved unless everything passes. Private keys go to the OS keychain,
//! under the instance, never to SQLite.

use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use keyport_core::instance::{http_url, ims_organization_id};
use keyport_core::keys::{KeyPair, PublicKey, SecretPem};
use keyport_core::magento::{self, Export, ExportedPair};
use keyport_core::text::fold;
use keyport_core::{CoreError, Environment, ErrorBody, Field, GatewayChoice, InstanceApiKey, InstanceType, KeyStatus};
use zeroize::Zeroizing;

use crate::Engine;
use crate::error::{EngineError, Result};
use crate::gateway::{GatewayClient, configured_gateway, default_gateway};
use crate::instances::{ensure_codes_free, is_production_space, production_space_warning, require_confirmed};
use crate::keychain::kept_entry;
use crate::model::{
    ApiKeyInfo, ConnectorInput, ConnectorSaved, Instance, InstanceExport, PairInput, PrivateKeySource, RegistryRow,
    SaasIdentifier, SaasSelection,
};

/// The largest private-key file Keyport reads (a 4096-bit PEM is ~3.3 KB).
const MAX_PEM_FILE: u64 = 64 * 1024;

/// A pair that passed the offline checks.
struct ValidPair {
    environment: Environment,
    api_key: InstanceApiKey,
    pem: SecretPem,
    fingerprint: String,
    bits: u32,
}

impl ValidPair {
    fn key_pair(&self) -> Result<KeyPair> {
        Ok(KeyPair::from_pem(self.pem.expose())?.pair)
    }
}

/// The registry row of a selection, or which half of it the registry lacks.
fn find_row<'a>(rows: &'a [RegistryRow], selection: &SaasSelection) -> Result<&'a RegistryRow> {
    rows.iter()
        .find(|r| r.project_id == selection.project_id && r.environment_id == selection.data_space_id)
        .ok_or_else(|| {
            if rows.iter().any(|r| r.project_id == selection.project_id) {
                EngineError::DataSpaceNotFound(selection.data_space_id.clone())
            } else {
                EngineError::ProjectNotFound(selection.project_id.clone())
            }
        })
}

impl From<&RegistryRow> for SaasIdentifier {
    fn from(row: &RegistryRow) -> Self {
        SaasIdentifier {
            project_id: row.project_id.clone(),
            project_name: row.project_name.clone(),
            data_space_id: row.environment_id.clone(),
            data_space_name: row.environment_name.clone(),
            data_space_type: row.environment_type.clone(),
        }
    }
}

fn api_key_field(environment: Environment) -> Field {
    match environment {
        Environment::Sandbox => Field::SandboxApiKey,
        Environment::Production => Field::ProductionApiKey,
    }
}

fn private_key_field(environment: Environment) -> Field {
    match environment {
        Environment::Sandbox => Field::SandboxPrivateKey,
        Environment::Production => Field::ProductionPrivateKey,
    }
}

/// A problem of one field, for `connector_invalid`'s details.
fn problem(field: Field, e: impl Into<EngineError>) -> ErrorBody {
    let e: EngineError = e.into();
    let mut body = e.body();
    body.field = Some(field);
    body.message = format!("{field}: {}", body.message);
    body
}

impl Engine {
    /// Sets the URL of this process's Keyport sandbox (the gateway of
    /// instances whose gateway is `keyport`); the shells call it once their
    /// sandbox listens.
    pub fn set_local_gateway(&self, url: Option<String>) {
        *self.local_gateway.write().unwrap_or_else(std::sync::PoisonError::into_inner) = url;
    }

    pub fn local_gateway(&self) -> Option<String> {
        self.local_gateway.read().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }

    /// The gateway URL an instance uses for `environment`'s pair.
    fn gateway_url(&self, gateway: GatewayChoice, custom: Option<&str>, environment: Environment) -> Result<String> {
        match gateway {
            GatewayChoice::Keyport => self.local_gateway().ok_or(EngineError::NoLocalGateway),
            other => Ok(other.url(environment, "", custom)),
        }
    }

    /// "Save Config": validates what changed and saves it all, or nothing.
    /// Offline checks come first, then the gateway; warnings come last and
    /// must be confirmed word for word (`input.confirmed`).
    pub async fn save_connector(&self, reference: &str, input: ConnectorInput) -> Result<ConnectorSaved> {
        let before = self.instance(reference).await?;
        let mut problems = Vec::new();
        let mut notices = Vec::new();

        let gateway = input.gateway.unwrap_or(before.gateway);
        let gateway_url = match gateway {
            GatewayChoice::Custom => match input.gateway_url.as_deref().or(before.gateway_url.as_deref()) {
                Some(url) => match http_url(Field::GatewayUrl, url) {
                    Ok(url) => Some(url),
                    Err(e) => {
                        problems.push(problem(Field::GatewayUrl, e));
                        None
                    }
                },
                None => {
                    problems.push(problem(Field::GatewayUrl, CoreError::Empty(Field::GatewayUrl)));
                    None
                }
            },
            _ => None,
        };
        let ims = match input.ims_organization_id.as_deref() {
            Some(raw) if raw.trim().is_empty() => None,
            Some(raw) => match ims_organization_id(raw) {
                Ok(id) => Some(id),
                Err(e) => {
                    problems.push(problem(Field::ImsOrganization, e));
                    before.ims_organization_id.clone()
                }
            },
            None => before.ims_organization_id.clone(),
        };

        let mut pairs = Vec::new();
        for (environment, pair) in [(Environment::Sandbox, input.sandbox), (Environment::Production, input.production)]
        {
            if let Some(pair) = pair {
                match self.validate_pair(&before, environment, pair, &mut notices).await {
                    Ok(valid) => pairs.push(valid),
                    Err(mut found) => problems.append(&mut found),
                }
            }
        }
        if !problems.is_empty() {
            return Err(EngineError::ConnectorInvalid(problems));
        }
        let has_keys = |environment: Environment| {
            pairs.iter().any(|p| p.environment == environment) || before.keys(environment).is_some()
        };
        let mut active = input.active_environment.unwrap_or(before.active_environment);
        if input.active_environment.is_none() && !has_keys(active) && has_keys(active.other()) {
            // The only pair there is becomes the active one, as a single
            // pair entered on the Admin page is the one the connector uses.
            active = active.other();
            notices
                .push(format!("The {active} keys are the active pair: the instance has no {} keys.", active.other()));
        }
        if !has_keys(active) && (input.active_environment.is_some() || input.saas.is_some()) {
            return Err(EngineError::KeysNotConfigured(active));
        }
        // Rule 5 before anything goes over the network (checked again when saving).
        if let Some(selection) =
            input.saas.as_ref().filter(|s| Some(&s.data_space_id) != before.saas.as_ref().map(|b| &b.data_space_id))
        {
            let mut conn = self.pool.acquire().await?;
            ensure_codes_free(&mut conn, &selection.data_space_id, &before.id, &before.website_codes).await?;
        }

        // Entitlement through the gateway, as the connector's key check does:
        // the new pairs, the saved ones when the gateway changed, and the
        // saved pair that becomes the active one.
        let gateway_changed = gateway != before.gateway || gateway_url != before.gateway_url;
        let mut checked = Vec::new();
        for pair in &pairs {
            let result = async {
                let url = self.gateway_url(gateway, gateway_url.as_deref(), pair.environment)?;
                GatewayClient::new(self.clock(), &url, pair.api_key.as_str(), pair.key_pair()?)?.ping().await
            }
            .await;
            match result {
                Ok(_) => checked.push(pair.environment),
                Err(e) => problems.push(problem(api_key_field(pair.environment), e)),
            }
        }
        for environment in [Environment::Sandbox, Environment::Production] {
            let needed = gateway_changed || (environment == active && active != before.active_environment);
            if !needed || checked.contains(&environment) || pairs.iter().any(|p| p.environment == environment) {
                continue;
            }
            if before.keys(environment).is_none() {
                continue;
            }
            let result = async {
                let url = self.gateway_url(gateway, gateway_url.as_deref(), environment)?;
                self.saved_client(&before, environment, &url).await?.ping().await
            }
            .await;
            match result {
                Ok(_) => checked.push(environment),
                Err(e) => problems.push(problem(api_key_field(environment), e)),
            }
        }
        if !problems.is_empty() {
            return Err(EngineError::ConnectorInvalid(problems));
        }

        // The SaaS identifier: the one chosen, or, on a new gateway, the saved
        // one if that gateway's registry has it too.
        let wanted = match (&input.saas, &before.saas) {
            (Some(selection), _) => Some(selection.clone()),
            (None, Some(saved)) if gateway_changed => {
                Some(SaasSelection { project_id: saved.project_id.clone(), data_space_id: saved.data_space_id.clone() })
            }
            _ => None,
        };
        let saas = match wanted {
            None => before.saas.clone(),
            Some(selection) => {
                let url = self.gateway_url(gateway, gateway_url.as_deref(), active)?;
                let client = match pairs.iter().find(|p| p.environment == active) {
                    Some(pair) => GatewayClient::new(self.clock(), &url, pair.api_key.as_str(), pair.key_pair()?)?,
                    None => self.saved_client(&before, active, &url).await?,
                };
                let rows = client.registry().await?;
                match find_row(&rows, &selection) {
                    Ok(row) => Some(SaasIdentifier::from(row)),
                    Err(_) if input.saas.is_none() => {
                        notices.push(format!(
                            "The new gateway's registry has no data space “{}”: the SaaS identifier was cleared. \
                             Choose a project and data space again.",
                            before.saas.as_ref().map(|s| s.data_space_name.as_str()).unwrap_or_default()
                        ));
                        None
                    }
                    Err(e) => return Err(e),
                }
            }
        };

        // The rules about data spaces and production data.
        let saas_changed = saas.as_ref().map(|s| &s.data_space_id) != before.saas.as_ref().map(|s| &s.data_space_id);
        let mut warnings = Vec::new();
        if let Some(new) = saas.as_ref().filter(|_| saas_changed)
            && is_production_space(&new.data_space_type)
            && before.instance_type != InstanceType::Production
        {
            warnings.push(production_space_warning(&before.name, before.instance_type, &new.data_space_name));
        }
        if saas_changed
            && before.instance_type == InstanceType::Production
            && let Some(old) = &before.saas
        {
            let next = match &saas {
                Some(new) => format!("the new data space “{}” starts without it", new.data_space_name),
                None => "the instance has no data space until you choose one".to_string(),
            };
            warnings.push(format!(
                "“{}” is a production instance: the service data stored for data space “{}” ({}) stays there; {next}.",
                before.name, old.data_space_name, old.project_name
            ));
        }
        if before.instance_type == InstanceType::Production {
            for pair in &pairs {
                if let Some(old) = before.keys(pair.environment).filter(|k| k.api_key != pair.api_key.as_str()) {
                    warnings.push(format!(
                        "“{}” is a production instance: replacing its {} keys ({}) can move it to another account's \
                         data; the service data stored so far stays with the old data space.",
                        before.name, pair.environment, old.api_key
                    ));
                }
            }
        }
        require_confirmed(warnings, &input.confirmed)?;

        self.persist_connector(&before, &pairs, gateway, gateway_url, active, saas, saas_changed, ims, &checked)
            .await?;
        Ok(ConnectorSaved { instance: self.instance(&before.id).await?, notices })
    }

    /// The offline checks of one pair (rules 2 and 3 up to the gateway):
    /// each failure is its own problem, on its own field.
    async fn validate_pair(
        &self,
        instance: &Instance,
        environment: Environment,
        input: PairInput,
        notices: &mut Vec<String>,
    ) -> std::result::Result<ValidPair, Vec<ErrorBody>> {
        let mut found = Vec::new();
        let api_field = api_key_field(environment);
        let pem_field = private_key_field(environment);
        let api_key = match InstanceApiKey::parse(&input.api_key, environment) {
            Ok(key) => Some(key),
            Err(e) => {
                found.push(problem(api_field, e));
                None
            }
        };
        // What this home knows of the key, when it is one of its own.
        let known: Option<ApiKeyInfo> = match api_key.as_ref().and_then(InstanceApiKey::keyport) {
            Some(key) => self.key(key.as_str()).await.ok(),
            None => None,
        };
        if let Some(info) = &known {
            if info.account_id != instance.account_id {
                found.push(problem(api_field, EngineError::KeyOfOtherAccount(info.api_key.to_string())));
            } else if info.status == KeyStatus::Revoked {
                let reason = info.revoke_reason.as_deref().map(|r| format!(" ({r})")).unwrap_or_default();
                found.push(problem(api_field, EngineError::KeyRevoked(reason)));
            }
        }
        let pem: Option<Zeroizing<String>> = match input.private_key {
            PrivateKeySource::Keychain => match known.as_ref().filter(|k| k.kept_in_keychain) {
                Some(info) => match self.secrets.load(&kept_entry(&info.id)).await {
                    Ok(Some(pem)) => Some(Zeroizing::new(pem.expose().to_string())),
                    Ok(None) => {
                        found.push(problem(pem_field, EngineError::PrivateKeyNotHeld));
                        None
                    }
                    Err(e) => {
                        found.push(problem(pem_field, e));
                        None
                    }
                },
                None => {
                    found.push(problem(pem_field, EngineError::PrivateKeyNotHeld));
                    None
                }
            },
            PrivateKeySource::Pasted { pem } => {
                if pem.expose().len() > pem_field.max_len() {
                    found.push(problem(pem_field, CoreError::TooLong { field: pem_field, max: pem_field.max_len() }));
                    None
                } else {
                    Some(Zeroizing::new(pem.expose().to_string()))
                }
            }
            PrivateKeySource::File { path } => match read_pem_file(Path::new(&path)) {
                Ok(text) => Some(text),
                Err(e) => {
                    found.push(problem(pem_field, e));
                    None
                }
            },
        };
        let parsed = pem.as_ref().and_then(|text| match KeyPair::from_pem(text) {
            Ok(parsed) => Some(parsed),
            Err(e) => {
                found.push(problem(pem_field, e));
                None
            }
        });
        if let (Some(parsed), Some(info)) = (&parsed, &known)
            && let Err(e) = PublicKey::from_pem(&info.public_key_pem).and_then(|p| p.ensure_matches(&parsed.pair))
        {
            found.push(problem(pem_field, e));
        }
        match (api_key, parsed) {
            (Some(api_key), Some(parsed)) if found.is_empty() => {
                if parsed.converted_from_pkcs1 {
                    notices.push(format!(
                        "The {environment} private key was an RSA (PKCS#1) key; Keyport converted it to PKCS#8, \
                         the form Commerce expects."
                    ));
                }
                Ok(ValidPair {
                    environment,
                    fingerprint: parsed.pair.fingerprint(),
                    bits: parsed.pair.bits(),
                    pem: parsed.pair.private_pem(),
                    api_key,
                })
            }
            _ => Err(found),
        }
    }

    /// A gateway client with an instance's saved pair (the API key and its
    /// keychain entry read together, so a concurrent save cannot mix pairs).
    async fn saved_client(&self, instance: &Instance, environment: Environment, url: &str) -> Result<GatewayClient> {
        let (api_key, pem) = self.saved_pair(&instance.id, environment).await?;
        GatewayClient::new(self.clock(), url, &api_key, KeyPair::from_pem(pem.expose())?.pair)
    }

    /// An instance's saved API key and private key for `environment`.
    async fn saved_pair(&self, instance_id: &str, environment: Environment) -> Result<(String, SecretPem)> {
        let (api_key, entry): (String, String) = sqlx::query_as(
            "SELECT api_key, keychain_entry FROM instance_keys WHERE instance_id = ? AND environment = ?",
        )
        .bind(instance_id)
        .bind(environment.as_str())
        .fetch_optional(&self.pool)
        .await?
        .ok_or(EngineError::KeysNotConfigured(environment))?;
        let pem = self.secrets.load(&entry).await?.ok_or(EngineError::PrivateKeyNotHeld)?;
        Ok((api_key, pem))
    }

    /// A client for the instance's active pair on its gateway.
    async fn active_client(&self, instance: &Instance) -> Result<GatewayClient> {
        let url = self.gateway_url(instance.gateway, instance.gateway_url.as_deref(), instance.active_environment)?;
        self.saved_client(instance, instance.active_environment, &url).await
    }

    #[allow(clippy::too_many_arguments)]
    async fn persist_connector(
        &self,
        before: &Instance,
        pairs: &[ValidPair],
        gateway: GatewayChoice,
        gateway_url: Option<String>,
        active: Environment,
        saas: Option<SaasIdentifier>,
        saas_changed: bool,
        ims: Option<String>,
        checked: &[Environment],
    ) -> Result<()> {
        // Keychain first, each entry journaled and new (never overwriting
        // the entry a saved pair uses), so a failure leaves the old pair.
        let mut stored: Vec<(Environment, String)> = Vec::new();
        for pair in pairs {
            let entry = format!("instance:{}:{}:{}", before.id, pair.environment, uuid::Uuid::new_v4().simple());
            if let Err(e) = self.store_journaled(&entry, &before.id, &pair.pem).await {
                for (_, done) in &stored {
                    self.drop_entry(done).await;
                }
                return Err(e);
            }
            stored.push((pair.environment, entry));
        }
        let written = async {
            let mut tx = self.begin_write().await?;
            if let Some(saas) = saas.as_ref().filter(|_| saas_changed) {
                let codes: Vec<String> = sqlx::query_scalar("SELECT code FROM instance_websites WHERE instance_id = ?")
                    .bind(&before.id)
                    .fetch_all(&mut *tx)
                    .await?;
                ensure_codes_free(&mut tx, &saas.data_space_id, &before.id, &codes).await?;
            }
            let mut replaced = Vec::new();
            for (pair, (_, entry)) in pairs.iter().zip(&stored) {
                let old: Option<String> = sqlx::query_scalar(
                    "SELECT keychain_entry FROM instance_keys WHERE instance_id = ? AND environment = ?",
                )
                .bind(&before.id)
                .bind(pair.environment.as_str())
                .fetch_optional(&mut *tx)
                .await?;
                if let Some(old) = old {
                    // Journaled with the change: should the clean-up after
                    // the commit not happen, reconcile_keychain finds it.
                    self.journal(&mut tx, &old, &before.id).await?;
                    replaced.push(old);
                }
                sqlx::query(
                    "INSERT OR REPLACE INTO instance_keys
                       (instance_id, environment, api_key, fingerprint, bits, keychain_entry, saved_at)
                     VALUES (?, ?, ?, ?, ?, ?, ?)",
                )
                .bind(&before.id)
                .bind(pair.environment.as_str())
                .bind(pair.api_key.as_str())
                .bind(&pair.fingerprint)
                .bind(pair.bits)
                .bind(entry)
                .bind(self.timestamp())
                .execute(&mut *tx)
                .await?;
                sqlx::query("DELETE FROM keychain_journal WHERE entry = ?").bind(entry).execute(&mut *tx).await?;
            }
            let now = self.timestamp();
            let active_checked = checked.contains(&active);
            let updated = sqlx::query(
                "UPDATE instances SET gateway = ?, gateway_url = ?, active_environment = ?,
                    project_id = ?, project_name = ?, data_space_id = ?, data_space_name = ?, data_space_type = ?,
                    ims_organization_id = ?, updated_at = ?,
                    last_checked_at = CASE WHEN ?11 THEN ?10 WHEN ?13 THEN NULL ELSE last_checked_at END,
                    last_check_code = CASE WHEN ?11 OR ?13 THEN NULL ELSE last_check_code END,
                    last_check_message = CASE WHEN ?11 OR ?13 THEN NULL ELSE last_check_message END
                 WHERE id = ?12 AND updated_at = ?14",
            )
            .bind(gateway.as_str())
            .bind(&gateway_url)
            .bind(active.as_str())
            .bind(saas.as_ref().map(|s| &s.project_id))
            .bind(saas.as_ref().map(|s| &s.project_name))
            .bind(saas.as_ref().map(|s| &s.data_space_id))
            .bind(saas.as_ref().map(|s| &s.data_space_name))
            .bind(saas.as_ref().map(|s| &s.data_space_type))
            .bind(&ims)
            .bind(&now)
            .bind(active_checked)
            .bind(&before.id)
            .bind(active != before.active_environment)
            .bind(&before.updated_at)
            .execute(&mut *tx)
            .await?;
            if updated.rows_affected() == 0 {
                return Err(EngineError::ChangedMeanwhile(before.name.clone()));
            }
            let mut changes = Vec::new();
            for pair in pairs {
                changes.push(format!("{} keys {}", pair.environment, pair.api_key));
            }
            if gateway != before.gateway || gateway_url != before.gateway_url {
                changes.push(format!("gateway {}", gateway_url.as_deref().unwrap_or(gateway.as_str())));
            }
            if active != before.active_environment {
                changes.push(format!("active pair {active}"));
            }
            if let Some(s) = saas.as_ref().filter(|_| saas_changed) {
                changes.push(format!("data space {} / {}", s.project_name, s.data_space_name));
            }
            if ims != before.ims_organization_id {
                changes.push(format!("IMS organization {}", ims.as_deref().unwrap_or("removed")));
            }
            let detail = format!(
                "{}: {}",
                before.name,
                if changes.is_empty() { "no change".into() } else { changes.join("; ") }
            );
            self.record(&mut tx, Some(&before.account_id), "instance.connector_saved", &detail).await?;
            tx.commit().await?;
            Ok::<_, EngineError>(replaced)
        }
        .await;
        match written {
            Ok(replaced) => {
                for entry in replaced {
                    self.drop_entry(&entry).await;
                }
                Ok(())
            }
            Err(e) => {
                for (_, entry) in &stored {
                    self.drop_entry(entry).await;
                }
                Err(e)
            }
        }
    }

    /// Makes the instance use its `environment` pair (`magento_saas/environment`).
    pub async fn activate_pair(&self, reference: &str, environment: Environment) -> Result<Instance> {
        let input = ConnectorInput { active_environment: Some(environment), ..Default::default() };
        Ok(self.save_connector(reference, input).await?.instance)
    }

    /// The projects and data spaces the gateway's registry offers the
    /// instance's active pair.
    pub async fn connector_registry(&self, reference: &str) -> Result<Vec<RegistryRow>> {
        let instance = self.instance(reference).await?;
        self.active_client(&instance).await?.registry().await
    }

    /// "Create Project": `registry/initialize` through the instance's gateway.
    pub async fn connector_create_project(&self, reference: &str, name: &str) -> Result<Vec<RegistryRow>> {
        let name = keyport_core::text::clean(Field::ProjectName, name)?;
        let instance = self.instance(reference).await?;
        let rows = self.active_client(&instance).await?.initialize(&name).await?;
        self.after_registry_change(
            &instance,
            None,
            "instance.registry",
            &format!("created project {name} through the gateway"),
        )
        .await;
        Ok(rows)
    }

    /// Renames a project through the gateway; instances on it keep the new name.
    pub async fn connector_rename_project(
        &self,
        reference: &str,
        project_id: &str,
        name: &str,
    ) -> Result<Vec<RegistryRow>> {
        let name = keyport_core::text::clean(Field::ProjectName, name)?;
        let instance = self.instance(reference).await?;
        let rows = self.active_client(&instance).await?.rename_project(project_id, &name).await?;
        let rename = ("UPDATE instances SET project_name = ?1 WHERE project_id = ?2", name.as_str(), project_id);
        self.after_registry_change(
            &instance,
            Some(rename),
            "instance.project_renamed",
            &format!("{project_id} → {name}"),
        )
        .await;
        Ok(rows)
    }

    /// Renames a data space through the gateway; instances on it keep the new name.
    pub async fn connector_rename_data_space(
        &self,
        reference: &str,
        data_space_id: &str,
        name: &str,
    ) -> Result<RegistryRow> {
        let name = keyport_core::text::clean(Field::DataSpaceName, name)?;
        let instance = self.instance(reference).await?;
        let row = self.active_client(&instance).await?.rename_data_space(data_space_id, &name).await?;
        let rename =
            ("UPDATE instances SET data_space_name = ?1 WHERE data_space_id = ?2", name.as_str(), data_space_id);
        let detail = format!("{data_space_id} → {name}");
        self.after_registry_change(&instance, Some(rename), "instance.data_space_renamed", &detail).await;
        Ok(row)
    }

    /// The registry row of a project and data space, each named by id or by
    /// name (the CLI's `select-dataspace`).
    pub async fn connector_find_data_space(
        &self,
        reference: &str,
        project: &str,
        data_space: &str,
    ) -> Result<RegistryRow> {
        let rows = self.connector_registry(reference).await?;
        let project_rows: Vec<&RegistryRow> =
            rows.iter().filter(|r| r.project_id == project.trim() || fold(&r.project_name) == fold(project)).collect();
        if project_rows.is_empty() {
            return Err(EngineError::ProjectNotFound(project.trim().chars().take(60).collect()));
        }
        project_rows
            .into_iter()
            .find(|r| r.environment_id == data_space.trim() || fold(&r.environment_name) == fold(data_space))
            .cloned()
            .ok_or_else(|| EngineError::DataSpaceNotFound(data_space.trim().chars().take(60).collect()))
    }

    /// Checks the instance's pairs against its gateway now and records the
    /// outcome (the status line). A refusal is recorded, not returned.
    pub async fn check_instance(&self, reference: &str) -> Result<Instance> {
        let instance = self.instance(reference).await?;
        if instance.keys(instance.active_environment).is_none() {
            return Err(EngineError::KeysNotConfigured(instance.active_environment));
        }
        let mut failure: Option<EngineError> = None;
        for environment in [instance.active_environment, instance.active_environment.other()] {
            if instance.keys(environment).is_none() || failure.is_some() {
                continue;
            }
            let result = async {
                let url = self.gateway_url(instance.gateway, instance.gateway_url.as_deref(), environment)?;
                self.saved_client(&instance, environment, &url).await?.ping().await
            }
            .await;
            if let Err(e) = result {
                failure = Some(e);
            }
        }
        if let Some(EngineError::NoLocalGateway) = failure {
            return Err(EngineError::NoLocalGateway);
        }
        let (code, message) = match &failure {
            Some(e) => (Some(e.code().as_str()), Some(e.to_string())),
            None => (None, None),
        };
        // Recorded only if the pairs checked are still the saved ones.
        let recorded = sqlx::query(
            "UPDATE instances SET last_checked_at = ?, last_check_code = ?, last_check_message = ?
             WHERE id = ? AND updated_at = ?",
        )
        .bind(self.timestamp())
        .bind(code)
        .bind(&message)
        .bind(&instance.id)
        .bind(&instance.updated_at)
        .execute(&self.pool)
        .await?;
        if recorded.rows_affected() == 0 {
            return Err(EngineError::ChangedMeanwhile(instance.name.clone()));
        }
        self.instance(&instance.id).await
    }

    /// Records a change the gateway already made (and the new name on the
    /// instances using it): should that fail, the change still happened, so
    /// it is logged as a warning rather than reported as a failure.
    async fn after_registry_change(
        &self,
        instance: &Instance,
        rename: Option<(&'static str, &str, &str)>,
        action: &str,
        detail: &str,
    ) {
        let written = async {
            let mut tx = self.begin_write().await?;
            if let Some((sql, name, id)) = rename {
                sqlx::query(sql).bind(name).bind(id).execute(&mut *tx).await?;
            }
            self.record(&mut tx, Some(&instance.account_id), action, &format!("{}: {detail}", instance.name)).await?;
            tx.commit().await?;
            Ok::<_, EngineError>(())
        }
        .await;
        if let Err(e) = written {
            tracing::warn!(code = %e.code(), "the gateway made the change, but Keyport did not record {action}: {e}");
        }
    }

    /// Writes what applies the instance's configuration to Magento into
    /// `folder` (created 0700; it must not exist or be empty): `apply.sh`,
    /// `env.php`, `merge-env.php` and the private keys (0600). On any
    /// failure the folder is removed again.
    pub async fn export_instance(&self, reference: &str, folder: &Path, lock_env: bool) -> Result<InstanceExport> {
        let instance = self.instance(reference).await?;
        let configured: Vec<Environment> = [Environment::Production, Environment::Sandbox]
            .into_iter()
            .filter(|e| instance.keys(*e).is_some())
            .collect();
        if configured.is_empty() {
            return Err(EngineError::KeysNotConfigured(instance.active_environment));
        }
        let mut pems = Vec::new();
        for environment in &configured {
            if let Some(known) = instance.keys(*environment).and_then(|k| k.key.as_ref())
                && known.status == KeyStatus::Revoked
            {
                let reason = known.revoke_reason.as_deref().map(|r| format!(" ({r})")).unwrap_or_default();
                return Err(EngineError::KeyRevoked(format!(
                    "{reason}: replace the instance's {environment} keys before exporting"
                )));
            }
            let (api_key, pem) = self.saved_pair(&instance.id, *environment).await?;
            pems.push((*environment, api_key, pem));
        }
        let local = configured_gateway().or_else(|| self.local_gateway()).unwrap_or_else(default_gateway);
        let mut notices = Vec::new();
        if instance.gateway == GatewayChoice::Keyport {
            notices.push(format!(
                "The instance's gateway is Keyport's sandbox at {local}: Magento reaches it only while the Keyport \
                 app runs on the same machine."
            ));
            if let Some(running) = self.local_gateway().filter(|u| *u != local) {
                notices.push(format!(
                    "Keyport's sandbox listens on {running} right now (the configured address was taken); \
                     the export names {local}, where it listens when that address is free."
                ));
            }
        }
        let export = export_plan(&instance, &pems, &local, lock_env, self.timestamp());
        let folder = folder.to_path_buf();
        let files = tokio::task::spawn_blocking(move || write_export(&folder, &export, &pems))
            .await
            .map_err(|e| EngineError::io("The export task failed", std::io::Error::other(e)))??;
        let mut tx = self.begin_write().await?;
        let detail = format!("{} to {}", instance.name, files.folder);
        self.record(&mut tx, Some(&instance.account_id), "instance.exported", &detail).await?;
        tx.commit().await?;
        Ok(InstanceExport { notices, ..files })
    }
}

impl Instance {
    /// The pair saved for `environment`, if any.
    pub fn keys(&self, environment: Environment) -> Option<&crate::model::InstanceKeys> {
        match environment {
            Environment::Sandbox => self.sandbox_keys.as_ref(),
            Environment::Production => self.production_keys.as_ref(),
        }
    }
}

fn read_pem_file(path: &Path) -> Result<Zeroizing<String>> {
    let unreadable = |e: String| CoreError::PrivateKeyUnreadable(format!("{}: {e}", path.display()));
    let meta = std::fs::metadata(path).map_err(|e| unreadable(e.to_string()))?;
    if meta.is_dir() {
        return Err(unreadable("it is a folder".into()).into());
    }
    if meta.len() > MAX_PEM_FILE {
        return Err(unreadable(format!("it is {} bytes; a private key file is a few kilobytes", meta.len())).into());
    }
    let bytes = Zeroizing::new(std::fs::read(path).map_err(|e| unreadable(e.to_string()))?);
    match std::str::from_utf8(&bytes) {
        Ok(text) => Ok(Zeroizing::new(text.to_string())),
        Err(_) => Err(CoreError::PrivateKeyNotPem.into()),
    }
}

/// The settings and pairs an instance's export holds. Every path Keyport
/// manages is in it; `None` removes a path (a cleared IMS id, Adobe's
/// gateway), so applying an export again never leaves an old value behind.
fn export_plan(
    instance: &Instance,
    pairs: &[(Environment, String, SecretPem)],
    local: &str,
    lock_env: bool,
    at: String,
) -> Export {
    let mut settings = vec![(magento::ACTIVE_ENVIRONMENT.to_string(), Some(instance.active_environment.to_string()))];
    for environment in [Environment::Production, Environment::Sandbox] {
        let url = (instance.gateway != GatewayChoice::Adobe)
            .then(|| instance.gateway.url(environment, local, instance.gateway_url.as_deref()));
        settings.push((magento::gateway_url_path(environment), url));
    }
    let saas = instance.saas.as_ref();
    settings.extend([
        (magento::PROJECT_ID.to_string(), saas.map(|s| s.project_id.clone())),
        (magento::PROJECT_NAME.to_string(), saas.map(|s| s.project_name.clone())),
        (magento::DATA_SPACE_ID.to_string(), saas.map(|s| s.data_space_id.clone())),
        (magento::DATA_SPACE_NAME.to_string(), saas.map(|s| s.data_space_name.clone())),
        (magento::DATA_SPACE_TYPE.to_string(), saas.map(|s| s.data_space_type.clone())),
        (magento::IMS_ORGANIZATION_ID.to_string(), instance.ims_organization_id.clone()),
    ]);
    let pairs = pairs
        .iter()
        .map(|(environment, api_key, _)| ExportedPair {
            environment: *environment,
            api_key: api_key.clone(),
            pem_file: environment.private_key_file_name().to_string(),
        })
        .collect();
    Export {
        instance_name: instance.name.clone(),
        base_url: instance.base_url.clone(),
        keyport_version: env!("CARGO_PKG_VERSION").to_string(),
        exported_at: at,
        lock_env,
        pairs,
        settings,
    }
}

fn write_export(folder: &Path, export: &Export, pems: &[(Environment, String, SecretPem)]) -> Result<InstanceExport> {
    let parent = match folder.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !parent.is_dir() {
        return Err(EngineError::FolderMissing(parent));
    }
    let created = match std::fs::read_dir(folder) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(EngineError::FolderNotEmpty(folder.to_path_buf()));
            }
            std::fs::set_permissions(folder, std::os::unix::fs::PermissionsExt::from_mode(0o700))
                .map_err(|e| write_error(e, folder))?;
            false
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::DirBuilder::new().mode(0o700).create(folder).map_err(|e| write_error(e, folder))?;
            true
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => {
            return Err(EngineError::FileExists(folder.to_path_buf()));
        }
        Err(e) => return Err(write_error(e, folder)),
    };
    let mut files = vec![
        ("apply.sh".to_string(), magento::apply_sh(export).into_bytes(), 0o700),
        ("env.php".to_string(), magento::env_php(export).into_bytes(), 0o600),
        ("merge-env.php".to_string(), magento::merge_env_php().as_bytes().to_vec(), 0o600),
    ];
    for (environment, _, pem) in pems {
        files.push((environment.private_key_file_name().to_string(), pem.expose().as_bytes().to_vec(), 0o600));
    }
    let written = (|| {
        for (name, bytes, mode) in &files {
            let path = folder.join(name);
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(*mode)
                .open(&path)
                .map_err(|e| write_error(e, &path))?;
            file.write_all(bytes).and_then(|()| file.sync_all()).map_err(|e| write_error(e, &path))?;
        }
        Ok::<_, EngineError>(())
    })();
    // Zeroize the key bytes we copied.
    for (_, bytes, _) in &mut files {
        zeroize::Zeroize::zeroize(bytes);
    }
    if let Err(e) = written {
        for (name, _, _) in &files {
            let _ = std::fs::remove_file(folder.join(name));
        }
        if created {
            let _ = std::fs::remove_dir(folder);
        }
        return Err(e);
    }
    Ok(InstanceExport {
        folder: folder.display().to_string(),
        files: files.iter().map(|(name, _, _)| name.clone()).collect(),
        holds_private_keys: !pems.is_empty(),
        notices: Vec::new(),
    })
}

fn write_error(e: std::io::Error, path: &Path) -> EngineError {
    match e.kind() {
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded => {
            EngineError::DiskFull(path.to_path_buf())
        }
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
            EngineError::FolderNotWritable(path.to_path_buf())
        }
        std::io::ErrorKind::AlreadyExists => EngineError::FileExists(path.to_path_buf()),
        _ => EngineError::io(format!("Cannot write {}", path.display()), e),
    }
}
