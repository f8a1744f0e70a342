//! IPC commands: each unwraps its arguments, calls one engine use case and
//! returns its result or `{code, message}`.

use keyport_engine::core::scope::Access;
use keyport_engine::model::{
    AccessRequest, Account, AccountChanges, ActivityPage, ApiKeyInfo, BundleExported, BundleIdentity, BundlePreview,
    BundleProtection, ConnectorInput, ConnectorSaved, DataSpace, Delivery, ImportedBundle, Instance, InstanceChanges,
    InstanceExport, KeyPage, KeyQuery, KeySizeStatus, Merchant, NewAccount, NewBundle, NewInstance, NewKey,
    PastedSecret, PrivateKeySource, Project, RegistryRow, SandboxRequest,
};
use keyport_engine::{EngineError, ErrorBody};
use tauri::State;

use crate::AppState;
use crate::ipc::{About, ChosenFile, Overview, SandboxStatus};

type Reply<T> = Result<T, ErrorBody>;

#[tauri::command]
pub async fn overview(state: State<'_, AppState>) -> Reply<Overview> {
    Ok(Overview::of(&state.engine().await?).await?)
}

#[tauri::command]
pub async fn create_account(state: State<'_, AppState>, input: NewAccount) -> Reply<Account> {
    Ok(state.engine().await?.create_account(input).await?)
}

#[tauri::command]
pub async fn update_account(state: State<'_, AppState>, account_id: String, changes: AccountChanges) -> Reply<Account> {
    Ok(state.engine().await?.update_account(&account_id, changes).await?)
}

#[tauri::command]
pub async fn use_account(state: State<'_, AppState>, account_id: String) -> Reply<Account> {
    Ok(state.engine().await?.use_account(&account_id).await?)
}

#[tauri::command]
pub async fn add_merchant(state: State<'_, AppState>, account_id: String, name: String) -> Reply<Merchant> {
    Ok(state.engine().await?.add_merchant(&account_id, &name).await?)
}

#[tauri::command]
pub async fn rename_merchant(
    state: State<'_, AppState>,
    account_id: String,
    merchant_id: String,
    name: String,
) -> Reply<Merchant> {
    Ok(state.engine().await?.rename_merchant(&account_id, &merchant_id, &name).await?)
}

#[tauri::command]
pub async fn remove_merchant(
    state: State<'_, AppState>,
    account_id: String,
    merchant_id: String,
    confirmed: Vec<String>,
) -> Reply<Merchant> {
    Ok(state.engine().await?.remove_merchant(&account_id, &merchant_id, &confirmed).await?)
}

#[tauri::command]
pub async fn activity(
    state: State<'_, AppState>,
    account_id: Option<String>,
    limit: u32,
    offset: u32,
) -> Reply<ActivityPage> {
    Ok(state.engine().await?.activity(account_id.as_deref(), limit.min(500), offset).await?)
}

// ---- API Portal ----

#[tauri::command]
pub async fn key_sizes(state: State<'_, AppState>) -> Reply<Vec<KeySizeStatus>> {
    Ok(state.engine().await?.key_sizes())
}

#[tauri::command]
pub async fn list_keys(state: State<'_, AppState>, account_id: String, query: KeyQuery) -> Reply<KeyPage> {
    Ok(state.engine().await?.keys(&account_id, &query).await?)
}

/// "Add New": the private key waits in the keychain for its download.
#[tauri::command]
pub async fn create_key(state: State<'_, AppState>, account_id: String, input: NewKey) -> Reply<ApiKeyInfo> {
    Ok(state.engine().await?.create_key(&account_id, input).await?)
}

#[tauri::command]
pub async fn pending_downloads(state: State<'_, AppState>) -> Reply<Vec<ApiKeyInfo>> {
    Ok(state.engine().await?.pending_downloads().await?)
}

/// The one-time download: the native save dialog, then the engine writes,
/// verifies and forgets the key. The private key never crosses IPC.
#[tauri::command]
pub async fn download_private_key(
    window: tauri::Window,
    state: State<'_, AppState>,
    key_id: String,
    keep_in_keychain: bool,
) -> Reply<Delivery> {
    let engine = state.engine().await?;
    let key = engine.downloadable_key(&key_id).await?;
    let chosen = rfd::AsyncFileDialog::new()
        .set_title(format!("Save the private key of \"{}\"", key.label))
        .set_file_name(key.environment.private_key_file_name())
        .set_parent(&window)
        .save_file()
        .await
        .ok_or(EngineError::SaveCancelled)?;
    let path = chosen.path().to_path_buf();
    // GTK's save dialog asks before replacing a file, so an existing path
    // here is one the user chose to replace.
    let overwrite = path.exists();
    Ok(engine.deliver_private_key(&key.id, &path, overwrite, keep_in_keychain).await?)
}

