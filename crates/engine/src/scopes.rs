//! Scoped keys: the scope a new key is given (checked against its account's
//! operating model and merchants), reading scopes back, the access check
//! ("may key K call METHOD PATH for merchant M?", which the sandbox serves
//! as `POST /keyport/v1/authorize`), and the scoped keys an operating-model
//! change or a merchant's removal revokes.

use keyport_core::scope::{self, Access, Feature, KeyFacts, KeyScope};
use keyport_core::text::fold;
use keyport_core::{KeyStatus, OperatingModel, Standing};
use sqlx::AssertSqlSafe;
use sqlx::SqliteConnection;

use crate::Engine;
use crate::error::{EngineError, Result};
use crate::model::{AccessRequest, ApiKeyInfo, NewScope};
use crate::rows::parse_column;

/// A new key's scope, resolved to the account's merchants.
#[derive(Debug, Clone)]
pub(crate) struct ResolvedScope {
    /// (id, name) of each merchant.
    pub(crate) merchants: Vec<(String, String)>,
    pub(crate) features: Vec<Feature>,
}

/// Checks a new key's scope: the account's model must offer scoped keys
/// and every feature; every merchant must be one of the account's.
pub(crate) async fn resolve_scope(
    conn: &mut SqliteConnection,
    account_id: &str,
    model: OperatingModel,
    scope: &NewScope,
) -> Result<ResolvedScope> {
    let offered = Feature::offered_by(model);
    if offered.is_empty() {
        return Err(EngineError::ScopedKeysNotAllowed(model.label()));
    }
    if scope.merchants.iter().all(|m| m.trim().is_empty()) || scope.features.is_empty() {
        return Err(EngineError::ScopeEmpty);
    }
    let mut features = Vec::new();
    for feature in &scope.features {
        if !offered.contains(feature) {
            return Err(EngineError::FeatureNotOffered { feature: feature.label(), model: model.label() });
        }
        if !features.contains(feature) {
            features.push(*feature);
        }
    }
    let mut merchants: Vec<(String, String)> = Vec::new();
    for reference in scope.merchants.iter().filter(|m| !m.trim().is_empty()) {
        let found: Option<(String, String)> =
            sqlx::query_as("SELECT id, name FROM merchants WHERE account_id = ? AND (id = ? OR name_folded = ?)")
                .bind(account_id)
                .bind(reference.trim())
                .bind(fold(reference))
                .fetch_optional(&mut *conn)
                .await?;
        let found = found.ok_or_else(|| EngineError::MerchantNotFound(reference.trim().chars().take(60).collect()))?;
        if !merchants.iter().any(|(id, _)| *id == found.0) {
            merchants.push(found);
        }
    }
    Ok(ResolvedScope { merchants, features })
}

/// Writes a new key's scope rows, in the transaction that records the key.
pub(crate) async fn write_scope(conn: &mut SqliteConnection, key_id: &str, scope: &ResolvedScope) -> Result<()> {
    for feature in &scope.features {
        sqlx::query("INSERT INTO key_scope_features (key_id, feature) VALUES (?, ?)")
            .bind(key_id)
            .bind(feature.as_str())
            .execute(&mut *conn)
            .await?;
    }
    for (id, name) in &scope.merchants {
        sqlx::query("INSERT INTO key_scope_merchants (key_id, merchant_id, merchant_name) VALUES (?, ?, ?)")
            .bind(key_id)
            .bind(id)
            .bind(name)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Fills in the scope of each key (one query per table for the whole page).
pub(crate) async fn with_scopes(conn: &mut SqliteConnection, mut keys: Vec<ApiKeyInfo>) -> Result<Vec<ApiKeyInfo>> {
    if keys.is_empty() {
        return Ok(keys);
    }
    let placeholders = vec!["?"; keys.len()].join(", ");
    let features_sql = format!(
        "SELECT key_id, feature FROM key_scope_features WHERE key_id IN ({placeholders}) ORDER BY key_id, feature"
    );
    let mut query = sqlx::query_as::<_, (String, String)>(AssertSqlSafe(features_sql));
    for key in &keys {
        query = query.bind(&key.id);
    }
    let features = query.fetch_all(&mut *conn).await?;
    if features.is_empty() {
        return Ok(keys);
    }
    // Renamed merchants show their current name; removed ones the name they had.
    let merchants_sql = format!(
        "SELECT s.key_id, COALESCE(m.name, s.merchant_name) FROM key_scope_merchants s
         LEFT JOIN merchants m ON m.id = s.merchant_id WHERE s.key_id IN ({placeholders}) ORDER BY 2"
    );
    let mut query = sqlx::query_as::<_, (String, String)>(AssertSqlSafe(merchants_sql));
    for key in &keys {
        query = query.bind(&key.id);
    }
    let merchants = query.fetch_all(&mut *conn).await?;
    for key in &mut keys {
        let mut granted: Vec<Feature> = Vec::new();
        for (_, feature) in features.iter().filter(|(id, _)| *id == key.id) {
            granted.push(parse_column(feature)?);
        }
        if granted.is_empty() {
            continue;
        }
        // In the order of the seed's table, not alphabetical.
        granted.sort_by_key(|f| Feature::ALL.iter().position(|a| a == f));
        key.scope = Some(KeyScope {
            merchants: merchants.iter().filter(|(id, _)| *id == key.id).map(|(_, name)| name.clone()).collect(),
            features: granted,
        });
    }
    Ok(keys)
}

/// An active scoped key a change would revoke.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct Affected {
    pub(crate) id: String,
    pub(crate) label: String,
    pub(crate) api_key: String,
}

/// The account's active scoped keys that `model` cannot hold: all of them
/// when it offers no scoped keys, else those granted a feature it lacks.
pub(crate) async fn affected_by_model(
    conn: &mut SqliteConnection,
    account_id: &str,
    model: OperatingModel,
) -> Result<Vec<Affected>> {
    let offered: Vec<&str> = Feature::offered_by(model).iter().map(|f| f.as_str()).collect();
    let keys: Vec<(Affected, String)> = sqlx::query_as::<_, (String, String, String, String)>(
        "SELECT k.id, k.label, k.api_key, f.feature FROM api_keys k JOIN key_scope_features f ON f.key_id = k.id
         WHERE k.account_id = ? AND k.status = 'active' ORDER BY k.created_at, k.id",
    )
    .bind(account_id)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|(id, label, api_key, feature)| (Affected { id, label, api_key }, feature))
    .collect();
    let mut affected: Vec<Affected> = Vec::new();
    for (key, feature) in keys {
        if !offered.contains(&feature.as_str()) && !affected.iter().any(|a| a.id == key.id) {
            affected.push(key);
        }
    }
    Ok(affected)
}

