//! The activity log: one line per state change, written in the change's own
//! transaction so the log never claims what did not happen.

use sqlx::SqliteConnection;

use crate::Engine;
use crate::error::Result;
use crate::model::ActivityEntry;

impl Engine {
    /// Writes one activity line on `conn` (the change's own transaction).
    pub(crate) async fn record(
        &self,
        conn: &mut SqliteConnection,
        account_id: Option<&str>,
        action: &str,
        detail: &str,
    ) -> Result<()> {
        sqlx::query("INSERT INTO activity (at, account_id, action, detail) VALUES (?, ?, ?, ?)")
            .bind(self.timestamp())
            .bind(account_id)
            .bind(action)
            .bind(detail)
            .execute(conn)
            .await?;
        Ok(())
    }

    /// The newest `limit` entries, optionally for one account, newest first.
    pub async fn activity(&self, account_id: Option<&str>, limit: u32) -> Result<Vec<ActivityEntry>> {
        Ok(sqlx::query_as::<_, ActivityEntry>(
            "SELECT id, at, account_id, action, detail FROM activity
             WHERE ?1 IS NULL OR account_id = ?1 ORDER BY id DESC LIMIT ?2",
        )
        .bind(account_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }
}