/// The access check of a key (its details dialog).
#[tauri::command]
pub async fn check_access(state: State<'_, AppState>, key_id: String, request: AccessRequest) -> Reply<Access> {
    Ok(state.engine().await?.check_access(&key_id, &request).await?)
}

#[tauri::command]
pub async fn discard_key(state: State<'_, AppState>, key_id: String) -> Reply<ApiKeyInfo> {
    Ok(state.engine().await?.discard_pending_key(&key_id).await?)
}

#[tauri::command]
pub async fn revoke_key(state: State<'_, AppState>, key_id: String, reason: String) -> Reply<ApiKeyInfo> {
    Ok(state.engine().await?.revoke_key(&key_id, &reason).await?)
}

#[tauri::command]
pub async fn relabel_key(state: State<'_, AppState>, key_id: String, label: String) -> Reply<ApiKeyInfo> {
    Ok(state.engine().await?.relabel_key(&key_id, &label).await?)
}

// ---- Commerce Services sandbox ----

/// Whether the OS keychain answers (asked after the first paint).
#[tauri::command]
pub async fn keychain_status(state: State<'_, AppState>) -> Reply<keyport_engine::KeychainStatus> {
    Ok(state.engine().await?.secrets().status().await)
}

/// The page has painted its first screen: what start-up deferred begins now
/// (once), and the bench's marker is printed when asked for.
#[tauri::command]
pub async fn painted(state: State<'_, AppState>) -> Reply<()> {
    state.after_first_paint().await;
    Ok(())
}

/// Help › About Keyport (runs `keyport doctor`'s checks).
#[tauri::command]
pub async fn about(state: State<'_, AppState>) -> Reply<About> {
    let log_file = state.log_file.as_ref().map(|p| p.display().to_string());
    Ok(About::of(&state.engine().await?, &state.sandbox().await, log_file).await)
}

#[tauri::command]
pub async fn sandbox_status(state: State<'_, AppState>) -> Reply<SandboxStatus> {
    Ok(state.sandbox().await)
}

#[tauri::command]
pub async fn sandbox_requests(state: State<'_, AppState>, limit: u32) -> Reply<Vec<SandboxRequest>> {
    Ok(state.engine().await?.sandbox_requests(limit).await?)
}

#[tauri::command]
pub async fn projects(state: State<'_, AppState>, account_id: String) -> Reply<Vec<Project>> {
    Ok(state.engine().await?.projects(&account_id).await?)
}

#[tauri::command]
pub async fn create_project(state: State<'_, AppState>, account_id: String, name: String) -> Reply<Project> {
    Ok(state.engine().await?.create_project(&account_id, &name).await?)
}

#[tauri::command]
pub async fn rename_project(
    state: State<'_, AppState>,
    account_id: String,
    project_id: String,
    name: String,
) -> Reply<Project> {
    Ok(state.engine().await?.rename_project(&account_id, &project_id, &name).await?)
}

#[tauri::command]
pub async fn rename_data_space(
    state: State<'_, AppState>,
    account_id: String,
    data_space_id: String,
    name: String,
) -> Reply<DataSpace> {
    Ok(state.engine().await?.rename_data_space(&account_id, &data_space_id, &name).await?)
}

// ---- Instances and the Commerce Services Connector ----

#[tauri::command]
pub async fn instances(state: State<'_, AppState>, account_id: Option<String>) -> Reply<Vec<Instance>> {
    Ok(state.engine().await?.instances(account_id.as_deref()).await?)
}

#[tauri::command]
pub async fn instance(state: State<'_, AppState>, instance_id: String) -> Reply<Instance> {
    Ok(state.engine().await?.instance(&instance_id).await?)
}

#[tauri::command]
pub async fn add_instance(state: State<'_, AppState>, input: NewInstance) -> Reply<Instance> {
    Ok(state.engine().await?.add_instance(input).await?)
}

#[tauri::command]
pub async fn update_instance(
    state: State<'_, AppState>,
    instance_id: String,
    changes: InstanceChanges,
) -> Reply<Instance> {
    Ok(state.engine().await?.update_instance(&instance_id, changes).await?)
}

#[tauri::command]
pub async fn remove_instance(state: State<'_, AppState>, instance_id: String) -> Reply<Instance> {
    Ok(state.engine().await?.remove_instance(&instance_id).await?)
}

