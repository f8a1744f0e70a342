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
//! id, and tokens already verified (by their exact text, until they expire). Caches are
//! read-mostly `RwLock`s, so concurrent requests verify in parallel.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::Duration;

use keyport_core::keys::PublicKey;
use keyport_core::{ApiKey, Environment, KeyStatus, Standing, jwt};

use crate::Engine;
use crate::error::{EngineError, Result};
use crate::home::Home;
use crate::model::Entitlement;
use crate::rows::parse_column;

/// Verified tokens remembered at most (a bound on memory — about 1 KB a
/// token — not on correctness).
const MAX_REMEMBERED_TOKENS: usize = 20_000;
/// "Last validated" is written at most this often per key.
const LAST_VALIDATED_EVERY: time::Duration = time::Duration::seconds(30);

/// Tokens whose signature verified → (key id, exp). Keyed by the whole
/// token, so a hit is an exact match (no digest to trust).
type VerifiedTokens = HashMap<Box<str>, (Arc<str>, i64)>;

#[derive(Default)]
pub(crate) struct ValidationCache {
    public_keys: RwLock<HashMap<String, PublicKey>>,
    verified: RwLock<VerifiedTokens>,
    last_recorded: Mutex<HashMap<Arc<str>, time::OffsetDateTime>>,
    status: StatusReader,
}

/// What validation reads of a key on every request.
struct KeyCheckRow {
    /// Who the key belongs to, built once per read and shared by every
    /// request it admits.
    entitlement: Arc<Entitlement>,
    key_id: Arc<str>,
    status: KeyStatus,
    revoke_reason: Option<String>,
    public_key_pem: String,
    standing: Standing,
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

/// A row as SQLite gives it, before its enums are parsed.
type RawRow = (String, String, String, String, String, Option<String>, String, String);

fn key_check_row(raw: RawRow) -> Result<KeyCheckRow> {
    let (id, account_id, label, environment, status, revoke_reason, public_key_pem, standing) = raw;
    let key_id: Arc<str> = id.as_str().into();
    Ok(KeyCheckRow {
        entitlement: Arc::new(Entitlement {
            key_id: id,
            account_id,
            label,
            environment: parse_column::<Environment>(&environment)?,
        }),
        key_id,
        status: parse_column(&status)?,
        revoke_reason,
        public_key_pem,
        standing: parse_column(&standing)?,
    })
}

impl StatusReader {
    /// The row of `api_key` as typed (a key is parsed, and a malformed one
    /// refused, only when its exact text is not already known).
    fn lookup(&self, home: &Home, api_key: &str) -> Result<Option<Arc<KeyCheckRow>>> {
        let mut guard = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let state = match &mut *guard {
            Some(state) => state,
            empty => {
                let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
                let conn = rusqlite::Connection::open_with_flags(home.db_path(), flags).map_err(reader_error)?;
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
        let api_key = ApiKey::parse(api_key)?;
        if let Some(row) = state.rows.get(api_key.as_str()) {
            return Ok(row.clone());
        }
        let raw = state
            .conn
            .prepare_cached(KEY_CHECK_SQL)
            .and_then(|mut q| {
                q.query_row([api_key.as_str()], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?))
                })
            })
            .map(Some)
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(None),
                e => Err(reader_error(e)),
            })?;
        let row = raw.map(key_check_row).transpose()?.map(Arc::new);
        state.rows.insert(api_key.as_str().to_string(), row.clone());
        Ok(row)
    }
}

impl Engine {
    /// Validates a key pair the way Commerce Services do: the API key exists,
    /// is active, its account is in good standing, and `token` is an RS256
    /// JWT signed by the key's private key and not expired.
    pub async fn validate_entitlement(&self, api_key: &str, token: &str) -> Result<Arc<Entitlement>> {
        let api_key = api_key.trim();
        let row = self
            .cache
            .status
            .lookup(&self.home, api_key)?
            .ok_or_else(|| EngineError::UnknownApiKey(api_key.chars().take(60).collect()))?;
        let now = self.now();
        let now_secs = now.unix_timestamp();
        let remembered = read(&self.cache.verified).get(token).map(|(id, exp)| (*id == row.key_id, *exp));
        match remembered {
            // The same token verified before for this key: only its expiry can have changed.
            Some((true, exp)) => {
                if exp < now_secs - jwt::CLOCK_SKEW_SECS {
                    return Err(keyport_core::CoreError::JwtExpired.into());
                }
            }
            _ => {
                let public = self.public_key(&row.entitlement.key_id, &row.public_key_pem)?;
                let claims = jwt::verify(token, &public, now_secs)?;
                let mut verified = write(&self.cache.verified);
                if verified.len() >= MAX_REMEMBERED_TOKENS {
                    verified.retain(|_, (_, exp)| *exp >= now_secs - jwt::CLOCK_SKEW_SECS);
                    if verified.len() >= MAX_REMEMBERED_TOKENS {
                        verified.clear();
                    }
                }
                verified.insert(token.into(), (Arc::clone(&row.key_id), claims.exp));
            }
        }
        // Only a holder of the private key learns the key's status (and the
        // revoke reason): the signature is checked first.
        if row.status == KeyStatus::Revoked {
            let reason = row.revoke_reason.as_ref().map(|r| format!(" ({r})")).unwrap_or_default();
            return Err(EngineError::KeyRevoked(reason));
        }
        if row.standing == Standing::Suspended {
            return Err(EngineError::AccountSuspended);
        }
        self.record_validated(&row.key_id, now);
        Ok(Arc::clone(&row.entitlement))
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
    fn record_validated(&self, key_id: &Arc<str>, now: time::OffsetDateTime) {
        {
            let mut last = self.cache.last_recorded.lock().unwrap_or_else(PoisonError::into_inner);
            if last.get(key_id).is_some_and(|at| now - *at < LAST_VALIDATED_EVERY) {
                return;
            }
            last.insert(Arc::clone(key_id), now);
        }
        let pool = self.pool.clone();
        let key_id = key_id.to_string();
        let at = crate::clock::format_timestamp(now);
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
