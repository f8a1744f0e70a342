//! Keyport's tidy checks live in `tests/tidy.rs`: they read the repository's
//! files as text and fail when documentation or a cross-language contract
//! no longer agrees with the code. This library only locates the repository.

use std::path::PathBuf;

/// The repository's root folder.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A file of the repository as text (panics with its path when unreadable:
/// tidy checks are tests).
pub fn read(path: &str) -> String {
    let full = root().join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("cannot read {}: {e}", full.display()))
}