/// "Save Config". A pasted private key arrives here once, zeroized when
/// dropped, and goes to the keychain; it is never sent back.
#[tauri::command]
pub async fn save_connector(
    state: State<'_, AppState>,
    instance_id: String,
    mut input: ConnectorInput,
) -> Reply<ConnectorSaved> {
    // A file source names a token from choose_private_key_file, not a path.
    for pair in [input.sandbox.as_mut(), input.production.as_mut()].into_iter().flatten() {
        if let PrivateKeySource::File { path } = &mut pair.private_key {
            *path = state.chosen_file(path)?.display().to_string();
        }
    }
    Ok(state.engine().await?.save_connector(&instance_id, input).await?)
}

/// The native open dialog (starting in `$HOME`) for one kind of file; the
/// window gets a token for the chosen path, never the path to send back.
async fn open_file(
    window: &tauri::Window,
    state: &AppState,
    title: &str,
    (kind, extensions): (&str, &[&str]),
) -> Reply<ChosenFile> {
    let chosen = in_home(rfd::AsyncFileDialog::new())
        .set_title(title)
        .add_filter(kind, extensions)
        .add_filter("All files", &["*"])
        .set_parent(window)
        .pick_file()
        .await
        .ok_or(EngineError::SaveCancelled)?;
    Ok(state.choose_file(chosen.path().to_path_buf()))
}

/// The native open dialog for a private-key file. The window gets a token
/// (and the path to show); the engine reads the file when the configuration
/// is saved.
#[tauri::command]
pub async fn choose_private_key_file(window: tauri::Window, state: State<'_, AppState>) -> Reply<ChosenFile> {
    open_file(&window, &state, "Open a private key", ("PEM private keys", &["pem", "key"])).await
}

#[tauri::command]
pub async fn connector_registry(state: State<'_, AppState>, instance_id: String) -> Reply<Vec<RegistryRow>> {
    Ok(state.engine().await?.connector_registry(&instance_id).await?)
}

#[tauri::command]
pub async fn connector_create_project(
    state: State<'_, AppState>,
    instance_id: String,
    name: String,
) -> Reply<Vec<RegistryRow>> {
    Ok(state.engine().await?.connector_create_project(&instance_id, &name).await?)
}

#[tauri::command]
pub async fn connector_rename_project(
    state: State<'_, AppState>,
    instance_id: String,
    project_id: String,
    name: String,
) -> Reply<Vec<RegistryRow>> {
    Ok(state.engine().await?.connector_rename_project(&instance_id, &project_id, &name).await?)
}

#[tauri::command]
pub async fn connector_rename_data_space(
    state: State<'_, AppState>,
    instance_id: String,
    data_space_id: String,
    name: String,
) -> Reply<RegistryRow> {
    Ok(state.engine().await?.connector_rename_data_space(&instance_id, &data_space_id, &name).await?)
}

#[tauri::command]
pub async fn check_instance(state: State<'_, AppState>, instance_id: String) -> Reply<Instance> {
    Ok(state.engine().await?.check_instance(&instance_id).await?)
}

/// "Export for Magento": the native folder dialog, then a new folder in it
/// named after the instance, so an existing folder is never written into.
#[tauri::command]
pub async fn export_instance(
    window: tauri::Window,
    state: State<'_, AppState>,
    instance_id: String,
    lock_env: bool,
) -> Reply<InstanceExport> {
    let engine = state.engine().await?;
    let instance = engine.instance(&instance_id).await?;
    let parent = in_home(rfd::AsyncFileDialog::new())
        .set_title(format!("Export the Connector configuration of \"{}\" into…", instance.name))
        .set_parent(&window)
        .pick_folder()
        .await
        .ok_or(EngineError::SaveCancelled)?;
    let folder = free_folder(parent.path(), &format!("{}-connector", folder_name(&instance.name)));
    Ok(engine.export_instance(&instance.id, &folder, lock_env).await?)
}

/// Opens a dialog in the home folder: GTK's default "Recent" view lists
/// nothing useful here, cannot be chosen as a folder, and does not accept a
/// typed path.
fn in_home(dialog: rfd::AsyncFileDialog) -> rfd::AsyncFileDialog {
    match std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        Some(home) => dialog.set_directory(home),
        None => dialog,
    }
}

/// A file-system-safe form of a name.
fn folder_name(name: &str) -> String {
    let safe: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || "-_.".contains(c) { c } else { '-' }).collect();
    safe.trim_matches(['-', '.']).to_string()
}

