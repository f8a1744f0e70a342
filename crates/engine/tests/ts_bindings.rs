//! The UI's TypeScript types are generated from the Rust types; this test
//! fails when `ui/src/bindings/` no longer matches them.
//! Refresh with: KEYPORT_UPDATE_BINDINGS=1 cargo test -p keyport-engine --test ts_bindings

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn read_dir(dir: &Path) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "ts") {
                files.insert(
                    path.file_name().unwrap().to_string_lossy().into_owned(),
                    std::fs::read_to_string(&path).unwrap(),
                );
            }
        }
    }
    files
}

#[test]
fn typescript_bindings_are_fresh() {
    let committed_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/bindings");
    let fresh_dir = tempfile::tempdir().unwrap();
    keyport_engine::export_bindings(fresh_dir.path()).unwrap();
    let fresh = read_dir(fresh_dir.path());
    assert!(fresh.contains_key("Account.ts"));

    if std::env::var_os("KEYPORT_UPDATE_BINDINGS").is_some() {
        if committed_dir.exists() {
            std::fs::remove_dir_all(&committed_dir).unwrap();
        }
        std::fs::create_dir_all(&committed_dir).unwrap();
        for (name, text) in &fresh {
            std::fs::write(committed_dir.join(name), text).unwrap();
        }
        return;
    }

    let committed = read_dir(&committed_dir);
    let stale: Vec<_> =
        fresh.keys().chain(committed.keys()).filter(|name| fresh.get(*name) != committed.get(*name)).collect();
    assert!(stale.is_empty(), "ui/src/bindings is stale ({stale:?}). Regenerate: make bindings");
}
