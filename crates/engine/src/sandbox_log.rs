//! The local sandbox's request log, kept in SQLite so the app shows it even
//! when the sandbox runs in another process (`keyport sandbox serve`).

use keyport_core::ErrorCode;
use keyport_core::text::for_log;

use crate::Engine;
use crate::error::Result;
use crate::model::{SandboxRequest, SandboxRequestRecord};

/// The log keeps the newest requests only.
pub const SANDBOX_LOG_ROWS: i64 = 10_000;

impl Engine {
    /// Stores a batch of requests in one transaction and trims the log.
    pub async fn record_sandbox_requests(&self, batch: &[SandboxRequestRecord]) -> Result<()> {
        if batch.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        for r in batch {
            let (key_id, key_label, account_id) = match &r.entitlement {
                Some(e) => (Some(e.key_id.as_str()), Some(e.label.as_str()), Some(e.account_id.as_str())),
                None => (None, None, None),
            };
            sqlx::query(
                "INSERT INTO sandbox_requests (at, method, path, key_id, key_label, account_id, status, code, duration_us)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(&r.at)
            .bind(&r.method)
            .bind(&r.path)
            .bind(key_id)
            .bind(key_label)
            .bind(account_id)
            .bind(i64::from(r.status))
            .bind(r.code.map(|c| c.as_str()))
            .bind(r.duration_us)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("DELETE FROM sandbox_requests WHERE id <= (SELECT max(id) FROM sandbox_requests) - ?")
            .bind(SANDBOX_LOG_ROWS)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

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
