//! Entitlement validation: is this API key, with a JWT signed by its
//! private key, allowed to use Commerce Services?
//!
//! Each request checks the key's status and its account's standing (so a
//! revoke — even from another process — takes effect on the next request),
//! after the signature: only the key's holder learns whether it is revoked.
//! That check costs microseconds, not a trip through sqlx's worker thread:
//! [`StatusReader`] keeps the rows it read on a connection of its own and
//! asks SQLite's `PRAGMA data_version` on every request whether any other
//! connection (this process's pool, the CLI) has committed since; if so it
//! reads again. What never changes is cached too: parsed public keys by key
//! id, and tokens already verified (by hash, until they expire). Caches are
//! read-mostly `RwLock`s, so concurrent requests verify in parallel.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::Duration;

use keyport_core::keys::PublicKey;
use keyport_core::{ApiKey, Environment, KeyStatus, Standing, jwt};
use sha2::{Digest, Sha256};

use crate::Engine;
use crate::error::{EngineError, Result};
use crate::model::Entitlement;
use crate::rows::parse_column;

/// Verified tokens remembered at most (a bound on memory, not on correctness).
const MAX_REMEMBERED_TOKENS: usize = 50_000;
/// "Last validated" is written at most this often per key.
const LAST_VALIDATED_EVERY: time::Duration = time::Duration::seconds(30);

#[derive(Default)]
pub(crate) struct ValidationCache {
    public_keys: RwLock<HashMap<String, PublicKey>>,
    /// sha256(token) → (key id, exp) of tokens whose signature verified.
    verified: RwLock<HashMap<[u8; 32], (String, i64)>>,
    last_recorded: Mutex<HashMap<String, time::OffsetDateTime>>,
    status: StatusReader,
}

/// What validation reads of a key on every request.
struct KeyCheckRow {
    id: String,
    account_id: String,
    label: String,
    environment: String,
    status: String,
    revoke_reason: Option<String>,
    public_key_pem: String,
    standing: String,
}

// The caches only ever hold complete entries, so a panic elsewhere while a
// lock was held leaves them usable: take the guard out of the poison.
fn read<T>(lock: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(PoisonError::into_inner)
}

fn write<T>(lock: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(PoisonError::into_inner)
}

/// Key rows by API key, read on a private SQLite connection and kept until
/// `PRAGMA data_version` changes. That pragma changes whenever another
/// connection commits to the file, and this one never writes, so every
/// revoke, standing change or new key invalidates the cache before the next
/// lookup. Opened at the first validation (not at start-up).
#[derive(Default)]
struct StatusReader {
    state: Mutex<Option<ReaderState>>,
}

struct ReaderState {
    conn: rusqlite::Connection,
    version: i64,
    rows: HashMap<String, Option<Arc<KeyCheckRow>>>,
}

/// Rows remembered at most between two commits (bounds memory against a
/// client trying many unknown keys).
const MAX_REMEMBERED_ROWS: usize = 10_000;

const KEY_CHECK_SQL: &str =
    "SELECT k.id, k.account_id, k.label, k.environment, k.status, k.revoke_reason, k.public_key_pem, a.standing
     FROM api_keys k JOIN accounts a ON a.id = k.account_id WHERE k.api_key = ?";

fn reader_error(e: rusqlite::Error) -> EngineError {
    EngineError::Database(format!("key status: {e}"))
}

impl StatusReader {
    fn lookup(&self, db: &Path, api_key: &str) -> Result<Option<Arc<KeyCheckRow>>> {
        let mut guard = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let state = match &mut *guard {
            Some(state) => state,
            empty => {
                let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
                let conn = rusqlite::Connection::open_with_flags(db, flags).map_err(reader_error)?;
                conn.busy_timeout(Duration::from_secs(15)).map_err(reader_error)?;
                empty.insert(ReaderState { conn, version: -1, rows: HashMap::new() })
            }
        };
        let version: i64 = state
            .conn
            .prepare_cached("PRAGMA data_version")
            .and_then(|mut q| q.query_row([], |r| r.get(0)))
            .map_err(reader_error)?;
        if version != state.version || state.rows.len() >= MAX_REMEMBERED_ROWS {
            state.rows.clear();
            state.version = version;
        }
        if let Some(row) = state.rows.get(api_key) {
            return Ok(row.clone());
        }
        let row = state
            .conn
            .prepare_cached(KEY_CHECK_SQL)
            .and_then(|mut q| {
                q.query_row([api_key], |r| {
                    Ok(KeyCheckRow {
                        id: r.get(0)?,
                        account_id: r.get(1)?,
                        label: r.get(2)?,
                        environment: r.get(3)?,
                        status: r.get(4)?,
                        revoke_reason: r.get(5)?,
                        public_key_pem: r.get(6)?,
                        standing: r.get(7)?,
                    })
                })
            })
            .map(|row| Some(Arc::new(row)))
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(None),
                e => Err(reader_error(e)),
            })?;
        state.rows.insert(api_key.to_string(), row.clone());
        Ok(row)
    }
}

