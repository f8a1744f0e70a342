//! Commerce instances an integrator looks after: name, base URL, type,
//! website codes and the account they belong to. Their Connector
//! configuration (keys, gateway, SaaS identifier) is in `connector.rs`.

use keyport_core::instance::{http_url, website_codes};
use keyport_core::saas::DataSpaceType;
use keyport_core::text::{clean, fold};
use keyport_core::{Environment, ErrorCode, Field, InstanceType, KeyStatus};
use sqlx::{FromRow, SqliteConnection};

use crate::Engine;
use crate::accounts::resolve;
use crate::error::{EngineError, Result};
use crate::model::{Instance, InstanceChanges, InstanceKeys, InstanceStatus, KnownKey, NewInstance, SaasIdentifier};
use crate::names::{Scope, ensure_name_free};
use crate::rows::parse_column;

#[derive(FromRow)]
pub(crate) struct InstanceRow {
    pub(crate) id: String,
    pub(crate) account_id: String,
    pub(crate) name: String,
    pub(crate) base_url: String,
    pub(crate) instance_type: String,
    pub(crate) gateway: String,
    pub(crate) gateway_url: Option<String>,
    pub(crate) active_environment: String,
    pub(crate) project_id: Option<String>,
    pub(crate) project_name: Option<String>,
    pub(crate) data_space_id: Option<String>,
    pub(crate) data_space_name: Option<String>,
    pub(crate) data_space_type: Option<String>,
    pub(crate) ims_organization_id: Option<String>,
    pub(crate) last_checked_at: Option<String>,
    pub(crate) last_check_code: Option<String>,
    pub(crate) last_check_message: Option<String>,
    pub(crate) created_at: String,
    pub(crate) updated_at: String,
}

#[derive(FromRow)]
struct KeyOnInstance {
    environment: String,
    api_key: String,
    fingerprint: String,
    bits: i64,
    saved_at: String,
    key_id: Option<String>,
    key_label: Option<String>,
    key_status: Option<String>,
    key_revoke_reason: Option<String>,
}

/// Whether a registry's `environmentType` names a production data space
/// (registries spell it "Production"; Keyport's stored form is lower case).
pub(crate) fn is_production_space(data_space_type: &str) -> bool {
    data_space_type.trim().to_ascii_lowercase().parse::<DataSpaceType>() == Ok(DataSpaceType::Production)
}

