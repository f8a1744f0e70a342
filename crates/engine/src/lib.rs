//! Keyport's use cases over real storage: SQLite (through sqlx, migrations
//! embedded) for everything public, the OS keychain for secrets. The GUI,
//! the CLI and the sandbox are thin shells over [`Engine`].

// A panic on user data is a bug: unwrap/expect are denied outside tests, and
// each remaining expect states the invariant that makes it unreachable.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

mod accounts;
mod activity;
mod bundles;
pub mod clock;
mod connector;
mod delivery;
pub mod doctor;
mod entitlement;
pub mod error;
mod file_journal;
mod files;
pub mod gateway;
pub mod home;
mod instances;
mod keychain;
mod keypool;
mod keys;
pub mod model;
mod names;
mod projects;
mod rows;
mod sandbox_log;
mod scopes;
pub mod secrets;
pub mod served;

use std::sync::{Arc, OnceLock, RwLock};

use sqlx::SqlitePool;
use sqlx::{Sqlite, Transaction};

pub use bundles::OpenedBundle;
pub use clock::{Clock, ManualClock, SystemClock};
pub use error::{EngineError, Result};
pub use home::Home;
pub use keychain::kept_entry;
pub use keypool::KeyPool;
pub use keyport_core as core;
pub use keyport_core::{ErrorBody, ErrorCode};
pub use keys::DISCARDED_REASON;
pub use sandbox_log::{SANDBOX_LOG_ROWS, SandboxLogWriter};
pub use secrets::{KeychainStatus, Secrets};

/// An open Keyport home. Cheap to clone: clones share one connection pool.
#[derive(Clone)]
pub struct Engine {
    home: Home,
    pool: SqlitePool,
    secrets: Secrets,
    clock: Arc<dyn Clock>,
    /// Pre-generated key pairs (the app's, once started); empty generates
    /// on demand. Shared by clones, so a pool started later serves them all.
    keypool: Arc<OnceLock<KeyPool>>,
    /// What entitlement validation may remember (public keys, verified tokens).
    cache: entitlement::SharedValidationCache,
    /// This process's Keyport sandbox, the gateway of `keyport` instances.
    local_gateway: Arc<RwLock<Option<String>>>,
}

impl Engine {
    /// Opens the home's database, creating and migrating it as needed.
    pub async fn open(home: Home) -> Result<Engine> {
        let pool = home.open_db().await?;
        let home_id = home::setting(&pool, "home_id")
            .await?
            .ok_or_else(|| EngineError::Database("the home has no id (settings.home_id)".into()))?;
        let secrets = Secrets::new(&home_id);
        Ok(Engine {
            home,
            pool,
            secrets,
            clock: Arc::new(SystemClock),
            keypool: Arc::default(),
            cache: Default::default(),
            local_gateway: Default::default(),
        })
    }

    /// Keeps one pre-generated key pair per size ready in memory, so
    /// creating a key does not wait for RSA generation.
    pub fn with_key_pool(self) -> Engine {
        self.start_key_pool();
        self
    }

    /// Starts the key pool now (the app does once its first page is
    /// painted), on a low-priority thread; a second call does nothing.
    pub fn start_key_pool(&self) {
        if self.keypool.get().is_none()
            && let Some(pool) = KeyPool::start()
        {
            let _ = self.keypool.set(pool);
        }
    }

    /// Takes time from `clock` instead of the system's (tests).
    pub fn with_clock(mut self, clock: impl Clock + 'static) -> Engine {
        self.clock = Arc::new(clock);
        self
    }

    pub fn home(&self) -> &Home {
        &self.home
    }

    pub fn secrets(&self) -> &Secrets {
        &self.secrets
    }

    /// The engine's clock (for clients that sign tokens).
    pub fn clock(&self) -> Arc<dyn Clock> {
        Arc::clone(&self.clock)
    }

    /// Now, by the engine's clock.
    pub fn now(&self) -> time::OffsetDateTime {
        self.clock.now()
    }

    /// Now as a stored timestamp (see [`clock::format_timestamp`]).
    pub fn timestamp(&self) -> String {
        clock::format_timestamp(self.clock.now())
    }

    /// The stored timestamp of `seconds` ago, for "older than" comparisons.
    pub(crate) fn timestamp_ago(&self, seconds: i64) -> String {
        clock::format_timestamp(self.clock.now() - time::Duration::seconds(seconds))
    }

    /// How SQLite keeps the database, as `keyport doctor` shows it: the
    /// journal mode and the synchronous level (`wal`, `full`).
    pub async fn durability(&self) -> Result<(String, String)> {
        let mut conn = self.pool.acquire().await?;
        let journal: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&mut *conn).await?;
        let level: i64 = sqlx::query_scalar("PRAGMA synchronous").fetch_one(&mut *conn).await?;
        let level = match level {
            0 => "off",
            1 => "normal",
            2 => "full",
            _ => "extra",
        };
        Ok((journal, level.to_string()))
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
}
