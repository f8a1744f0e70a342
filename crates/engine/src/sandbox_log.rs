//! The local sandbox's request log, kept in SQLite so the app shows it even
//! when the sandbox runs in another process (`keyport sandbox serve`).

use keyport_core::ErrorCode;
use keyport_core::text::for_log;

use std::time::Duration;

use crate::Engine;
use crate::error::{EngineError, Result};
use crate::model::{SandboxRequest, SandboxRequestRecord};

/// The log keeps the newest requests only.
pub const SANDBOX_LOG_ROWS: i64 = 10_000;

/// Writes the sandbox's request log on a SQLite connection of its own, on
/// the caller's thread (the sandbox gives it one): a batch is one
/// transaction of prepared inserts, about a microsecond per row, where a
/// trip through sqlx's worker per row cost more than the request itself.
pub struct SandboxLogWriter {
    conn: rusqlite::Connection,
}

fn log_error(e: rusqlite::Error) -> EngineError {
    EngineError::Database(format!("sandbox request log: {e}"))
}

impl Engine {
    /// A writer for the sandbox's request log (see [`SandboxLogWriter`]).
    pub fn sandbox_log_writer(&self) -> Result<SandboxLogWriter> {
        let conn = rusqlite::Connection::open_with_flags(
            self.home.db_path(),
            rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(log_error)?;
        conn.busy_timeout(Duration::from_secs(15)).map_err(log_error)?;
        // A log row lost to a power loss is harmless, so this connection does
        // not wait for fsync; every other connection's commits stay FULL
        // (synchronous is per connection).
        conn.pragma_update(None, "synchronous", "NORMAL").map_err(log_error)?;
        Ok(SandboxLogWriter { conn })
    }
}

impl SandboxLogWriter {
    /// Stores a batch of requests in one transaction and trims the log to
    /// its newest [`SANDBOX_LOG_ROWS`].
    pub fn write(&mut self, batch: &[SandboxRequestRecord]) -> Result<()> {
        if batch.is_empty() {
            return Ok(());
        }
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(log_error)?;
        {
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO sandbox_requests (at, method, path, key_id, key_label, account_id, status, code, duration_us)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                )
                .map_err(log_error)?;
            for r in batch {
                let e = r.entitlement.as_ref();
                insert
                    .execute(rusqlite::params![
                        r.at,
                        r.method,
                        r.path,
                        e.map(|e| &e.key_id),
                        e.map(|e| &e.label),
                        e.map(|e| &e.account_id),
                        r.status,
                        r.code.map(|c| c.as_str()),
                        r.duration_us,
                    ])
                    .map_err(log_error)?;
            }
        }
        tx.execute(
            "DELETE FROM sandbox_requests WHERE id <= (SELECT max(id) FROM sandbox_requests) - ?",
            [SANDBOX_LOG_ROWS],
        )
        .map_err(log_error)?;
        tx.commit().map_err(log_error)
    }
}

impl Engine {
    /// The newest `limit` requests, newest first.
    pub async fn sandbox_requests(&self, limit: u32) -> Result<Vec<SandboxRequest>> {
        let rows: Vec<RequestRow> = sqlx::query_as(
            "SELECT id, at, method, path, key_label, status, code, duration_us FROM sandbox_requests ORDER BY id DESC LIMIT ?",
        )
        .bind(limit.min(SANDBOX_LOG_ROWS as u32))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| SandboxRequest {
                id: r.id,
                at: r.at,
                // Rows an older Keyport wrote were not cut or cleaned.
                method: for_log(&r.method, 16),
                path: for_log(&r.path, 200),
                key_label: r.key_label.as_deref().map(|l| for_log(l, 64)),
                status: r.status,
                // A code an older or newer Keyport wrote and this one does not know is left out.
                code: r.code.as_deref().and_then(ErrorCode::parse),
                duration_us: r.duration_us,
            })
            .collect())
    }
}

#[derive(sqlx::FromRow)]
struct RequestRow {
    id: i64,
    at: String,
    method: String,
    path: String,
    key_label: Option<String>,
    status: u16,
    code: Option<String>,
    duration_us: i64,
}