impl Engine {
    pub async fn add_instance(&self, input: NewInstance) -> Result<Instance> {
        let name = clean(Field::InstanceName, &input.name)?;
        let base_url = http_url(Field::BaseUrl, &input.base_url)?;
        let codes = website_codes(&input.website_codes)?;
        let mut tx = self.begin_write().await?;
        let account_id = resolve(&mut tx, &input.account).await?;
        ensure_name_free(&mut tx, Scope::Instances, &name, None).await?;
        let id = uuid::Uuid::new_v4().to_string();
        let at = self.timestamp();
        sqlx::query(
            "INSERT INTO instances (id, account_id, name, name_folded, base_url, instance_type, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&id)
        .bind(&account_id)
        .bind(&name)
        .bind(fold(&name))
        .bind(&base_url)
        .bind(input.instance_type.as_str())
        .bind(&at)
        .bind(&at)
        .execute(&mut *tx)
        .await?;
        write_websites(&mut tx, &id, &codes).await?;
        let detail = format!("{name} ({}, {base_url}, websites {})", input.instance_type, codes.join(", "));
        self.record(&mut tx, Some(&account_id), "instance.added", &detail).await?;
        tx.commit().await?;
        self.instance(&id).await
    }

    /// Edits an instance. New website codes must stay unique among the
    /// instances sharing its data space; a production data space on a
    /// non-production instance needs `changes.confirmed`.
    pub async fn update_instance(&self, reference: &str, changes: InstanceChanges) -> Result<Instance> {
        let name = changes.name.as_deref().map(|n| clean(Field::InstanceName, n)).transpose()?;
        let base_url = changes.base_url.as_deref().map(|u| http_url(Field::BaseUrl, u)).transpose()?;
        let codes = changes.website_codes.as_deref().map(website_codes).transpose()?;
        let mut tx = self.begin_write().await?;
        let row = find_instance(&mut tx, reference).await?;
        let before = assemble(&mut tx, row).await?;
        let account_id = match &changes.account {
            Some(account) => resolve(&mut tx, account).await?,
            None => before.account_id.clone(),
        };
        if let Some(name) = &name {
            ensure_name_free(&mut tx, Scope::Instances, name, Some(&before.id)).await?;
        }
        if account_id != before.account_id {
            for keys in [&before.sandbox_keys, &before.production_keys].into_iter().flatten() {
                if keys.key.is_some() {
                    return Err(EngineError::KeyOfOtherAccount(keys.api_key.clone()));
                }
            }
        }
        let instance_type = changes.instance_type.unwrap_or(before.instance_type);
        if let (Some(codes), Some(saas)) = (&codes, &before.saas) {
            ensure_codes_free(&mut tx, &saas.data_space_id, &before.id, codes).await?;
        }
        // Asked when the type changes, not on every edit of such an instance.
        let production_space = before.saas.as_ref().is_some_and(|s| is_production_space(&s.data_space_type));
        if production_space && instance_type != InstanceType::Production && instance_type != before.instance_type {
            let data_space = before.saas.as_ref().map(|s| s.data_space_name.as_str()).unwrap_or("");
            require_confirmed(
                vec![production_space_warning(&before.name, instance_type, data_space)],
                &changes.confirmed,
            )?;
        }
        let name = name.unwrap_or(before.name.clone());
        let base_url = base_url.unwrap_or(before.base_url.clone());
        sqlx::query(
            "UPDATE instances SET name = ?, name_folded = ?, base_url = ?, instance_type = ?, account_id = ?, updated_at = ?
             WHERE id = ?",
        )
        .bind(&name)
        .bind(fold(&name))
        .bind(&base_url)
        .bind(instance_type.as_str())
        .bind(&account_id)
        .bind(self.timestamp())
        .bind(&before.id)
        .execute(&mut *tx)
        .await?;
        if let Some(codes) = &codes {
            sqlx::query("DELETE FROM instance_websites WHERE instance_id = ?")
                .bind(&before.id)
                .execute(&mut *tx)
                .await?;
            write_websites(&mut tx, &before.id, codes).await?;
        }
        let detail = format!("{name} ({instance_type}, {base_url})");
        self.record(&mut tx, Some(&account_id), "instance.updated", &detail).await?;
        tx.commit().await?;
        self.instance(&before.id).await
    }

    /// Removes an instance and every copy of its private keys Keyport holds.
    pub async fn remove_instance(&self, reference: &str) -> Result<Instance> {
        let instance = self.instance(reference).await?;
        let mut tx = self.begin_write().await?;
        let entries: Vec<String> = sqlx::query_scalar("SELECT keychain_entry FROM instance_keys WHERE instance_id = ?")
            .bind(&instance.id)
            .fetch_all(&mut *tx)
            .await?;
        for entry in &entries {
            self.journal(&mut tx, entry, &instance.id).await?;
        }
        sqlx::query("DELETE FROM instances WHERE id = ?").bind(&instance.id).execute(&mut *tx).await?;
        self.record(&mut tx, Some(&instance.account_id), "instance.removed", &instance.name).await?;
        tx.commit().await?;
        for entry in entries {
            self.drop_entry(&entry).await;
        }
        Ok(instance)
    }

    /// The instances of this home (or of one account), by name.
    pub async fn instances(&self, account: Option<&str>) -> Result<Vec<Instance>> {
        let mut conn = self.pool.acquire().await?;
        let account_id = match account {
            Some(a) => Some(resolve(&mut conn, a).await?),
            None => None,
        };
        let rows: Vec<InstanceRow> =
            sqlx::query_as("SELECT * FROM instances WHERE ?1 IS NULL OR account_id = ?1 ORDER BY name_folded")
                .bind(&account_id)
                .fetch_all(&mut *conn)
                .await?;
        let mut instances = Vec::with_capacity(rows.len());
        for row in rows {
            instances.push(assemble(&mut conn, row).await?);
        }
        Ok(instances)
    }

    /// One instance, by id or name.
    pub async fn instance(&self, reference: &str) -> Result<Instance> {
        let mut conn = self.pool.acquire().await?;
        let row = find_instance(&mut conn, reference).await?;
        assemble(&mut conn, row).await
    }
}

pub(crate) async fn find_instance(conn: &mut SqliteConnection, reference: &str) -> Result<InstanceRow> {
    sqlx::query_as("SELECT * FROM instances WHERE id = ?1 OR name_folded = ?2 ORDER BY id = ?1 DESC LIMIT 1")
        .bind(reference.trim())
        .bind(fold(reference))
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| EngineError::InstanceNotFound(reference.trim().chars().take(60).collect()))
}

