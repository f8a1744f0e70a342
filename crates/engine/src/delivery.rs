//! The one-time delivery of a private key. Between "Add New" and the
//! completed download the private key waits in the OS keychain as
//! `pending:<id>`, so a crash or power loss does not lose it and the app
//! offers the download again on its next start; the database never sees it.
//! A download claims its key first, writes the file atomically, reads it
//! back and only then records the key as delivered.

use std::path::{Path, PathBuf};

use keyport_core::keys::{KeyPair, PublicKey, SecretPem};
use keyport_core::{ErrorBody, ErrorCode, KeyStatus};
use zeroize::Zeroizing;

use crate::Engine;
use crate::bundles::{SealTo, prepare_bundle, seal_off_thread};
use crate::error::{EngineError, Result};
use crate::file_journal::Companion;
use crate::files::{PreparedFile, check_destination, prepare_private_file};
use crate::keychain::{kept_entry, pending_entry};
use crate::keys::{DISCARDED_REASON, revoked_error};
use crate::model::{ApiKeyInfo, BundleProtection, Delivery, NewKey};
use crate::rows::{KeyRow, convert};
use crate::scopes::with_scopes;

impl Engine {
    /// Creates a key pair and saves its private key straight to `dest` (the
    /// CLI's `key create --out`): on any failure nothing is recorded and no
    /// file is left behind.
    pub async fn create_key_to_file(&self, account: &str, input: NewKey, dest: &Path, keep: bool) -> Result<Delivery> {
        let checked = self.check_new_key(account, &input).await?;
        check_destination(dest, false)?;
        let generated = self.generate(input.environment, checked.bits).await?;
        let tmp = self.journaled_path(Companion::Temporary, dest, Some(&generated.id)).await?;
        let prepared =
            prepare_and_verify(dest, generated.pair.private_pem(), generated.pair.public_key(), false, tmp).await?;
        let kept = kept_entry(&generated.id);
        if keep {
            self.store_journaled(&kept, &generated.id, &generated.pair.private_pem()).await?;
        }
        let placed = match self.place_file(prepared, Some(&generated.id)).await {
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
            self.insert_key(&checked, input.environment, &generated, Some(self.timestamp()), journaled).await
        {
            self.undo_file(placed).await;
            if keep {
                self.drop_entry(&kept).await;
            }
            return Err(e);
        }
        let warnings = exposure_warnings(dest, placed.exposed_mode);
        self.finish_file(placed).await;
        Ok(Delivery { key: self.key(&generated.id).await?, private_key_file: dest.display().to_string(), warnings })
    }

    /// The one-time download: writes the pending private key to `dest`,
    /// checks the file, marks the key delivered and removes the pending
    /// entry (or keeps the key in the keychain when `keep`). `overwrite` is
    /// only for a destination the user already confirmed replacing (the
    /// native save dialog asks); should anything fail after that, the
    /// replaced file is put back.
    pub async fn deliver_private_key(&self, key: &str, dest: &Path, overwrite: bool, keep: bool) -> Result<Delivery> {
        self.deliver(key, dest, overwrite, keep, None).await
    }

    /// The one-time download as a key bundle ("Save encrypted for a
    /// recipient"): the bundle file is the key's one delivery; afterwards
    /// Keyport holds the private key only if `keep`.
    pub async fn deliver_as_bundle(
        &self,
        key: &str,
        protection: &BundleProtection,
        expires_in_hours: u32,
        dest: &Path,
        overwrite: bool,
        keep: bool,
    ) -> Result<Delivery> {
        let hours = keyport_core::bundle::check_expiry_hours(expires_in_hours)?;
        let seal_to = SealTo::from_protection(protection)?;
        self.deliver(key, dest, overwrite, keep, Some((seal_to, hours))).await
    }

    async fn deliver(
        &self,
        key: &str,
        dest: &Path,
        overwrite: bool,
        keep: bool,
        bundle: Option<(SealTo, u32)>,
    ) -> Result<Delivery> {
        let info = self.key(key).await?;
        ensure_pending(&info)?;
        check_destination(dest, overwrite)?;
        let claim = self.claim_delivery(&info).await?;
        let result = self.deliver_claimed(&info, &claim, dest, overwrite, keep, bundle.as_ref()).await;
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
        bundle: Option<&(SealTo, u32)>,
    ) -> Result<Delivery> {
        let pem = self.secrets.load(&pending_entry(&info.id)).await?.ok_or(EngineError::PendingKeyMissing)?;
        let public = PublicKey::from_pem(&info.public_key_pem)?;
        match KeyPair::from_pem(pem.expose()) {
            Ok(parsed) if public.matches(&parsed.pair) => {}
            _ => return Err(EngineError::PendingKeyMissing),
        }
        let copy = SecretPem::new(Zeroizing::new(pem.expose().to_string()));
        let tmp = self.journaled_path(Companion::Temporary, dest, Some(&info.id)).await?;
        let prepared = match bundle {
            None => prepare_and_verify(dest, copy, public, overwrite, tmp).await?,
            Some((seal_to, hours)) => {
                let account = self.account(&info.account_id).await?;
                let manifest = self.manifest(&account, vec![(info, copy)], *hours).await?;
                prepare_bundle(dest, seal_off_thread(manifest, seal_to).await?, overwrite, tmp).await?
            }
        };
        let kept = kept_entry(&info.id);
        if keep {
            self.store_journaled(&kept, &info.id, &pem).await?;
        }
        let undo_keep = || async {
            if keep {
                self.drop_entry(&kept).await;
            }
        };
        let placed = match self.place_file(prepared, Some(&info.id)).await {
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
            .bind(self.timestamp())
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
            let detail = match bundle {
                None => format!("{} ({}) saved to {}", info.label, info.api_key, dest.display()),
                Some((seal_to, _)) => format!(
                    "{} ({}) saved encrypted for {} to {}",
                    info.label,
                    info.api_key,
                    seal_to.describe(),
                    dest.display()
                ),
            };
            self.record(&mut tx, Some(&info.account_id), "key.delivered", &detail).await?;
            tx.commit().await?;
            Ok(())
        }
        .await;
        if let Err(e) = marked {
            self.undo_file(placed).await;
            undo_keep().await;
            return Err(e);
        }
        // A bundle is encrypted: its mode matters less than a PEM file's.
        let warnings = if bundle.is_none() { exposure_warnings(dest, placed.exposed_mode) } else { Vec::new() };
        self.finish_file(placed).await;
        self.forget_pending(&info.id).await;
        Ok(Delivery { key: self.key(&info.id).await?, private_key_file: dest.display().to_string(), warnings })
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
        .bind(self.timestamp())
        .bind(DISCARDED_REASON)
        .bind(&info.id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(EngineError::AlreadyDelivered);
        }
        self.record(&mut tx, Some(&info.account_id), "key.discarded", &format!("{} ({})", info.label, info.api_key))
            .await?;
        tx.commit().await?;
        self.forget_pending(&info.id).await;
        self.key(&info.id).await
    }

    /// Keys of every account whose one-time download has not happened yet:
    /// the app offers them again after a crash or restart.
    pub async fn pending_downloads(&self) -> Result<Vec<ApiKeyInfo>> {
        let mut conn = self.pool.acquire().await?;
        let rows: Vec<KeyRow> = sqlx::query_as(
            "SELECT * FROM api_keys WHERE status = 'active' AND delivered_at IS NULL ORDER BY created_at",
        )
        .fetch_all(&mut *conn)
        .await?;
        with_scopes(&mut conn, convert(rows)?).await
    }

    /// Claims the key's download for this call; a second download of the
    /// same key (another window, the CLI) gets a clear error instead of racing.
    async fn claim_delivery(&self, info: &ApiKeyInfo) -> Result<String> {
        let claim = self.timestamp();
        let taken = sqlx::query(
            "UPDATE api_keys SET delivery_claimed_at = ?1
             WHERE id = ?2 AND status = 'active' AND delivered_at IS NULL
               AND (delivery_claimed_at IS NULL OR delivery_claimed_at < ?3)",
        )
        .bind(&claim)
        .bind(&info.id)
        .bind(self.timestamp_ago(120))
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

/// Writes the PEM next to `dest` (not yet in place), reads it back and
/// checks it is the private half of `public`.
async fn prepare_and_verify(
    dest: &Path,
    pem: SecretPem,
    public: PublicKey,
    overwrite: bool,
    tmp: PathBuf,
) -> Result<PreparedFile> {
    let dest: PathBuf = dest.to_path_buf();
    tokio::task::spawn_blocking(move || {
        let prepared = prepare_private_file(&dest, pem.expose().as_bytes(), overwrite, &tmp)?;
        let written = std::fs::read_to_string(prepared.path()).map(Zeroizing::new);
        let good = matches!(&written, Ok(text) if KeyPair::from_pem(text).is_ok_and(|p| public.matches(&p.pair)));
        if !good {
            return Err(EngineError::SavedFileMismatch(dest));
        }
        Ok(prepared)
    })
    .await
    .map_err(|e| EngineError::io("The file task failed", std::io::Error::other(e)))?
}

/// The warning for a saved key file others may read: its file system (FAT
/// or exFAT on a USB drive, a network share) keeps no Unix modes, so 0600
/// could not hold.
fn exposure_warnings(dest: &Path, exposed_mode: Option<u32>) -> Vec<ErrorBody> {
    exposed_mode
        .map(|mode| {
            ErrorBody::new(
                ErrorCode::FileNotPrivate,
                format!(
                    "{} is readable by others (mode {mode:04o}, not 0600): its file system keeps no Unix permissions \
                     (FAT or exFAT on a USB drive, a network share). Anyone who can read that drive can read the \
                     private key; move it to a private folder.",
                    dest.display()
                ),
            )
        })
        .into_iter()
        .collect()
}
