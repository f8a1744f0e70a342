//! API key pairs: generation, the one-time private-key download, labels,
//! revocation and the key list.
//!
//! The one-time download is crash-safe: between "Add New" and the completed
//! download the private key waits in the OS keychain as `pending:<id>`, so a
//! crash or power loss does not lose it and the app resumes the prompt on
//! its next start. The database never sees it.

use std::path::{Path, PathBuf};

use keyport_core::keys::{KeyPair, PublicKey, SecretPem, check_key_size};
use keyport_core::text::{clean, fold};
use keyport_core::{ApiKey, Environment, Field, KeyStatus};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};
use zeroize::Zeroizing;

use crate::accounts::{parse_column, resolve};
use crate::error::{EngineError, Result};
use crate::files::{PreparedFile, check_destination, prepare_private_file};
use crate::model::{ApiKeyInfo, Delivery, KeyPage, KeyQuery, KeySizeStatus, NewKey};
use crate::{Engine, activity, now};

/// The reason recorded when the user discards a key instead of saving it.
pub const DISCARDED_REASON: &str = "private key discarded";

fn pending_entry(id: &str) -> String {
    format!("pending:{id}")
}

/// Where a key kept for the Connector lives in the keychain.
pub fn kept_entry(id: &str) -> String {
    format!("key:{id}")
}

struct Generated {
    id: String,
    api_key: ApiKey,
    pair: KeyPair,
}

impl Engine {
    /// Key sizes and whether a pre-generated pair of each is waiting.
    pub fn key_sizes(&self) -> Vec<KeySizeStatus> {
        keyport_core::keys::KEY_SIZES
            .iter()
            .map(|&bits| KeySizeStatus {
                bits,
                ready: self.keypool.as_ref().is_some_and(|p| p.is_ready(bits)),
                default: bits == keyport_core::keys::DEFAULT_KEY_SIZE,
            })
            .collect()
    }

    /// Creates a key pair whose private key waits in the keychain for its
    /// one-time download (`deliver_private_key`).
    pub async fn create_key(&self, account: &str, input: NewKey) -> Result<ApiKeyInfo> {
        let (account_id, label, bits) = self.check_new_key(account, &input).await?;
        let generated = self.generate(input.environment, bits).await?;
        let pending = pending_entry(&generated.id);
        // Keychain first: if it refuses, nothing was recorded.
        self.store_journaled(&pending, &generated.id, &generated.pair.private_pem()).await?;
        if let Err(e) = self.insert_key(&account_id, input.environment, &label, &generated, None, &[&pending]).await {
            self.drop_entry(&pending).await;
            return Err(e);
        }
        self.key(&generated.id).await
    }

    /// Creates a key pair and saves its private key straight to `dest` (the
    /// CLI's `key create --out`): on any failure nothing is recorded and no
    /// file is left behind.
    pub async fn create_key_to_file(&self, account: &str, input: NewKey, dest: &Path, keep: bool) -> Result<Delivery> {
        let (account_id, label, bits) = self.check_new_key(account, &input).await?;
        check_destination(dest, false)?;
        let generated = self.generate(input.environment, bits).await?;
        let prepared =
            prepare_and_verify(dest, generated.pair.private_pem(), generated.pair.public_key(), false).await?;
        let kept = kept_entry(&generated.id);
        if keep {
            self.store_journaled(&kept, &generated.id, &generated.pair.private_pem()).await?;
        }
        let placed = match prepared.place() {
            Ok(placed) => placed,
            Err(e) => {
                if keep {
                    self.drop_entry(&kept).await;
                }
                return Err(e);
            }
        };
        let journaled: &[&str] = if keep { &[&kept] } else { &[] };
        if let Err(e) =
            self.insert_key(&account_id, input.environment, &label, &generated, Some(now()), journaled).await
        {
            placed.undo();
            if keep {
                self.drop_entry(&kept).await;
            }
            return Err(e);
        }
        placed.finish();
        Ok(Delivery { key: self.key(&generated.id).await?, private_key_file: dest.display().to_string() })
    }