async fn write_websites(conn: &mut SqliteConnection, instance_id: &str, codes: &[String]) -> Result<()> {
    for (position, code) in codes.iter().enumerate() {
        sqlx::query("INSERT INTO instance_websites (instance_id, code, position) VALUES (?, ?, ?)")
            .bind(instance_id)
            .bind(code)
            .bind(position as i64)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Rule 5: instances may share a data space only when all their website
/// codes differ. Fails naming the other instance and the code.
pub(crate) async fn ensure_codes_free(
    conn: &mut SqliteConnection,
    data_space_id: &str,
    instance_id: &str,
    codes: &[String],
) -> Result<()> {
    let clashes: Vec<(String, String)> = sqlx::query_as(
        "SELECT w.code, i.name FROM instance_websites w JOIN instances i ON i.id = w.instance_id
         WHERE i.data_space_id = ? AND i.id <> ? ORDER BY i.name_folded, w.position",
    )
    .bind(data_space_id)
    .bind(instance_id)
    .fetch_all(&mut *conn)
    .await?;
    match clashes.into_iter().find(|(code, _)| codes.contains(code)) {
        Some((code, other)) => Err(EngineError::WebsiteCodeCollision { code, other }),
        None => Ok(()),
    }
}

/// Goes ahead only when the person confirmed exactly these warnings (the
/// texts they were shown), so a warning that appeared since asks again.
pub(crate) fn require_confirmed(warnings: Vec<String>, confirmed: &[String]) -> Result<()> {
    if warnings.iter().all(|w| confirmed.contains(w)) {
        Ok(())
    } else {
        Err(EngineError::ConfirmationRequired(warnings))
    }
}

pub(crate) fn production_space_warning(instance: &str, instance_type: InstanceType, data_space: &str) -> String {
    format!(
        "The data space “{data_space}” is a production data space, but “{instance}” is a {} instance: \
         its data would mix with your production data.",
        instance_type.label().to_lowercase()
    )
}

/// The instance with its websites, keys and derived status.
pub(crate) async fn assemble(conn: &mut SqliteConnection, row: InstanceRow) -> Result<Instance> {
    let website_codes: Vec<String> =
        sqlx::query_scalar("SELECT code FROM instance_websites WHERE instance_id = ? ORDER BY position")
            .bind(&row.id)
            .fetch_all(&mut *conn)
            .await?;
    let key_rows: Vec<KeyOnInstance> = sqlx::query_as(
        "SELECT ik.environment, ik.api_key, ik.fingerprint, ik.bits, ik.saved_at,
                k.id AS key_id, k.label AS key_label, k.status AS key_status, k.revoke_reason AS key_revoke_reason
         FROM instance_keys ik LEFT JOIN api_keys k ON k.api_key = ik.api_key
         WHERE ik.instance_id = ?",
    )
    .bind(&row.id)
    .fetch_all(&mut *conn)
    .await?;
    let mut sandbox_keys = None;
    let mut production_keys = None;
    for k in key_rows {
        let environment: Environment = parse_column(&k.environment)?;
        let key = match (k.key_id, k.key_label, k.key_status) {
            (Some(id), Some(label), Some(status)) => {
                Some(KnownKey { id, label, status: parse_column(&status)?, revoke_reason: k.key_revoke_reason })
            }
            _ => None,
        };
        let keys = InstanceKeys {
            environment,
            api_key: k.api_key,
            fingerprint: k.fingerprint,
            bits: u32::try_from(k.bits).unwrap_or(0),
            saved_at: k.saved_at,
            key,
        };
        match environment {
            Environment::Sandbox => sandbox_keys = Some(keys),
            Environment::Production => production_keys = Some(keys),
        }
    }
    let active_environment: Environment = parse_column(&row.active_environment)?;
    let saas = match (row.project_id, row.project_name, row.data_space_id, row.data_space_name, row.data_space_type) {
        (Some(project_id), Some(project_name), Some(data_space_id), Some(data_space_name), Some(data_space_type)) => {
            Some(SaasIdentifier { project_id, project_name, data_space_id, data_space_name, data_space_type })
        }
        _ => None,
    };
    let last_check_code = row.last_check_code.as_deref().and_then(ErrorCode::parse);
    let active = match active_environment {
        Environment::Sandbox => &sandbox_keys,
        Environment::Production => &production_keys,
    };
    let revoked = [&sandbox_keys, &production_keys]
        .into_iter()
        .flatten()
        .find_map(|k| k.key.as_ref().filter(|known| known.status == KeyStatus::Revoked));
    let (status, status_message) = if active.is_none() {
        (InstanceStatus::NotConfigured, format!("No {active_environment} keys are saved yet."))
    } else if let Some(known) = revoked {
        let reason = known.revoke_reason.as_deref().map(|r| format!(" ({r})")).unwrap_or_default();
        (
            InstanceStatus::KeysRevoked,
            format!("The key “{}” was revoked{reason}: the keys are no longer valid. Save new keys.", known.label),
        )
    } else if row.last_check_code.is_some() {
        (InstanceStatus::CheckFailed, row.last_check_message.unwrap_or_else(|| "The last check failed.".into()))
    } else if row.last_checked_at.is_some() {
        (InstanceStatus::Connected, "The gateway accepted the keys.".into())
    } else {
        (InstanceStatus::Unchecked, "The keys have not been checked against the gateway yet.".into())
    };
    Ok(Instance {
        instance_type: parse_column(&row.instance_type)?,
        gateway: parse_column(&row.gateway)?,
        id: row.id,
        account_id: row.account_id,
        name: row.name,
        base_url: row.base_url,
        website_codes,
        gateway_url: row.gateway_url,
        active_environment,
        sandbox_keys,
        production_keys,
        saas,
        ims_organization_id: row.ims_organization_id,
        status,
        status_message,
        last_checked_at: row.last_checked_at,
        last_check_code,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}
