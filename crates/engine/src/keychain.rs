//! The keychain entries a private key passes through, and their journal.
//!
//! Every entry is journaled (`keychain_journal`, by name only) before it is
//! written and unjournaled in the transaction that records it, so a crash
//! between the two can never leave a secret Keyport does not know about;
//! deletions the keychain refuses leave flags on the key. Both are settled
//! by `reconcile_keychain` (app start, `keyport doctor`).

use keyport_core::keys::SecretPem;
use sqlx::AssertSqlSafe;

use crate::Engine;
use crate::error::Result;

pub(crate) fn pending_entry(id: &str) -> String {
    format!("pending:{id}")
}

/// Where a key kept for the Connector lives in the keychain.
pub fn kept_entry(id: &str) -> String {
    format!("key:{id}")
}

impl Engine {
    /// Journals an entry inside a transaction that stops recording it (a
    /// replaced or removed instance key): the delete after the commit may
    /// not happen (crash, keychain refusal), and the journal remembers it.
    pub(crate) async fn journal(&self, conn: &mut sqlx::SqliteConnection, entry: &str, owner: &str) -> Result<()> {
        sqlx::query("INSERT OR REPLACE INTO keychain_journal (entry, key_id, created_at) VALUES (?, ?, ?)")
            .bind(entry)
            .bind(owner)
            .bind(self.timestamp())
            .execute(conn)
            .await?;
        Ok(())
    }

    /// Removes keychain entries that an interrupted or failed operation left
    /// behind: a pending entry of a key already delivered or revoked, a kept
    /// copy of a revoked key, and journaled entries (older than a minute, so
    /// operations still in flight are left alone) that no key claims.
    /// Returns how many were cleaned up.
    pub async fn reconcile_keychain(&self) -> Result<u32> {
        let flagged: Vec<(String, bool)> = sqlx::query_as(
            "SELECT id, 1 FROM api_keys WHERE pending_in_keychain = 1 AND (status = 'revoked' OR delivered_at IS NOT NULL)
             UNION ALL SELECT id, 0 FROM api_keys WHERE kept_in_keychain = 1 AND status = 'revoked'",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut cleaned = 0;
        for (id, pending) in flagged {
            let ok = if pending { self.forget_pending(&id).await } else { self.forget_kept(&id).await };
            cleaned += u32::from(ok);
        }
        let journaled: Vec<String> = sqlx::query_scalar("SELECT entry FROM keychain_journal WHERE created_at < ?")
            .bind(self.timestamp_ago(60))
            .fetch_all(&self.pool)
            .await?;
        for entry in journaled {
            // An entry a key still relies on is simply unjournaled.
            let claimed: Option<String> = sqlx::query_scalar(
                "SELECT id FROM api_keys WHERE status = 'active' AND
                    (('pending:' || id = ?1 AND pending_in_keychain = 1 AND delivered_at IS NULL) OR ('key:' || id = ?1 AND kept_in_keychain = 1))
                 UNION ALL SELECT instance_id FROM instance_keys WHERE keychain_entry = ?1
                 UNION ALL SELECT key FROM settings WHERE key = 'bundle_identity' AND 'identity:' || value = ?1",
            )
            .bind(&entry)
            .fetch_optional(&self.pool)
            .await?;
            if claimed.is_some() {
                sqlx::query("DELETE FROM keychain_journal WHERE entry = ?").bind(&entry).execute(&self.pool).await?;
            } else if self.drop_entry(&entry).await {
                cleaned += 1;
            }
        }
        Ok(cleaned)
    }

    /// Stores a secret, journaled first: the entry stays findable whatever
    /// happens next, until the transaction that records it unjournals it.
    pub(crate) async fn store_journaled(&self, entry: &str, key_id: &str, secret: &SecretPem) -> Result<()> {
        sqlx::query("INSERT OR REPLACE INTO keychain_journal (entry, key_id, created_at) VALUES (?, ?, ?)")
            .bind(entry)
            .bind(key_id)
            .bind(self.timestamp())
            .execute(&self.pool)
            .await?;
        if let Err(e) = self.secrets.store(entry, secret).await {
            self.drop_entry(entry).await;
            return Err(e);
        }
        Ok(())
    }

    /// Deletes a journaled entry that nothing records; when the keychain
    /// refuses, the journal keeps it for `reconcile_keychain`.
    pub(crate) async fn drop_entry(&self, entry: &str) -> bool {
        match self.secrets.delete(entry).await {
            Ok(_) => sqlx::query("DELETE FROM keychain_journal WHERE entry = ?")
                .bind(entry)
                .execute(&self.pool)
                .await
                .is_ok(),
            Err(e) => {
                tracing::warn!(code = %e.code(), "could not remove keychain entry {entry}: {e}");
                false
            }
        }
    }

    /// Deletes the pending keychain entry; true once it is gone.
    pub(crate) async fn forget_pending(&self, id: &str) -> bool {
        self.forget(id, &pending_entry(id), "pending_in_keychain").await
    }

    pub(crate) async fn forget_kept(&self, id: &str) -> bool {
        self.forget(id, &kept_entry(id), "kept_in_keychain").await
    }

    async fn forget(&self, id: &str, entry: &str, flag: &str) -> bool {
        match self.secrets.delete(entry).await {
            Ok(_) => {
                let cleared = sqlx::query(AssertSqlSafe(format!("UPDATE api_keys SET {flag} = 0 WHERE id = ?")))
                    .bind(id)
                    .execute(&self.pool)
                    .await;
                cleared.is_ok()
            }
            Err(e) => {
                // Left for reconcile_keychain on a later start.
                tracing::warn!(code = %e.code(), "could not remove keychain entry {entry}: {e}");
                false
            }
        }
    }
}