    /// The one-time download: writes the pending private key to `dest`,
    /// checks the file, marks the key delivered and removes the pending
    /// entry (or keeps the key in the keychain when `keep`). `overwrite` is
    /// only for a destination the user already confirmed replacing (the
    /// native save dialog asks); should anything fail after that, the
    /// replaced file is put back.
    pub async fn deliver_private_key(&self, key: &str, dest: &Path, overwrite: bool, keep: bool) -> Result<Delivery> {
        let info = self.key(key).await?;
        ensure_pending(&info)?;
        check_destination(dest, overwrite)?;
        let claim = self.claim_delivery(&info).await?;
        let result = self.deliver_claimed(&info, &claim, dest, overwrite, keep).await;
        if result.is_err() {
            self.release_claim(&info.id, &claim).await;
        }
        result
    }

    async fn deliver_claimed(
        &self,
        info: &ApiKeyInfo,
        claim: &str,
        dest: &Path,
        overwrite: bool,
        keep: bool,
    ) -> Result<Delivery> {
        let pem = self.secrets.load(&pending_entry(&info.id)).await?.ok_or(EngineError::PendingKeyMissing)?;
        let public = PublicKey::from_pem(&info.public_key_pem)?;
        match KeyPair::from_pem(pem.expose()) {
            Ok(parsed) if public.matches(&parsed.pair) => {}
            _ => return Err(EngineError::PendingKeyMissing),
        }
        let prepared =
            prepare_and_verify(dest, SecretPem::new(Zeroizing::new(pem.expose().to_string())), public, overwrite)
                .await?;
        let kept = kept_entry(&info.id);
        if keep {
            self.store_journaled(&kept, &info.id, &pem).await?;
        }
        let undo_keep = || async {
            if keep {
                self.drop_entry(&kept).await;
            }
        };
        let placed = match prepared.place() {
            Ok(placed) => placed,
            Err(e) => {
                undo_keep().await;
                return Err(e);
            }
        };
        let marked = async {
            let mut tx = self.begin_write().await?;
            let done = sqlx::query(
                "UPDATE api_keys SET delivered_at = ?, kept_in_keychain = ?, delivery_claimed_at = NULL
                 WHERE id = ? AND status = 'active' AND delivered_at IS NULL AND delivery_claimed_at = ?",
            )
            .bind(now())
            .bind(keep)
            .bind(&info.id)
            .bind(claim)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                // Revoked (or discarded) while the file was being written.
                return Err(self.why_not_pending(&info.id).await);
            }
            sqlx::query("DELETE FROM keychain_journal WHERE entry = ?").bind(&kept).execute(&mut *tx).await?;
            let detail = format!("{} ({}) saved to {}", info.label, info.api_key, dest.display());
            activity::record(&mut tx, Some(&info.account_id), "key.delivered", &detail).await?;
            tx.commit().await?;
            Ok(())
        }
        .await;
        if let Err(e) = marked {
            placed.undo();
            undo_keep().await;
            return Err(e);
        }
        placed.finish();
        self.forget_pending(&info.id).await;
        Ok(Delivery { key: self.key(&info.id).await?, private_key_file: dest.display().to_string() })
    }

    /// The key, if its one-time download is still possible (the app checks
    /// this before opening a save dialog).
    pub async fn downloadable_key(&self, key: &str) -> Result<ApiKeyInfo> {
        let info = self.key(key).await?;
        ensure_pending(&info)?;
        Ok(info)
    }

    /// Gives up a pending download: nobody will ever hold the private key,
    /// so the key is revoked ("private key discarded").
    pub async fn discard_pending_key(&self, key: &str) -> Result<ApiKeyInfo> {
        let info = self.key(key).await?;
        ensure_pending(&info)?;
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE api_keys SET status = 'revoked', revoked_at = ?, revoke_reason = ?
             WHERE id = ? AND status = 'active' AND delivered_at IS NULL",
        )
        .bind(now())
        .bind(DISCARDED_REASON)
        .bind(&info.id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(EngineError::AlreadyDelivered);
        }
        activity::record(
            &mut tx,
            Some(&info.account_id),
            "key.discarded",
            &format!("{} ({})", info.label, info.api_key),
        )
        .await?;
        tx.commit().await?;
        self.forget_pending(&info.id).await;
        self.key(&info.id).await
    }

    pub async fn revoke_key(&self, key: &str, reason: &str) -> Result<ApiKeyInfo> {
        let reason = clean(Field::RevokeReason, reason)?;
        let info = self.key(key).await?;
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE api_keys SET status = 'revoked', revoked_at = ?, revoke_reason = ? WHERE id = ? AND status = 'active'",
        )
        .bind(now())
        .bind(&reason)
        .bind(&info.id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(revoked_error(&info));
        }
        let detail = format!("{} ({}): {reason}", info.label, info.api_key);
        activity::record(&mut tx, Some(&info.account_id), "key.revoked", &detail).await?;
        tx.commit().await?;
        // A revoked key's private key is worthless: drop every copy Keyport holds.
        self.forget_pending(&info.id).await;
        self.forget_kept(&info.id).await;
        self.key(&info.id).await
    }

    pub async fn relabel_key(&self, key: &str, label: &str) -> Result<ApiKeyInfo> {
        let label = clean(Field::KeyLabel, label)?;
        let info = self.key(key).await?;
        let mut tx = self.begin_write().await?;
        if info.status == KeyStatus::Active {
            ensure_label_free(&mut tx, &info.account_id, info.environment, &label, Some(&info.id)).await?;
        }
        sqlx::query("UPDATE api_keys SET label = ?, label_folded = ? WHERE id = ?")
            .bind(&label)
            .bind(fold(&label))
            .bind(&info.id)
            .execute(&mut *tx)
            .await?;
        let detail = format!("{} → {label} ({})", info.label, info.api_key);
        activity::record(&mut tx, Some(&info.account_id), "key.relabelled", &detail).await?;
        tx.commit().await?;
        self.key(&info.id).await
    }

    /// One key, by id or API key.
    pub async fn key(&self, reference: &str) -> Result<ApiKeyInfo> {
        let reference = reference.trim();
        let row = sqlx::query("SELECT * FROM api_keys WHERE id = ? OR api_key = ?")
            .bind(reference)
            .bind(reference.to_ascii_lowercase())
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(row) => key_from_row(&row),
            None => Err(EngineError::KeyNotFound(reference.chars().take(60).collect())),
        }
    }

    /// A page of an account's keys, newest first.
    pub async fn keys(&self, account: &str, query: &KeyQuery) -> Result<KeyPage> {
        let mut conn = self.pool.acquire().await?;
        let account_id = resolve(&mut conn, account).await?;
        let search = query.search.as_deref().map(str::trim).filter(|s| !s.is_empty());
        let like = |s: &str| format!("%{}%", s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        // Labels match on their folded form (any case, not only ASCII's);
        // API keys are lower case; fingerprints match as typed.
        let folded = search.map(|s| like(&fold(s)));
        let raw = search.map(like);
        let filter = "FROM api_keys WHERE account_id = ?1 AND (?2 IS NULL OR environment = ?2)
             AND (?3 IS NULL OR label_folded LIKE ?3 ESCAPE '\\' OR api_key LIKE ?3 ESCAPE '\\' OR fingerprint LIKE ?4 ESCAPE '\\')";
        let env = query.environment.map(Environment::as_str);
        let total: i64 = sqlx::query_scalar(&format!("SELECT count(*) {filter}"))
            .bind(&account_id)
            .bind(env)
            .bind(&folded)
            .bind(&raw)
            .fetch_one(&mut *conn)
            .await?;
        let rows = sqlx::query(&format!("SELECT * {filter} ORDER BY created_at DESC, id LIMIT ?5 OFFSET ?6"))
            .bind(&account_id)
            .bind(env)
            .bind(&folded)
            .bind(&raw)
            .bind(query.limit.clamp(1, 500))
            .bind(query.offset)
            .fetch_all(&mut *conn)
            .await?;
        Ok(KeyPage { keys: rows.iter().map(key_from_row).collect::<Result<_>>()?, total: total as u32 })
    }

    /// Keys of every account whose one-time download has not happened yet:
    /// the app offers them again after a crash or restart.
    pub async fn pending_downloads(&self) -> Result<Vec<ApiKeyInfo>> {
        let rows =
            sqlx::query("SELECT * FROM api_keys WHERE status = 'active' AND delivered_at IS NULL ORDER BY created_at")
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(key_from_row).collect()
    }

    /// Removes keychain entries that an interrupted or failed operation left
    /// behind: a pending entry of a key already delivered or revoked, a kept
    /// copy of a revoked key, and journaled entries (older than a minute, so
    /// operations still in flight are left alone) that no key claims.
    /// Returns how many were cleaned up.
    pub async fn reconcile_keychain(&self) -> Result<u32> {
        let flagged: Vec<(String, bool)> = sqlx::query(
            "SELECT id, 1 FROM api_keys WHERE pending_in_keychain = 1 AND (status = 'revoked' OR delivered_at IS NOT NULL)
             UNION ALL SELECT id, 0 FROM api_keys WHERE kept_in_keychain = 1 AND status = 'revoked'",
        )
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| (r.get::<String, _>(0), r.get::<i64, _>(1) == 1))
        .collect();
        let mut cleaned = 0;
        for (id, pending) in flagged {
            let ok = if pending { self.forget_pending(&id).await } else { self.forget_kept(&id).await };
            cleaned += u32::from(ok);
        }
        let journaled: Vec<String> = sqlx::query_scalar("SELECT entry FROM keychain_journal WHERE created_at < ?")
            .bind(crate::timestamp_ago(60))
            .fetch_all(&self.pool)
            .await?;
        for entry in journaled {
            // An entry a key still relies on is simply unjournaled.
            let claimed: Option<String> = sqlx::query_scalar(
                "SELECT id FROM api_keys WHERE status = 'active' AND
                    (('pending:' || id = ?1 AND pending_in_keychain = 1 AND delivered_at IS NULL) OR ('key:' || id = ?1 AND kept_in_keychain = 1))",
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

    async fn check_new_key(&self, account: &str, input: &NewKey) -> Result<(String, String, u32)> {
        let label = clean(Field::KeyLabel, &input.label)?;
        let bits = check_key_size(input.bits)?;
        let mut conn = self.pool.acquire().await?;
        let account_id = resolve(&mut conn, account).await?;
        ensure_label_free(&mut conn, &account_id, input.environment, &label, None).await?;
        Ok((account_id, label, bits))
    }

    async fn generate(&self, environment: Environment, bits: u32) -> Result<Generated> {
        let pair = match self.keypool.as_ref().and_then(|p| p.take(bits)) {
            Some(pair) => pair,
            None => tokio::task::spawn_blocking(move || KeyPair::generate(bits, &mut rand::rngs::OsRng))
                .await
                .expect("key generation task")?,
        };
        Ok(Generated {
            id: uuid::Uuid::new_v4().to_string(),
            api_key: ApiKey::generate(environment, &mut rand::rngs::OsRng),
            pair,
        })
    }

    async fn insert_key(
        &self,
        account_id: &str,
        environment: Environment,
        label: &str,
        generated: &Generated,
        delivered_at: Option<String>,
        journaled: &[&str],
    ) -> Result<()> {
        let kept = delivered_at.is_some() && !journaled.is_empty();
        let public = generated.pair.public_key();
        let mut tx = self.begin_write().await?;
        ensure_label_free(&mut tx, account_id, environment, label, None).await?;
        let created_at = now();
        sqlx::query(
            "INSERT INTO api_keys (id, account_id, environment, label, label_folded, api_key, public_key_pem, fingerprint,
                                   bits, created_at, delivered_at, kept_in_keychain, pending_in_keychain)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&generated.id)
        .bind(account_id)
        .bind(environment.as_str())
        .bind(label)
        .bind(fold(label))
        .bind(generated.api_key.as_str())
        .bind(public.to_pem())
        .bind(public.fingerprint())
        .bind(public.bits())
        .bind(&created_at)
        .bind(&delivered_at)
        .bind(kept)
        .bind(delivered_at.is_none())
        .execute(&mut *tx)
        .await?;
        for entry in journaled {
            sqlx::query("DELETE FROM keychain_journal WHERE entry = ?").bind(entry).execute(&mut *tx).await?;
        }
        let detail = format!("{label} ({}, {environment}, {} bits)", generated.api_key, public.bits());
        activity::record(&mut tx, Some(account_id), "key.created", &detail).await?;
        if delivered_at.is_some() {
            activity::record(&mut tx, Some(account_id), "key.delivered", &format!("{label} ({})", generated.api_key))
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Claims the key's download for this call; a second download of the
    /// same key (another window, the CLI) gets a clear error instead of racing.
    async fn claim_delivery(&self, info: &ApiKeyInfo) -> Result<String> {
        let claim = now();
        let taken = sqlx::query(
            "UPDATE api_keys SET delivery_claimed_at = ?1
             WHERE id = ?2 AND status = 'active' AND delivered_at IS NULL
               AND (delivery_claimed_at IS NULL OR delivery_claimed_at < ?3)",
        )
        .bind(&claim)
        .bind(&info.id)
        .bind(crate::timestamp_ago(120))
        .execute(&self.pool)
        .await?;
        if taken.rows_affected() == 0 {
            return Err(self.why_not_pending(&info.id).await);
        }
        Ok(claim)
    }

    async fn release_claim(&self, id: &str, claim: &str) {
        let _ = sqlx::query("UPDATE api_keys SET delivery_claimed_at = NULL WHERE id = ? AND delivery_claimed_at = ?")
            .bind(id)
            .bind(claim)
            .execute(&self.pool)
            .await;
    }

    /// Why a key's download cannot go ahead (any more).
    async fn why_not_pending(&self, id: &str) -> EngineError {
        match self.key(id).await {
            Ok(info) if info.status == KeyStatus::Revoked => revoked_error(&info),
            Ok(info) if info.delivered_at.is_some() => EngineError::AlreadyDelivered,
            Ok(_) => EngineError::DownloadInProgress,
            Err(e) => e,
        }
    }

    /// Stores a secret, journaled first: the entry stays findable whatever
    /// happens next, until the transaction that records it unjournals it.
    async fn store_journaled(&self, entry: &str, key_id: &str, secret: &SecretPem) -> Result<()> {
        sqlx::query("INSERT OR REPLACE INTO keychain_journal (entry, key_id, created_at) VALUES (?, ?, ?)")
            .bind(entry)
            .bind(key_id)
            .bind(now())
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
    async fn drop_entry(&self, entry: &str) -> bool {
        match self.secrets.delete(entry).await {
            Ok(_) => sqlx::query("DELETE FROM keychain_journal WHERE entry = ?")
                .bind(entry)
                .execute(&self.pool)
                .await
                .is_ok(),
            Err(e) => {
                tracing::warn!(code = e.code(), "could not remove keychain entry {entry}: {e}");
                false
            }
        }
    }

    /// Deletes the pending keychain entry; true once it is gone.
    async fn forget_pending(&self, id: &str) -> bool {
        self.forget(id, &pending_entry(id), "pending_in_keychain").await
    }

    async fn forget_kept(&self, id: &str) -> bool {
        self.forget(id, &kept_entry(id), "kept_in_keychain").await
    }

    async fn forget(&self, id: &str, entry: &str, flag: &str) -> bool {
        match self.secrets.delete(entry).await {
            Ok(_) => {
                let cleared = sqlx::query(&format!("UPDATE api_keys SET {flag} = 0 WHERE id = ?"))
                    .bind(id)
                    .execute(&self.pool)
                    .await;
                cleared.is_ok()
            }
            Err(e) => {
                // Left for reconcile_keychain on a later start.
                tracing::warn!(code = e.code(), "could not remove keychain entry {entry}: {e}");
                false
            }
        }
    }
}

fn ensure_pending(info: &ApiKeyInfo) -> Result<()> {
    if info.status == KeyStatus::Revoked {
        return Err(revoked_error(info));
    }
    if info.delivered_at.is_some() {
        return Err(EngineError::AlreadyDelivered);
    }
    Ok(())
}

fn revoked_error(info: &ApiKeyInfo) -> EngineError {
    EngineError::KeyRevoked(info.revoke_reason.as_deref().map(|r| format!(" ({r})")).unwrap_or_default())
}

async fn ensure_label_free(
    conn: &mut SqliteConnection,
    account_id: &str,
    environment: Environment,
    label: &str,
    except: Option<&str>,
) -> Result<()> {
    let clash: Option<String> = sqlx::query_scalar(
        "SELECT id FROM api_keys WHERE account_id = ? AND environment = ? AND label_folded = ? AND status = 'active' AND id IS NOT ?",
    )
    .bind(account_id)
    .bind(environment.as_str())
    .bind(fold(label))
    .bind(except)
    .fetch_optional(&mut *conn)
    .await?;
    match clash {
        Some(_) => Err(EngineError::LabelTaken { environment, label: label.to_string() }),
        None => Ok(()),
    }
}

/// Writes the PEM next to `dest` (not yet in place), reads it back and
/// checks it is the private half of `public`.
async fn prepare_and_verify(dest: &Path, pem: SecretPem, public: PublicKey, overwrite: bool) -> Result<PreparedFile> {
    let dest: PathBuf = dest.to_path_buf();
    tokio::task::spawn_blocking(move || {
        let prepared = prepare_private_file(&dest, pem.expose().as_bytes(), overwrite)?;
        let written = std::fs::read_to_string(prepared.path()).map(Zeroizing::new);
        let good = matches!(&written, Ok(text) if KeyPair::from_pem(text).is_ok_and(|p| public.matches(&p.pair)));
        if !good {
            return Err(EngineError::SavedFileMismatch(dest));
        }
        Ok(prepared)
    })
    .await
    .expect("write task")
}

fn key_from_row(row: &SqliteRow) -> Result<ApiKeyInfo> {
    let status: KeyStatus = parse_column(row.get("status"))?;
    let delivered_at: Option<String> = row.get("delivered_at");
    Ok(ApiKeyInfo {
        id: row.get("id"),
        account_id: row.get("account_id"),
        environment: parse_column(row.get("environment"))?,
        label: row.get("label"),
        api_key: ApiKey::parse(row.get::<&str, _>("api_key"))?,
        fingerprint: row.get("fingerprint"),
        bits: row.get::<i64, _>("bits") as u32,
        public_key_pem: row.get("public_key_pem"),
        created_at: row.get("created_at"),
        download_pending: status == KeyStatus::Active && delivered_at.is_none(),
        status,
        revoked_at: row.get("revoked_at"),
        revoke_reason: row.get("revoke_reason"),
        delivered_at,
        kept_in_keychain: row.get::<i64, _>("kept_in_keychain") == 1,
        keychain_cleanup_pending: (row.get::<i64, _>("pending_in_keychain") == 1
            && (status == KeyStatus::Revoked || row.get::<Option<String>, _>("delivered_at").is_some()))
            || (row.get::<i64, _>("kept_in_keychain") == 1 && status == KeyStatus::Revoked),
        last_validated_at: row.get("last_validated_at"),
    })
}
