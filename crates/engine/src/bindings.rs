//! TypeScript declarations of every type that crosses the IPC boundary,
//! generated with ts-rs into `ui/src/bindings/`. The test
//! `tests/ts_bindings.rs` fails when the committed files are stale; rerun
//! it with `KEYPORT_UPDATE_BINDINGS=1` (or `make bindings`) to refresh them.

use std::path::Path;

use ts_rs::{Config, TS};

use crate::model;

/// Writes the declarations (each root type and everything it uses) to `dir`.
pub fn export_bindings(dir: &Path) -> Result<(), ts_rs::ExportError> {
    // JSON numbers, not bigint: every integer Keyport sends fits in 2^53.
    let cfg = Config::new().with_out_dir(dir).with_large_int("number");
    model::Overview::export_all(&cfg)?;
    model::NewAccount::export_all(&cfg)?;
    model::AccountChanges::export_all(&cfg)?;
    model::ActivityEntry::export_all(&cfg)?;
    model::NewKey::export_all(&cfg)?;
    model::KeyQuery::export_all(&cfg)?;
    model::KeyPage::export_all(&cfg)?;
    model::Delivery::export_all(&cfg)?;
    model::KeySizeStatus::export_all(&cfg)?;
    model::Project::export_all(&cfg)?;
    model::SandboxRequest::export_all(&cfg)?;
    model::SandboxStatus::export_all(&cfg)?;
    crate::ErrorBody::export_all(&cfg)?;
    Ok(())
}