/// `parent/stem`, or `parent/stem-2`, `-3`… if taken.
fn free_folder(parent: &std::path::Path, stem: &str) -> std::path::PathBuf {
    let stem = if stem.is_empty() { "keyport-connector" } else { stem };
    (1..)
        .map(|n| if n == 1 { parent.join(stem) } else { parent.join(format!("{stem}-{n}")) })
        .find(|p| !p.exists())
        .unwrap_or_else(|| parent.join(stem))
}

// ---- Key bundles ----

#[tauri::command]
pub async fn bundle_identity(state: State<'_, AppState>) -> Reply<BundleIdentity> {
    Ok(state.engine().await?.identity().await?)
}

#[tauri::command]
pub async fn new_bundle_identity(state: State<'_, AppState>, replace: bool) -> Reply<BundleIdentity> {
    Ok(state.engine().await?.new_identity(replace).await?)
}

/// A strong passphrase for the person to use (and tell the recipient).
#[tauri::command]
pub async fn generate_passphrase() -> Reply<String> {
    use keyport_engine::core::bundle::age::secrecy::ExposeSecret;
    Ok(keyport_engine::core::bundle::generate_passphrase(&mut rand::rngs::OsRng).expose_secret().to_string())
}

/// "Export Bundle…": checks the export, then the native save dialog, then
/// the engine writes the bundle there.
#[tauri::command]
pub async fn export_bundle(
    window: tauri::Window,
    state: State<'_, AppState>,
    bundle: NewBundle,
) -> Reply<BundleExported> {
    let engine = state.engine().await?;
    engine.check_new_bundle(&bundle).await?;
    let account = engine.key(&bundle.keys[0]).await.map(|k| k.account_id)?;
    let account = engine.account(&account).await?;
    let path = save_bundle_dialog(&window, &format!("Save the key bundle of {}", account.name), &account.name).await?;
    let overwrite = path.exists();
    Ok(engine.export_bundle(bundle, &path, overwrite).await?)
}

/// The one-time download as a key bundle ("Save encrypted for a recipient").
#[tauri::command]
pub async fn download_key_bundle(
    window: tauri::Window,
    state: State<'_, AppState>,
    key_id: String,
    protection: BundleProtection,
    expires_in_hours: u32,
    keep_in_keychain: bool,
) -> Reply<Delivery> {
    let engine = state.engine().await?;
    let key = engine.downloadable_key(&key_id).await?;
    engine.check_bundle_protection(&protection, expires_in_hours)?;
    let path =
        save_bundle_dialog(&window, &format!("Save the key \"{}\" as a key bundle", key.label), &key.label).await?;
    let overwrite = path.exists();
    Ok(engine.deliver_as_bundle(&key.id, &protection, expires_in_hours, &path, overwrite, keep_in_keychain).await?)
}

async fn save_bundle_dialog(window: &tauri::Window, title: &str, name: &str) -> Result<std::path::PathBuf, ErrorBody> {
    let chosen = in_home(rfd::AsyncFileDialog::new())
        .set_title(title)
        .set_file_name(format!("{}.keyport", folder_name(name)))
        .add_filter("Keyport key bundles", &["keyport"])
        .set_parent(window)
        .save_file()
        .await
        .ok_or(EngineError::SaveCancelled)?;
    // GTK's save dialog asks before replacing a file.
    Ok(chosen.path().to_path_buf())
}

/// The native open dialog for a key bundle; the window gets a token.
#[tauri::command]
pub async fn choose_bundle_file(window: tauri::Window, state: State<'_, AppState>) -> Reply<ChosenFile> {
    open_file(&window, &state, "Open a key bundle", ("Key bundles", &["keyport", "age"])).await
}

/// Opens the chosen bundle (with a passphrase, or this workstation's
/// identity) and previews it; the opened bundle waits in the app for Import.
#[tauri::command]
pub async fn open_bundle(
    state: State<'_, AppState>,
    token: String,
    passphrase: Option<PastedSecret>,
) -> Reply<BundlePreview> {
    let path = state.chosen_file(&token)?;
    let opened = state.engine().await?.open_bundle(&path, passphrase.as_ref().map(PastedSecret::expose)).await?;
    let preview = opened.preview.clone();
    state.stage_bundle(token, opened);
    Ok(preview)
}

#[tauri::command]
pub async fn import_bundle(state: State<'_, AppState>, token: String, confirmed: Vec<String>) -> Reply<ImportedBundle> {
    let opened = state.staged_bundle(&token)?;
    Ok(state.engine().await?.import_bundle(opened, &confirmed).await?)
}

/// Forgets an opened bundle (Cancel): its private keys leave memory.
#[tauri::command]
pub async fn close_bundle(state: State<'_, AppState>, token: String) -> Reply<()> {
    let _ = state.staged_bundle(&token);
    Ok(())
}
