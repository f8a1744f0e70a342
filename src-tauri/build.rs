//! Declares the app's commands so Tauri generates an `allow-<command>`
//! permission for each and checks every IPC call against the capability in
//! `capabilities/default.json` (which grants exactly these, nothing of
//! `core:*`). The tidy test keeps this list, `generate_handler!` in
//! `src/main.rs` and the capability equal.

const COMMANDS: &[&str] = &[
    "overview",
    "create_account",
    "update_account",
    "use_account",
    "add_merchant",
    "rename_merchant",
    "remove_merchant",
    "activity",
    "key_sizes",
    "list_keys",
    "create_key",
    "pending_downloads",
    "download_private_key",
    "check_access",
    "discard_key",
    "revoke_key",
    "relabel_key",
    "sandbox_status",
    "sandbox_requests",
    "projects",
    "create_project",
    "rename_project",
    "rename_data_space",
    "instances",
    "instance",
    "add_instance",
    "update_instance",
    "remove_instance",
    "save_connector",
    "choose_private_key_file",
    "connector_registry",
    "connector_create_project",
    "connector_rename_project",
    "connector_rename_data_space",
    "check_instance",
    "export_instance",
    "bundle_identity",
    "new_bundle_identity",
    "generate_passphrase",
    "export_bundle",
    "download_key_bundle",
    "choose_bundle_file",
    "open_bundle",
    "import_bundle",
    "close_bundle",
    "about",
    "keychain_status",
    "painted",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build failed");
}
