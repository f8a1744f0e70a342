//! The files a private key passes through in the user's folder, journaled
//! by path before they exist (`file_journal`): the temporary file before its
//! rename into place, and a replaced file kept aside until the delivery is
//! recorded. A crash (`kill -9`, a power loss, a closed window) in between
//! leaves a row; `reconcile_files` (app start, `keyport doctor`) removes the
//! temporary file and settles the aside one, so no plaintext copy stays.

use std::path::{Path, PathBuf};

use crate::Engine;
use crate::error::Result;
use crate::files::{PlacedFile, PreparedFile, companion_path};

#[derive(Clone, Copy)]
pub(crate) enum Companion {
    Temporary,
    Replaced,
}

impl Companion {
    fn as_str(self) -> &'static str {
        match self {
            Companion::Temporary => "temporary",
            Companion::Replaced => "replaced",
        }
    }
}

/// Whether process `pid` still runs (its journal rows may be in use).
fn running(pid: i64) -> bool {
    pid > 0 && Path::new(&format!("/proc/{pid}")).exists()
}

impl Engine {
    /// A fresh path next to `dest`, journaled before anything is created there.
    pub(crate) async fn journaled_path(&self, kind: Companion, dest: &Path, key_id: Option<&str>) -> Result<PathBuf> {
        let path = companion_path(dest, if matches!(kind, Companion::Temporary) { "temp" } else { "replaced" });
        sqlx::query("INSERT INTO file_journal (path, kind, dest, key_id, pid, created_at) VALUES (?, ?, ?, ?, ?, ?)")
            .bind(path.to_string_lossy())
            .bind(kind.as_str())
            .bind(dest.to_string_lossy())
            .bind(key_id)
            .bind(i64::from(std::process::id()))
            .bind(self.timestamp())
            .execute(&self.pool)
            .await?;
        Ok(path)
    }

    /// Forgets journal rows whose files are gone or final (best effort:
    /// `reconcile_files` settles a row left behind).
    pub(crate) async fn unjournal(&self, paths: &[&Path]) {
        for path in paths {
            if let Err(e) = sqlx::query("DELETE FROM file_journal WHERE path = ?")
                .bind(path.to_string_lossy())
                .execute(&self.pool)
                .await
            {
                tracing::warn!(code = %e, "file journal: {}", path.display());
            }
        }
    }

    /// Puts a prepared file in place, a replaced file going to a journaled
    /// aside path; the temporary file's row goes once it is renamed.
    pub(crate) async fn place_file(&self, prepared: PreparedFile, key_id: Option<&str>) -> Result<PlacedFile> {
        let tmp = prepared.path().to_path_buf();
        let aside = match prepared.replaces() {
            true => Some(self.journaled_path(Companion::Replaced, prepared.dest(), key_id).await?),
            false => None,
        };
        let placed = prepared.place(aside.as_deref());
        self.unjournal(&[&tmp]).await;
        if placed.is_err()
            && let Some(aside) = &aside
        {
            self.unjournal(&[aside]).await;
        }
        placed
    }

    /// Keeps the placed file; the replaced one goes.
    pub(crate) async fn finish_file(&self, placed: PlacedFile) {
        let aside = placed.aside();
        placed.finish();
        if let Some(aside) = aside {
            self.unjournal(&[&aside]).await;
        }
    }

    /// Removes the placed file and puts back what it replaced.
    pub(crate) async fn undo_file(&self, placed: PlacedFile) {
        let aside = placed.aside();
        placed.undo();
        if let Some(aside) = aside {
            self.unjournal(&[&aside]).await;
        }
    }

    /// Settles what interrupted deliveries left in users' folders: removes
    /// temporary files; a file kept aside is removed when its key's delivery
    /// was recorded, else put back where it was (the new file there is a
    /// copy of a key that is still pending). Rows of processes still running
    /// are left alone. Returns how many files were removed or put back.
    pub async fn reconcile_files(&self) -> Result<u32> {
        let rows: Vec<(String, String, String, Option<String>, i64)> =
            sqlx::query_as("SELECT path, kind, dest, key_id, pid FROM file_journal").fetch_all(&self.pool).await?;
        let mut settled = 0;
        for (path, kind, dest, key_id, pid) in rows {
            if running(pid) && pid != i64::from(std::process::id()) {
                continue;
            }
            let file = PathBuf::from(&path);
            if file.symlink_metadata().is_ok() {
                let delivered = match &key_id {
                    Some(id) => {
                        sqlx::query_scalar::<_, Option<String>>("SELECT delivered_at FROM api_keys WHERE id = ?")
                            .bind(id)
                            .fetch_optional(&self.pool)
                            .await?
                            .flatten()
                            .is_some()
                    }
                    None => false,
                };
                let done = if kind == "replaced" && !delivered {
                    std::fs::rename(&file, &dest)
                } else {
                    std::fs::remove_file(&file)
                };
                match done {
                    Ok(()) => settled += 1,
                    Err(e) => {
                        // A folder gone or unmounted: try again next time.
                        tracing::warn!("could not settle {}: {e}", file.display());
                        continue;
                    }
                }
            }
            self.unjournal(&[&file]).await;
        }
        Ok(settled)
    }
}