/// The active scoped keys that name a merchant.
pub(crate) async fn affected_by_merchant(conn: &mut SqliteConnection, merchant_id: &str) -> Result<Vec<Affected>> {
    Ok(sqlx::query_as(
        "SELECT DISTINCT k.id, k.label, k.api_key FROM api_keys k JOIN key_scope_merchants s ON s.key_id = k.id
         WHERE s.merchant_id = ? AND k.status = 'active' ORDER BY k.label",
    )
    .bind(merchant_id)
    .fetch_all(&mut *conn)
    .await?)
}

/// The warning a change that revokes scoped keys shows first.
pub(crate) fn revoke_warning(affected: &[Affected], why: &str) -> String {
    let names: Vec<String> = affected.iter().map(|a| format!("“{}” ({})", a.label, a.api_key)).collect();
    let count = match affected.len() {
        1 => "1 scoped key".to_string(),
        n => format!("{n} scoped keys"),
    };
    format!("{why}, so {count} will be revoked: {}.", names.join(", "))
}

impl Engine {
    /// Revokes `affected` keys inside `tx` with `reason` (the caller commits,
    /// then calls `forget_revoked`).
    pub(crate) async fn revoke_in(
        &self,
        conn: &mut SqliteConnection,
        account_id: &str,
        affected: &[Affected],
        reason: &str,
    ) -> Result<()> {
        for key in affected {
            sqlx::query(
                "UPDATE api_keys SET status = 'revoked', revoked_at = ?, revoke_reason = ? WHERE id = ? AND status = 'active'",
            )
            .bind(self.timestamp())
            .bind(reason)
            .bind(&key.id)
            .execute(&mut *conn)
            .await?;
            let detail = format!("{} ({}): {reason}", key.label, key.api_key);
            self.record(conn, Some(account_id), "key.revoked", &detail).await?;
        }
        Ok(())
    }

    /// Drops Keyport's copies of revoked keys' private keys.
    pub(crate) async fn forget_revoked(&self, affected: &[Affected]) {
        for key in affected {
            self.forget_pending(&key.id).await;
            self.forget_kept(&key.id).await;
        }
    }

    /// The access check: may `key` call `request.method` `request.path` for
    /// `request.merchant`? An answer with its reason; malformed methods and
    /// paths are errors.
    pub async fn check_access(&self, key: &str, request: &AccessRequest) -> Result<Access> {
        if let Some(merchant) = &request.merchant {
            keyport_core::text::clean(keyport_core::Field::MerchantName, merchant)
                .or_else(|e| if merchant.trim().is_empty() { Ok(String::new()) } else { Err(e) })?;
        }
        let info = self.key(key).await?;
        let mut conn = self.pool.acquire().await?;
        let (standing, model): (String, String) =
            sqlx::query_as("SELECT standing, operating_model FROM accounts WHERE id = ?")
                .bind(&info.account_id)
                .fetch_one(&mut *conn)
                .await?;
        let known: Vec<(String, String)> = sqlx::query_as("SELECT id, name FROM merchants WHERE account_id = ?")
            .bind(&info.account_id)
            .fetch_all(&mut *conn)
            .await?;
        // A merchant may be named by its id, too.
        let merchant = request
            .merchant
            .as_deref()
            .map(|m| known.iter().find(|(id, _)| id == m.trim()).map_or(m, |(_, name)| name.as_str()));
        let merchants: Vec<String> = known.iter().map(|(_, name)| name.clone()).collect();
        let facts = KeyFacts {
            revoked: info.status == KeyStatus::Revoked,
            revoke_reason: info.revoke_reason.as_deref(),
            standing: parse_column::<Standing>(&standing)?,
            operating_model: parse_column::<OperatingModel>(&model)?,
            merchants: &merchants,
            scope: info.scope.as_ref(),
        };
        Ok(scope::decide(&facts, &request.method, &request.path, merchant)?)
    }
}
