//! Keyport's use cases over real storage: SQLite (through sqlx, migrations
//! embedded) for everything public, the OS keychain for secrets. The GUI,
//! the CLI and the sandbox are thin shells over [`Engine`].

mod accounts;
mod activity;
mod bindings;
mod entitlement;
pub mod error;
mod files;
pub mod gateway;
pub mod home;
mod keypool;
mod keys;
pub mod model;
mod names;
mod projects;
mod sandbox_log;
pub mod secrets;

use sqlx::SqlitePool;
use sqlx::pool::PoolConnection;
use sqlx::{Sqlite, Transaction};

pub use bindings::export_bindings;
pub use error::{EngineError, ErrorBody, Result};
pub use home::Home;
pub use keypool::KeyPool;
pub use keyport_core as core;
pub use keys::{DISCARDED_REASON, kept_entry};
pub use sandbox_log::SANDBOX_LOG_ROWS;
pub use secrets::{KeychainStatus, Secrets};

/// An open Keyport home. Cheap to clone: clones share one connection pool.
#[derive(Clone)]
pub struct Engine {
    home: Home,
    pool: SqlitePool,
    secrets: Secrets,
    /// Pre-generated key pairs (the app's); `None` generates on demand.
    keypool: Option<KeyPool>,
    /// What entitlement validation may remember (public keys, verified tokens).
    cache: entitlement::SharedValidationCache,
}

impl Engine {
    /// Opens the home's database, creating and migrating it as needed.
    pub async fn open(home: Home) -> Result<Engine> {
        let pool = home.open_db().await?;
        let home_id = home::setting(&pool, "home_id")
            .await?
            .ok_or_else(|| EngineError::Database("the home has no id (settings.home_id)".into()))?;
        let secrets = Secrets::new(&home_id);
        Ok(Engine { home, pool, secrets, keypool: None, cache: Default::default() })
    }

    /// Keeps one pre-generated key pair per size ready in memory, so
    /// creating a key does not wait for RSA generation.
    pub fn with_key_pool(mut self) -> Engine {
        self.keypool = Some(KeyPool::start());
        self
    }

    pub fn home(&self) -> &Home {
        &self.home
    }

    pub fn secrets(&self) -> &Secrets {
        &self.secrets
    }

    /// Waits for pending writes and closes the database.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Starts a write transaction that takes SQLite's write lock at once, so
    /// concurrent writers queue on the busy timeout instead of failing when
    /// a read turns into a write.
    pub(crate) async fn begin_write(&self) -> Result<Transaction<'static, Sqlite>> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    #[allow(dead_code)]
    pub(crate) async fn conn(&self) -> Result<PoolConnection<Sqlite>> {
        Ok(self.pool.acquire().await?)
    }
}

/// Now, in UTC, as RFC 3339 with milliseconds: sorts as text, reads as a date.
/// Every timestamp Keyport stores has this form.
pub fn timestamp() -> String {
    now()
}

/// The timestamp `seconds` ago, for comparisons with stored timestamps.
pub(crate) fn timestamp_ago(seconds: i64) -> String {
    format_timestamp(time::OffsetDateTime::now_utc() - time::Duration::seconds(seconds))
}

pub(crate) fn now() -> String {
    format_timestamp(time::OffsetDateTime::now_utc())
}

fn format_timestamp(at: time::OffsetDateTime) -> String {
    let format =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
    at.format(&format).expect("UTC time always formats")
}
