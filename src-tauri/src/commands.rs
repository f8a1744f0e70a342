//! IPC commands: each unwraps its arguments, calls one engine use case and
//! returns its result or `{code, message}`.

use keyport_engine::ErrorBody;
use keyport_engine::model::{Account, AccountChanges, ActivityEntry, Merchant, NewAccount, Overview};
use tauri::State;

use crate::AppState;

type Reply<T> = Result<T, ErrorBody>;

#[tauri::command]
pub async fn overview(state: State<'_, AppState>) -> Reply<Overview> {
    Ok(state.engine()?.overview().await?)
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
