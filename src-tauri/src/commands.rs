//! IPC commands: each unwraps its arguments, calls one engine use case and
//! returns its result or `{code, message}`.

use keyport_engine::model::{
    Account, AccountChanges, ActivityEntry, ApiKeyInfo, DataSpace, Delivery, KeyPage, KeyQuery, KeySizeStatus,
    Merchant, NewAccount, NewKey, Project, SandboxRequest,
};
use keyport_engine::{EngineError, ErrorBody};
use tauri::State;

use crate::AppState;
use crate::ipc::{Overview, SandboxStatus};

type Reply<T> = Result<T, ErrorBody>;

#[tauri::command]
pub async fn overview(state: State<'_, AppState>) -> Reply<Overview> {
    Ok(Overview::of(state.engine()?).await?)
}

#[tauri::command]
pub async fn create_account(state: State<'_, AppState>, input: NewAccount) -> Reply<Account> {
    Ok(state.engine()?.create_account(input).await?)
}

#[tauri::command]
pub async fn update_account(state: State<'_, AppState>, account_id: String, changes: AccountChanges) -> Reply<Account> {
    Ok(state.engine()?.update_account(&account_id, changes).await?)
}

#[tauri::command]
pub async fn use_account(state: State<'_, AppState>, account_id: String) -> Reply<Account> {
    Ok(state.engine()?.use_account(&account_id).await?)
}

#[tauri::command]
pub async fn add_merchant(state: State<'_, AppState>, account_id: String, name: String) -> Reply<Merchant> {
    Ok(state.engine()?.add_merchant(&account_id, &name).await?)
}

#[tauri::command]
pub async fn rename_merchant(
    state: State<'_, AppState>,
    account_id: String,
    merchant_id: String,
    name: String,
) -> Reply<Merchant> {
    Ok(state.engine()?.rename_merchant(&account_id, &merchant_id, &name).await?)
}

#[tauri::command]
pub async fn remove_merchant(state: State<'_, AppState>, account_id: String, merchant_id: String) -> Reply<Merchant> {
    Ok(state.engine()?.remove_merchant(&account_id, &merchant_id).await?)
}

#[tauri::command]
pub async fn activity(state: State<'_, AppState>, account_id: Option<String>, limit: u32) -> Reply<Vec<ActivityEntry>> {
    Ok(state.engine()?.activity(account_id.as_deref(), limit.min(1000)).await?)
}

// ---- API Portal ----

#[tauri::command]
pub async fn key_sizes(state: State<'_, AppState>) -> Reply<Vec<KeySizeStatus>> {
    Ok(state.engine()?.key_sizes())
}

#[tauri::command]
pub async fn list_keys(state: State<'_, AppState>, account_id: String, query: KeyQuery) -> Reply<KeyPage> {
    Ok(state.engine()?.keys(&account_id, &query).await?)
}

/// "Add New": the private key waits in the keychain for its download.
#[tauri::command]
pub async fn create_key(state: State<'_, AppState>, account_id: String, input: NewKey) -> Reply<ApiKeyInfo> {
    Ok(state.engine()?.create_key(&account_id, input).await?)
}

#[tauri::command]
pub async fn pending_downloads(state: State<'_, AppState>) -> Reply<Vec<ApiKeyInfo>> {
    Ok(state.engine()?.pending_downloads().await?)
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
    let engine = state.engine()?;
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

#[tauri::command]
pub async fn discard_key(state: State<'_, AppState>, key_id: String) -> Reply<ApiKeyInfo> {
    Ok(state.engine()?.discard_pending_key(&key_id).await?)
}

#[tauri::command]
pub async fn revoke_key(state: State<'_, AppState>, key_id: String, reason: String) -> Reply<ApiKeyInfo> {
    Ok(state.engine()?.revoke_key(&key_id, &reason).await?)
}

#[tauri::command]
pub async fn relabel_key(state: State<'_, AppState>, key_id: String, label: String) -> Reply<ApiKeyInfo> {
    Ok(state.engine()?.relabel_key(&key_id, &label).await?)
}

// ---- Commerce Services sandbox ----

#[tauri::command]
pub async fn sandbox_status(state: State<'_, AppState>) -> Reply<SandboxStatus> {
    Ok(state.sandbox.clone())
}

#[tauri::command]
pub async fn sandbox_requests(state: State<'_, AppState>, limit: u32) -> Reply<Vec<SandboxRequest>> {
    Ok(state.engine()?.sandbox_requests(limit).await?)
}

#[tauri::command]
pub async fn projects(state: State<'_, AppState>, account_id: String) -> Reply<Vec<Project>> {
    Ok(state.engine()?.projects(&account_id).await?)
}

#[tauri::command]
pub async fn create_project(state: State<'_, AppState>, account_id: String, name: String) -> Reply<Project> {
    Ok(state.engine()?.create_project(&account_id, &name).await?)
}

#[tauri::command]
pub async fn rename_project(
    state: State<'_, AppState>,
    account_id: String,
    project_id: String,
    name: String,
) -> Reply<Project> {
    Ok(state.engine()?.rename_project(&account_id, &project_id, &name).await?)
}

#[tauri::command]
pub async fn rename_data_space(
    state: State<'_, AppState>,
    account_id: String,
    data_space_id: String,
    name: String,
) -> Reply<DataSpace> {
    Ok(state.engine()?.rename_data_space(&account_id, &data_space_id, &name).await?)
}
