//! Rows as SQLite stores them. Each is read with sqlx's `FromRow` (one
//! `try_get` per column: a missing or mistyped column is an error, never a
//! panic) and then turned into a model record, parsing every stored enum.

use keyport_core::saas::DataSpaceType;
use keyport_core::{AccountRelation, ApiKey, CoreError, Edition, KeyStatus, MageId, OperatingModel, Standing};
use sqlx::FromRow;

use crate::error::{EngineError, Result};
use crate::model::{Account, ApiKeyInfo, DataSpace, Merchant};

/// Values in the database passed CHECK constraints; one that does not parse
/// means the file was edited by hand.
pub(crate) fn parse_column<T: std::str::FromStr<Err = CoreError>>(raw: &str) -> Result<T> {
    raw.parse().map_err(stored)
}

fn stored(e: CoreError) -> EngineError {
    EngineError::Database(format!("unexpected stored value: {e}"))
}

fn non_negative(value: i64, column: &str) -> Result<u32> {
    u32::try_from(value).map_err(|_| EngineError::Database(format!("unexpected stored value in {column}: {value}")))
}

#[derive(FromRow)]
pub(crate) struct AccountRow {
    id: String,
    mage_id: String,
    name: String,
    edition: String,
    operating_model: String,
    standing: String,
    created_at: String,
    updated_at: String,
    relation: String,
}

impl AccountRow {
    pub(crate) fn into_account(self, current: Option<&str>, merchants: Vec<Merchant>) -> Result<Account> {
        Ok(Account {
            is_current: current == Some(self.id.as_str()),
            mage_id: MageId::parse(&self.mage_id).map_err(stored)?,
            name: self.name,
            edition: parse_column::<Edition>(&self.edition)?,
            operating_model: parse_column::<OperatingModel>(&self.operating_model)?,
            standing: parse_column::<Standing>(&self.standing)?,
            relation: parse_column::<AccountRelation>(&self.relation)?,
            created_at: self.created_at,
            updated_at: self.updated_at,
            merchants,
            id: self.id,
        })
    }
}

#[derive(FromRow)]
pub(crate) struct MerchantRow {
    id: String,
    name: String,
    created_at: String,
}

impl From<MerchantRow> for Merchant {
    fn from(row: MerchantRow) -> Merchant {
        Merchant { id: row.id, name: row.name, created_at: row.created_at }
    }
}

#[derive(FromRow)]
pub(crate) struct KeyRow {
    id: String,
    account_id: String,
    environment: String,
    label: String,
    api_key: String,
    public_key_pem: String,
    fingerprint: String,
    bits: i64,
    created_at: String,
    status: String,
    revoked_at: Option<String>,
    revoke_reason: Option<String>,
    delivered_at: Option<String>,
    kept_in_keychain: bool,
    pending_in_keychain: bool,
    last_validated_at: Option<String>,
    received_at: Option<String>,
}

impl TryFrom<KeyRow> for ApiKeyInfo {
    type Error = EngineError;

    fn try_from(row: KeyRow) -> Result<ApiKeyInfo> {
        let status: KeyStatus = parse_column(&row.status)?;
        let revoked = status == KeyStatus::Revoked;
        let delivered = row.delivered_at.is_some();
        Ok(ApiKeyInfo {
            id: row.id,
            account_id: row.account_id,
            environment: parse_column(&row.environment)?,
            label: row.label,
            api_key: ApiKey::parse(&row.api_key).map_err(stored)?,
            fingerprint: row.fingerprint,
            bits: non_negative(row.bits, "api_keys.bits")?,
            public_key_pem: row.public_key_pem,
            created_at: row.created_at,
            download_pending: !revoked && !delivered,
            status,
            revoked_at: row.revoked_at,
            revoke_reason: row.revoke_reason,
            delivered_at: row.delivered_at,
            kept_in_keychain: row.kept_in_keychain,
            // A copy Keyport no longer needs that the keychain refused to delete.
            keychain_cleanup_pending: (row.pending_in_keychain && (revoked || delivered))
                || (row.kept_in_keychain && revoked),
            last_validated_at: row.last_validated_at,
            received_at: row.received_at,
            // Filled in by `with_scopes`: the scope lives in its own tables.
            scope: None,
        })
    }
}

#[derive(FromRow)]
pub(crate) struct ProjectRow {
    pub(crate) id: String,
    pub(crate) account_id: String,
    pub(crate) name: String,
    pub(crate) created_at: String,
}

#[derive(FromRow)]
pub(crate) struct DataSpaceRow {
    id: String,
    project_id: String,
    name: String,
    #[sqlx(rename = "type")]
    data_space_type: String,
    created_at: String,
}

impl TryFrom<DataSpaceRow> for DataSpace {
    type Error = EngineError;

    fn try_from(row: DataSpaceRow) -> Result<DataSpace> {
        Ok(DataSpace {
            id: row.id,
            project_id: row.project_id,
            name: row.name,
            data_space_type: parse_column::<DataSpaceType>(&row.data_space_type)?,
            created_at: row.created_at,
        })
    }
}

/// Converts fetched rows, stopping at the first one that does not parse.
pub(crate) fn convert<R, T: TryFrom<R, Error = EngineError>>(rows: Vec<R>) -> Result<Vec<T>> {
    rows.into_iter().map(T::try_from).collect()
}
