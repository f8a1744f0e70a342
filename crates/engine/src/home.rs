//! The Keyport home: the folder holding `keyport.db`.

use std::fs::File;
use std::io::{ErrorKind, Read};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use crate::error::{EngineError, Result};

pub const HOME_ENV: &str = "KEYPORT_HOME";
const DB_FILE: &str = "keyport.db";
const LOCK_FILE: &str = "keyport.lock";
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";
const APPLICATION_ID: i64 = 0x4B50_5254; // "KPRT", set by the first migration

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Home {
    root: PathBuf,
}

impl Home {
    /// The home to use: `explicit` (the CLI's `--home`, the app's
    /// `--home`), else `$KEYPORT_HOME`, else the OS data folder
    /// (`~/.local/share/keyport` on Linux). A home named explicitly must
    /// exist — a typo should not silently start an empty Keyport — while the
    /// default one is created on first use.
    pub fn resolve(explicit: Option<PathBuf>) -> Result<Home> {
        let named = explicit.or_else(|| std::env::var_os(HOME_ENV).filter(|v| !v.is_empty()).map(PathBuf::from));
        match named {
            Some(root) => Home::existing(root),
            None => {
                let root = dirs::data_dir()
                    .ok_or_else(|| EngineError::HomeMissing(PathBuf::from("~/.local/share/keyport")))?
                    .join("keyport");
                // Only its owner may list or open what Keyport keeps (0700);
                // a default home an older Keyport made 0755 is tightened.
                std::fs::DirBuilder::new().recursive(true).mode(0o700).create(&root).map_err(|e| match e.kind() {
                    ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => {
                        EngineError::HomeNotWritable(root.clone())
                    }
                    _ => EngineError::io(format!("Cannot create {}", root.display()), e),
                })?;
                std::fs::set_permissions(&root, std::fs::Permissions::from_mode(0o700))
                    .map_err(|e| EngineError::io(format!("Cannot restrict {}", root.display()), e))?;
                Home::existing(root)
            }
        }
    }

    /// A home that must already exist.
    pub fn existing(root: impl Into<PathBuf>) -> Result<Home> {
        let root: PathBuf = root.into();
        match std::fs::metadata(&root) {
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => return Err(EngineError::HomeNotADirectory(root)),
            Err(e) if e.kind() == ErrorKind::NotFound => return Err(EngineError::HomeMissing(root)),
            Err(e) => return Err(EngineError::io(format!("Cannot read {}", root.display()), e)),
        }
        let root = root.canonicalize().map_err(|e| EngineError::io("Cannot resolve the home path", e))?;
        Ok(Home { root })
    }

    pub fn path(&self) -> &Path {
        &self.root
    }

    pub fn db_path(&self) -> PathBuf {
        self.root.join(DB_FILE)
    }

    /// Opens (creating if needed) and migrates the database. Concurrent
    /// openers in other processes wait on a file lock, so two of them never
    /// apply the same migration at once; after that, SQLite's WAL mode and
    /// busy timeout let them share the file safely.
    pub(crate) async fn open_db(&self) -> Result<SqlitePool> {
        self.ensure_writable()?;
        let db = self.db_path();
        check_sqlite_header(&db)?;

        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .mode(0o600)
            .open(self.root.join(LOCK_FILE))
            .map_err(|e| self.write_error(e))?;
        let lock = tokio::task::spawn_blocking(move || lock.lock().map(|_| lock))
            .await
            .map_err(|e| EngineError::io("Cannot lock the Keyport home", std::io::Error::other(e)))?
            .map_err(|e| EngineError::io("Cannot lock the Keyport home", e))?;

        refuse_foreign_db(&db).await?;
        private_file(&db)?;
        let options = SqliteConnectOptions::new()
            .filename(&db)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: a commit (a revoke above all) survives a power loss
            // before the keychain copies it made obsolete are deleted.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(15));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            // A connection to a local file cannot go stale; sqlx's ping
            // before each use was one more trip to SQLite's thread per call.
            .test_before_acquire(false)
            .connect_with(options)
            .await
            .map_err(|e| map_open_error(&db, e))?;

        // Migrations commit without waiting for fsync (a fresh home runs
        // all of them at its first start): one lost to a power loss is run
        // again at the next start, and the next FULL commit makes the
        // earlier ones durable too.
        let mut conn = pool.acquire().await.map_err(|e| map_open_error(&db, e))?;
        sqlx::query("PRAGMA synchronous = NORMAL").execute(&mut *conn).await?;
        let migrated = MIGRATOR.run_direct(None, &mut *conn, false).await;
        sqlx::query("PRAGMA synchronous = FULL").execute(&mut *conn).await?;
        drop(conn);
        migrated.map_err(|e| match e {
            sqlx::migrate::MigrateError::VersionMissing(_) => EngineError::DatabaseTooNew(db.clone()),
            sqlx::migrate::MigrateError::Execute(inner) => map_open_error(&db, inner),
            other => EngineError::Database(other.to_string()),
        })?;
        crate::names::refold(&pool).await?;
        drop(lock); // closing the file releases the lock
        Ok(pool)
    }

