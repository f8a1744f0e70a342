//! Writing a private key to the place the user chose: atomically (temporary
//! file in the same folder, fsync, rename), mode 0600, never silently over
//! an existing file, and never leaving a partial file behind.

use std::fs::{File, Permissions};
use std::io::{ErrorKind, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

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

/// Writes `contents` to `dest` as described above.
pub(crate) fn write_private_file(dest: &Path, contents: &[u8], overwrite: bool) -> Result<()> {
    let folder = check_destination(dest, overwrite)?;
    let fail = |e: std::io::Error| map_write_error(e, dest, &folder);

    let mut tmp = tempfile::Builder::new()
        .prefix(".keyport-")
        .suffix(".tmp")
        .permissions(Permissions::from_mode(0o600))
        .tempfile_in(&folder)
        .map_err(fail)?;
    // On any error below, dropping `tmp` deletes the partial file.
    tmp.write_all(contents).map_err(fail)?;
    tmp.flush().map_err(fail)?;
    tmp.as_file().sync_all().map_err(fail)?;
    if overwrite {
        tmp.persist(dest).map_err(|e| fail(e.error))?;
    } else {
        tmp.persist_noclobber(dest).map_err(|e| fail(e.error))?;
    }
    // Make the rename itself durable.
    File::open(&folder).and_then(|dir| dir.sync_all()).map_err(fail)?;
    Ok(())
}

fn map_write_error(e: std::io::Error, dest: &Path, folder: &Path) -> EngineError {
    match e.kind() {
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => EngineError::DiskFull(dest.to_path_buf()),
        ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => EngineError::FolderNotWritable(folder.to_path_buf()),
        ErrorKind::AlreadyExists => EngineError::FileExists(dest.to_path_buf()),
        ErrorKind::NotFound => EngineError::FolderMissing(folder.to_path_buf()),
        _ => EngineError::io(format!("Cannot write {}", dest.display()), e),
    }
}
