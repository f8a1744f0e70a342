//! The activity log: one line per state change, written in the change's own
//! transaction so the log never claims what did not happen.

use sqlx::{Row, SqliteConnection};

use crate::error::Result;
use crate::model::ActivityEntry;
use crate::{Engine, now};

pub(crate) async fn record(
    conn: &mut SqliteConnection,
    account_id: Option<&str>,
    action: &str,
    detail: &str,
) -> Result<()> {
    sqlx::query("INSERT INTO activity (at, account_id, action, detail) VALUES (?, ?, ?, ?)")
        .bind(now())
        .bind(account_id)
        .bind(action)
        .bind(detail)
        .execute(conn)
        .await?;
    Ok(())
}

impl Engine {
    /// The newest `limit` entries, optionally for one account, newest first.
    pub async fn activity(&self, account_id: Option<&str>, limit: u32) -> Result<Vec<ActivityEntry>> {
        let rows = sqlx::query(
            "SELECT id, at, account_id, action, detail FROM activity
             WHERE ?1 IS NULL OR account_id = ?1 ORDER BY id DESC LIMIT ?2",
        )
        .bind(account_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| ActivityEntry {
                id: r.get("id"),
                at: r.get("at"),
                account_id: r.get("account_id"),
                action: r.get("action"),
                detail: r.get("detail"),
            })
            .collect())
    }
}
