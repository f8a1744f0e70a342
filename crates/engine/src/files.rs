//! Writing a private key to the place the user chose: atomically (temporary
//! file in the same folder, fsync, rename), mode 0600, never silently over
//! an existing file, and never leaving a partial file behind. A replaced
//! file is kept aside until the caller confirms, so a later failure can put
//! it back. The temporary and the aside file are named by the caller, which
//! journals them first (`file_journal`), so a crash between creating them
//! and their end cannot leave a copy for ever (`reconcile_files`).

use std::fs::{File, Permissions};
use std::io::{ErrorKind, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use std::os::unix::fs::OpenOptionsExt;

use tempfile::{NamedTempFile, TempPath};

use crate::error::{EngineError, Result};

/// Checks that `dest` can be written (its folder exists, it is not a folder,
/// and it does not exist unless `overwrite`), before any work is done.
pub(crate) fn check_destination(dest: &Path, overwrite: bool) -> Result<PathBuf> {
    let folder = match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !folder.is_dir() {
        return Err(EngineError::FolderMissing(folder));
    }
    if dest.is_dir() {
        return Err(EngineError::PathIsFolder(dest.to_path_buf()));
    }
    if !overwrite && dest.symlink_metadata().is_ok() {
        return Err(EngineError::FileExists(dest.to_path_buf()));
    }
    Ok(folder)
}

/// A private-key file written and synced next to its destination, not yet
/// in place. Dropping it removes it.
pub(crate) struct PreparedFile {
    tmp: NamedTempFile,
    dest: PathBuf,
    folder: PathBuf,
    overwrite: bool,
}

/// A file put in place; `undo` restores what was there before, `finish`
/// makes it final.
pub(crate) struct PlacedFile {
    dest: PathBuf,
    /// The file that was replaced, kept aside until `finish`.
    replaced: Option<NamedTempFile>,
    /// The file's permission bits when others may read it (a file system
    /// without Unix modes, such as FAT on a USB stick).
    pub(crate) exposed_mode: Option<u32>,
}

/// Errors of a file system without hard links or Unix modes (FAT, exFAT):
/// `link` fails with EPERM, `chmod` with EPERM or ENOSYS.
fn without_unix_features(e: &std::io::Error) -> bool {
    matches!(e.kind(), ErrorKind::PermissionDenied | ErrorKind::Unsupported)
}

/// A fresh name next to `dest` for a file Keyport makes there: `.keyport-…`
/// (`kind` says which), random, so it never meets another.
pub(crate) fn companion_path(dest: &Path, kind: &str) -> PathBuf {
    let folder = match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    folder.join(format!(".keyport-{kind}-{}.tmp", uuid::Uuid::new_v4().simple()))
}

/// Creates the file `path` (which must not exist) for its owner only, as a
/// temporary file removed when dropped.
fn create_private(path: &Path) -> std::io::Result<NamedTempFile> {
    let file = File::options().write(true).read(true).create_new(true).mode(0o600).open(path)?;
    Ok(NamedTempFile::from_parts(file, TempPath::try_from_path(path)?))
}

/// Writes `contents` to `tmp` (a `companion_path` of `dest`, journaled by
/// the caller) and syncs it.
pub(crate) fn prepare_private_file(dest: &Path, contents: &[u8], overwrite: bool, tmp: &Path) -> Result<PreparedFile> {
    let folder = check_destination(dest, overwrite)?;
    let fail = |e: std::io::Error| map_write_error(e, dest, &folder);
    let mut tmp = create_private(tmp).map_err(fail)?;
    // Against a umask that took bits away or a folder's default ACL. FAT
    // and exFAT have no modes and refuse chmod (EPERM, or ENOSYS through
    // FUSE): the file is written anyway and `place` reports its real mode.
    if let Err(e) = tmp.as_file().set_permissions(Permissions::from_mode(0o600))
        && !without_unix_features(&e)
    {
        return Err(fail(e));
    }
    // On any error below, dropping `tmp` deletes the partial file.
    tmp.write_all(contents).map_err(fail)?;
    tmp.flush().map_err(fail)?;
    tmp.as_file().sync_all().map_err(fail)?;
    Ok(PreparedFile { tmp, dest: dest.to_path_buf(), folder, overwrite })
}

impl PreparedFile {
    /// Where the prepared bytes are, for reading them back.
    pub(crate) fn path(&self) -> &Path {
        self.tmp.path()
    }

    pub(crate) fn dest(&self) -> &Path {
        &self.dest
    }

    /// Whether placing it replaces a file (which then goes aside).
    pub(crate) fn replaces(&self) -> bool {
        self.overwrite && self.dest.symlink_metadata().is_ok()
    }

    /// Renames the file into place. An existing file (only with
    /// `overwrite`) is first hard-linked to `aside` (a journaled
    /// `companion_path`), so `undo` can restore it.
    pub(crate) fn place(self, aside: Option<&Path>) -> Result<PlacedFile> {
        let fail = |e: std::io::Error| map_write_error(e, &self.dest, &self.folder);
        let replaced = match aside {
            Some(aside) if self.replaces() => {
                match std::fs::hard_link(&self.dest, aside) {
                    Ok(()) => {}
                    // No hard links here (FAT): move the old file aside
                    // instead. Until the new one is renamed in, `dest` is
                    // briefly absent; `aside` is journaled, so a crash in
                    // between puts it back (`reconcile_files`).
                    Err(e) if without_unix_features(&e) => std::fs::rename(&self.dest, aside).map_err(fail)?,
                    Err(e) => return Err(fail(e)),
                }
                let file = File::open(aside).map_err(fail)?;
                Some(NamedTempFile::from_parts(file, TempPath::try_from_path(aside).map_err(fail)?))
            }
            _ if self.replaces() => {
                return Err(EngineError::io("Cannot replace the file", std::io::Error::other("no aside path")));
            }
            _ => None,
        };
        let placed = if self.overwrite {
            self.tmp.persist(&self.dest)
        } else {
            match self.tmp.persist_noclobber(&self.dest) {
                // Neither RENAME_NOREPLACE nor hard links (FAT through FUSE):
                // check, then rename. `check_destination` refused an existing
                // file moments ago; this only narrows a race nothing else on
                // such a file system can close.
                Err(e) if without_unix_features(&e.error) && self.dest.symlink_metadata().is_err() => {
                    e.file.persist(&self.dest)
                }
                other => other,
            }
        };
        if let Err(e) = placed {
            // The old file moved aside (no hard links) goes back; a hard
            // link aside just goes.
            if let Some(replaced) = replaced
                && self.dest.symlink_metadata().is_err()
            {
                let _ = replaced.persist(&self.dest);
            }
            return Err(fail(e.error));
        }
        // Make the rename durable; a file system that cannot sync folders
        // still has the file, so this is best effort.
        if let Err(e) = File::open(&self.folder).and_then(|dir| dir.sync_all()) {
            tracing::warn!("could not sync {}: {e}", self.folder.display());
        }
        let mode = std::fs::metadata(&self.dest).map(|m| m.permissions().mode() & 0o777).unwrap_or(0);
        let exposed_mode = (mode & 0o077 != 0).then_some(mode);
        Ok(PlacedFile { dest: self.dest, replaced, exposed_mode })
    }
}

impl PlacedFile {
    /// Where the replaced file is kept, if one was.
    pub(crate) fn aside(&self) -> Option<PathBuf> {
        self.replaced.as_ref().map(|f| f.path().to_path_buf())
    }

    /// Removes the new file and puts back the one it replaced, if any.
    pub(crate) fn undo(self) {
        match self.replaced {
            Some(aside) => {
                if let Err(e) = aside.persist(&self.dest) {
                    tracing::warn!("could not restore {}: {}", self.dest.display(), e.error);
                }
            }
            None => {
                let _ = std::fs::remove_file(&self.dest);
            }
        }
    }

    /// Keeps the new file; the replaced one goes.
    pub(crate) fn finish(self) {
        drop(self.replaced);
    }
}

fn map_write_error(e: std::io::Error, dest: &Path, folder: &Path) -> EngineError {
    match e.kind() {
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => EngineError::DiskFull(dest.to_path_buf()),
        ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => {
            EngineError::FolderNotWritable(folder.to_path_buf())
        }
        ErrorKind::AlreadyExists => EngineError::FileExists(dest.to_path_buf()),
        ErrorKind::NotFound => EngineError::FolderMissing(folder.to_path_buf()),
        _ => EngineError::io(format!("Cannot write {}", dest.display()), e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prepare(dest: &Path, contents: &[u8], overwrite: bool) -> PreparedFile {
        prepare_private_file(dest, contents, overwrite, &companion_path(dest, "temp")).unwrap()
    }

    #[test]
    fn a_placed_file_can_be_undone_restoring_what_it_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("privateKey-production.pem");
        std::fs::write(&dest, "the user's old key").unwrap();

        let placed = prepare(&dest, b"new key", true).place(Some(&companion_path(&dest, "replaced"))).unwrap();
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), "new key");
        assert_eq!(std::fs::metadata(&dest).unwrap().permissions().mode() & 0o777, 0o600);
        placed.undo();
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), "the user's old key");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 1, "nothing else is left in the folder: {names:?}");
    }

    #[test]
    fn finishing_drops_the_replaced_file_and_undo_of_a_new_file_removes_it() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("k.pem");
        std::fs::write(&dest, "old").unwrap();
        prepare(&dest, b"new", true).place(Some(&companion_path(&dest, "replaced"))).unwrap().finish();
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), "new");

        let fresh = dir.path().join("fresh.pem");
        prepare(&fresh, b"x", false).place(None).unwrap().undo();
        assert!(!fresh.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn an_unplaced_file_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let prepared = prepare(&dir.path().join("k.pem"), b"x", false);
        assert!(prepared.path().exists());
        drop(prepared);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
