//! Saving private keys to a real FAT file system (a USB stick's), mounted
//! through FUSE with `fusefat` on an image made by `mkfs.vfat` (both from
//! Debian, installed by scripts/deps.sh). FAT has no hard links and no Unix
//! modes: `link` fails with EPERM and `chmod` with ENOSYS.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{TestHome, files_in, new_account};
use keyport_engine::core::{Environment, ErrorCode, OperatingModel};
use keyport_engine::model::NewKey;

const MAG: &str = "MAG000000001";

/// A FAT image mounted on a temporary folder; unmounted on drop.
struct FatDrive {
    _dir: tempfile::TempDir,
    mount: PathBuf,
}

impl FatDrive {
    fn new() -> FatDrive {
        let dir = tempfile::tempdir().unwrap();
        let image = dir.path().join("stick.img");
        let mount = dir.path().join("stick");
        std::fs::create_dir(&mount).unwrap();
        std::fs::File::create(&image).unwrap().set_len(8 << 20).unwrap();
        run(Command::new("mkfs.vfat").arg(&image));
        // umask=022, as a drive mounted by hand (`mount /dev/sdb1 …`) gets:
        // every file shows as 0755 whatever Keyport asks for.
        run(Command::new("fusefat").args(["-o", "rw+,umask=022"]).arg(&image).arg(&mount));
        FatDrive { _dir: dir, mount }
    }

    fn path(&self) -> &Path {
        &self.mount
    }
}

impl Drop for FatDrive {
    fn drop(&mut self) {
        for tool in ["fusermount3", "fusermount"] {
            if Command::new(tool).arg("-u").arg(&self.mount).status().is_ok_and(|s| s.success()) {
                break;
            }
        }
    }
}

fn run(command: &mut Command) {
    let out = command.output().unwrap_or_else(|e| panic!("{command:?}: {e} (scripts/deps.sh installs it)"));
    assert!(out.status.success(), "{command:?}: {}", String::from_utf8_lossy(&out.stderr));
}

fn new_key(label: &str) -> NewKey {
    NewKey { environment: Environment::Sandbox, label: label.into(), bits: 2048, scope: None }
}

#[tokio::test]
async fn a_key_saved_to_fat_is_written_and_flagged_as_not_private() {
    let drive = FatDrive::new();
    assert!(std::fs::hard_link(drive.path(), drive.path().join("x")).is_err(), "FAT has no hard links");
    let home = TestHome::new().await;
    home.engine.create_account(new_account(MAG, "Acme", OperatingModel::PrimaryMerchant)).await.unwrap();

    // A new file: no RENAME_NOREPLACE and no link through FUSE.
    let file = drive.path().join("ci.pem");
    let delivery = home.engine.create_key_to_file(MAG, new_key("ci"), &file, false).await.unwrap();
    let pem = std::fs::read_to_string(&file).unwrap();
    assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"));
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_ne!(mode & 0o077, 0, "FAT shows its mount's mode: {mode:o}");
    assert_eq!(delivery.warnings.len(), 1, "{:?}", delivery.warnings);
    assert_eq!(delivery.warnings[0].code, ErrorCode::FileNotPrivate);
    assert!(delivery.warnings[0].message.contains(&format!("{mode:04o}")), "{}", delivery.warnings[0].message);
    assert_eq!(files_in(drive.path()), ["ci.pem"], "no temporary file is left");

    // The one-time download over an existing file (the save dialog asked):
    // without hard links the old file moves aside, then goes.
    let key = home.engine.create_key(MAG, new_key("second")).await.unwrap();
    let old = drive.path().join("old.pem");
    std::fs::write(&old, "the file that was here").unwrap();
    let delivery = home.engine.deliver_private_key(&key.id, &old, true, false).await.unwrap();
    assert_eq!(delivery.warnings[0].code, ErrorCode::FileNotPrivate);
    assert!(std::fs::read_to_string(&old).unwrap().starts_with("-----BEGIN PRIVATE KEY-----"));
    let mut left = files_in(drive.path());
    left.sort();
    assert_eq!(left, ["ci.pem", "old.pem"], "neither the replaced nor a temporary file is left");
    assert_eq!(home.engine.reconcile_files().await.unwrap(), 0, "nothing left to settle");

    // Without overwrite, an existing file is still refused.
    let third = home.engine.create_key(MAG, new_key("third")).await.unwrap();
    let err = home.engine.deliver_private_key(&third.id, &file, false, false).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::FileExists);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), pem, "the existing key file is untouched");
}

/// On a file system with Unix modes nothing is flagged.
#[tokio::test]
async fn a_key_saved_to_a_unix_folder_has_no_warning() {
    let home = TestHome::new().await;
    home.engine.create_account(new_account(MAG, "Acme", OperatingModel::PrimaryMerchant)).await.unwrap();
    let out = tempfile::tempdir().unwrap();
    let delivery = home.engine.create_key_to_file(MAG, new_key("ci"), &out.path().join("ci.pem"), false).await.unwrap();
    assert!(delivery.warnings.is_empty(), "{:?}", delivery.warnings);
}