impl Engine {
    /// Validates a key pair the way Commerce Services do: the API key exists,
    /// is active, its account is in good standing, and `token` is an RS256
    /// JWT signed by the key's private key and not expired.
    pub async fn validate_entitlement(&self, api_key: &str, token: &str) -> Result<Entitlement> {
        let api_key = ApiKey::parse(api_key)?;
        let row = self
            .cache
            .status
            .lookup(&self.home.db_path(), api_key.as_str())?
            .ok_or_else(|| EngineError::UnknownApiKey(api_key.to_string()))?;
        let key_id = row.id.clone();
        let now_secs = self.now().unix_timestamp();
        let digest: [u8; 32] = Sha256::digest(token.as_bytes()).into();
        let remembered = read(&self.cache.verified).get(&digest).cloned();
        match remembered {
            // The same token verified before for this key: only its expiry can have changed.
            Some((id, exp)) if id == key_id => {
                if exp < now_secs - jwt::CLOCK_SKEW_SECS {
                    return Err(keyport_core::CoreError::JwtExpired.into());
                }
            }
            _ => {
                let public = self.public_key(&key_id, &row.public_key_pem)?;
                let claims = jwt::verify(token, &public, now_secs)?;
                let mut verified = write(&self.cache.verified);
                if verified.len() >= MAX_REMEMBERED_TOKENS {
                    verified.retain(|_, (_, exp)| *exp >= now_secs - jwt::CLOCK_SKEW_SECS);
                    if verified.len() >= MAX_REMEMBERED_TOKENS {
                        verified.clear();
                    }
                }
                verified.insert(digest, (key_id.clone(), claims.exp));
            }
        }
        // Only a holder of the private key learns the key's status (and the
        // revoke reason): the signature is checked first.
        if parse_column::<KeyStatus>(&row.status)? == KeyStatus::Revoked {
            let reason = row.revoke_reason.as_ref().map(|r| format!(" ({r})")).unwrap_or_default();
            return Err(EngineError::KeyRevoked(reason));
        }
        if parse_column::<Standing>(&row.standing)? == Standing::Suspended {
            return Err(EngineError::AccountSuspended);
        }
        self.record_validated(&key_id);
        Ok(Entitlement {
            environment: parse_column::<Environment>(&row.environment)?,
            account_id: row.account_id.clone(),
            label: row.label.clone(),
            key_id,
        })
    }

    fn public_key(&self, key_id: &str, pem: &str) -> Result<PublicKey> {
        if let Some(key) = read(&self.cache.public_keys).get(key_id) {
            return Ok(key.clone());
        }
        let key = PublicKey::from_pem(pem)?;
        write(&self.cache.public_keys).insert(key_id.to_string(), key.clone());
        Ok(key)
    }

    /// Notes "last validated" on the key, off the request path and at most
    /// every 30 s per key, so validation never queues behind the write lock.
    fn record_validated(&self, key_id: &str) {
        {
            let now = self.now();
            let mut last = self.cache.last_recorded.lock().unwrap_or_else(PoisonError::into_inner);
            if last.get(key_id).is_some_and(|at| now - *at < LAST_VALIDATED_EVERY) {
                return;
            }
            last.insert(key_id.to_string(), now);
        }
        let pool = self.pool.clone();
        let key_id = key_id.to_string();
        let at = self.timestamp();
        tokio::spawn(async move {
            let result = sqlx::query("UPDATE api_keys SET last_validated_at = ? WHERE id = ?")
                .bind(at)
                .bind(&key_id)
                .execute(&pool)
                .await;
            if let Err(e) = result {
                tracing::warn!("could not record last validation of {key_id}: {e}");
            }
        });
    }
}

pub(crate) type SharedValidationCache = Arc<ValidationCache>;
