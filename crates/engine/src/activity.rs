//! The activity log: one line per state change, written in the change's own
//! transaction so the log never claims what did not happen.

use sqlx::SqliteConnection;

use crate::Engine;
use crate::error::Result;
use crate::model::{ActivityEntry, ActivityPage};

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
    /// A page of the log, newest first: of one account, or of all. Each
    /// form has its own statement so SQLite walks an index (the primary
    /// key, or `activity_by_account`) instead of filtering the whole log.
    pub async fn activity(&self, account_id: Option<&str>, limit: u32, offset: u32) -> Result<ActivityPage> {
        let mut conn = self.pool.acquire().await?;
        let (entries, total): (Vec<ActivityEntry>, i64) = match account_id {
            Some(account) => (
                sqlx::query_as(
                    "SELECT id, at, account_id, action, detail FROM activity
                     WHERE account_id = ?1 ORDER BY id DESC LIMIT ?2 OFFSET ?3",
                )
                .bind(account)
                .bind(limit)
                .bind(offset)
                .fetch_all(&mut *conn)
                .await?,
                sqlx::query_scalar("SELECT count(*) FROM activity WHERE account_id = ?")
                    .bind(account)
                    .fetch_one(&mut *conn)
                    .await?,
            ),
            None => (
                sqlx::query_as(
                    "SELECT id, at, account_id, action, detail FROM activity ORDER BY id DESC LIMIT ?1 OFFSET ?2",
                )
                .bind(limit)
                .bind(offset)
                .fetch_all(&mut *conn)
                .await?,
                sqlx::query_scalar("SELECT count(*) FROM activity").fetch_one(&mut *conn).await?,
            ),
        };
        Ok(ActivityPage { entries, total: u32::try_from(total).unwrap_or(u32::MAX) })
    }
}