    /// Fails early, with a clear error, where SQLite would fail later and
    /// vaguely ("unable to open database file").
    fn ensure_writable(&self) -> Result<()> {
        tempfile::Builder::new()
            .prefix(".keyport-probe")
            .tempfile_in(&self.root)
            .map(drop)
            .map_err(|e| self.write_error(e))
    }

    fn write_error(&self, e: std::io::Error) -> EngineError {
        match e.kind() {
            ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => {
                EngineError::HomeNotWritable(self.root.clone())
            }
            _ => EngineError::io(format!("Cannot write in {}", self.root.display()), e),
        }
    }
}

/// `keyport.db` readable by its owner only (0600), created so before SQLite
/// opens it; SQLite gives its `-wal` and `-shm` files the same mode. A
/// database an older Keyport created 0644 is tightened.
fn private_file(db: &Path) -> Result<()> {
    match File::options().write(true).create_new(true).mode(0o600).open(db) {
        Ok(_) => return Ok(()),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
        Err(e) => return Err(EngineError::io(format!("Cannot create {}", db.display()), e)),
    }
    let meta = std::fs::metadata(db).map_err(|e| EngineError::io(format!("Cannot read {}", db.display()), e))?;
    if meta.is_file() && meta.permissions().mode() & 0o077 != 0 {
        std::fs::set_permissions(db, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| EngineError::io(format!("Cannot restrict {}", db.display()), e))?;
    }
    Ok(())
}

/// An existing non-empty `keyport.db` must start with SQLite's magic header;
/// anything else is refused before SQLite ever opens (and could change) it.
fn check_sqlite_header(db: &Path) -> Result<()> {
    let mut file = match File::open(db) {
        Ok(f) => f,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(EngineError::io(format!("Cannot read {}", db.display()), e)),
    };
    let mut header = [0u8; 16];
    let mut read = 0;
    while read < header.len() {
        match file.read(&mut header[read..]) {
            Ok(0) => break,
            Ok(n) => read += n,
            Err(e) => return Err(EngineError::io(format!("Cannot read {}", db.display()), e)),
        }
    }
    if read == 0 || &header == SQLITE_MAGIC { Ok(()) } else { Err(EngineError::DatabaseCorrupt(db.to_path_buf())) }
}

/// A non-empty SQLite file at `keyport.db` that Keyport did not create (no
/// Keyport application id, yet tables) belongs to someone else. Checked on a
/// read-only connection, because opening for writing in WAL mode would
/// already change the file's header.
async fn refuse_foreign_db(db: &Path) -> Result<()> {
    if std::fs::metadata(db).map(|m| m.len() == 0).unwrap_or(true) {
        return Ok(());
    }
    let options = SqliteConnectOptions::new().filename(db).read_only(true);
    let mut conn = sqlx::ConnectOptions::connect(&options).await.map_err(|e| map_open_error(db, e))?;
    let app_id: i64 =
        sqlx::query_scalar("PRAGMA application_id").fetch_one(&mut conn).await.map_err(|e| map_open_error(db, e))?;
    let tables: i64 = sqlx::query_scalar("SELECT count(*) FROM sqlite_master")
        .fetch_one(&mut conn)
        .await
        .map_err(|e| map_open_error(db, e))?;
    let _ = sqlx::Connection::close(conn).await;
    if app_id == APPLICATION_ID || (app_id == 0 && tables == 0) {
        Ok(())
    } else {
        Err(EngineError::DatabaseForeign(db.to_path_buf()))
    }
}

fn map_open_error(db: &Path, e: sqlx::Error) -> EngineError {
    // SQLITE_CORRUPT (11) and SQLITE_NOTADB (26), possibly extended.
    if let sqlx::Error::Database(dbe) = &e
        && let Some(code) = dbe.code().and_then(|c| c.parse::<i64>().ok())
        && matches!(code & 0xff, 11 | 26)
    {
        return EngineError::DatabaseCorrupt(db.to_path_buf());
    }
    EngineError::Database(e.to_string())
}

/// Reads one value from the `settings` table.
pub(crate) async fn setting(pool: &SqlitePool, key: &str) -> Result<Option<String>> {
    Ok(sqlx::query_scalar("SELECT value FROM settings WHERE key = ?").bind(key).fetch_optional(pool).await?)
}
