// The only module that talks to the Rust side. Each function is one Tauri
// command; failures always reject with a KeyportError carrying the engine's
// stable code.
import { invoke } from "@tauri-apps/api/core";
import type { Account } from "../bindings/Account";
import type { AccountChanges } from "../bindings/AccountChanges";
import type { ActivityEntry } from "../bindings/ActivityEntry";
import type { ApiKeyInfo } from "../bindings/ApiKeyInfo";
import type { Delivery } from "../bindings/Delivery";
import type { KeyPage } from "../bindings/KeyPage";
import type { KeyQuery } from "../bindings/KeyQuery";
import type { KeySizeStatus } from "../bindings/KeySizeStatus";
import type { NewKey } from "../bindings/NewKey";
import type { DataSpace } from "../bindings/DataSpace";
import type { Project } from "../bindings/Project";
import type { SandboxRequest } from "../bindings/SandboxRequest";
import type { SandboxStatus } from "../bindings/SandboxStatus";
import type { ErrorBody } from "../bindings/ErrorBody";
import type { Merchant } from "../bindings/Merchant";
import type { NewAccount } from "../bindings/NewAccount";
import type { Overview } from "../bindings/Overview";

export class KeyportError extends Error {
  readonly code: string;
  constructor(body: ErrorBody) {
    super(body.message);
    this.name = "KeyportError";
    this.code = body.code;
  }
}

/** Normalises whatever an invoke rejected with into a KeyportError. */
export function toKeyportError(e: unknown): KeyportError {
  if (e instanceof KeyportError) return e;
  if (e && typeof e === "object" && "code" in e && "message" in e) {
    return new KeyportError({ code: String(e.code), message: String(e.message) });
  }
  // Tauri reports argument (de)serialisation failures as plain strings.
  const message = typeof e === "string" ? e : e instanceof Error ? e.message : "Unexpected error";
  return new KeyportError({ code: "ipc_error", message });
}

export async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw toKeyportError(e);
  }
}

export const api = {
  overview: () => call<Overview>("overview"),
  createAccount: (input: NewAccount) => call<Account>("create_account", { input }),
  updateAccount: (accountId: string, changes: AccountChanges) =>
    call<Account>("update_account", { accountId, changes }),
  useAccount: (accountId: string) => call<Account>("use_account", { accountId }),
  addMerchant: (accountId: string, name: string) => call<Merchant>("add_merchant", { accountId, name }),
  renameMerchant: (accountId: string, merchantId: string, name: string) =>
    call<Merchant>("rename_merchant", { accountId, merchantId, name }),
  removeMerchant: (accountId: string, merchantId: string) =>
    call<Merchant>("remove_merchant", { accountId, merchantId }),
  activity: (accountId: string | null, limit: number) =>
    call<ActivityEntry[]>("activity", { accountId, limit }),
  keySizes: () => call<KeySizeStatus[]>("key_sizes"),
  listKeys: (query: KeyQuery) => call<KeyPage>("list_keys", { query }),
  createKey: (input: NewKey) => call<ApiKeyInfo>("create_key", { input }),
  pendingDownloads: () => call<ApiKeyInfo[]>("pending_downloads"),
  /** Opens the native save dialog; rejects with save_cancelled when dismissed. */
  downloadPrivateKey: (keyId: string, keepInKeychain: boolean) =>
    call<Delivery>("download_private_key", { keyId, keepInKeychain }),
  discardKey: (keyId: string) => call<ApiKeyInfo>("discard_key", { keyId }),
  revokeKey: (keyId: string, reason: string) => call<ApiKeyInfo>("revoke_key", { keyId, reason }),
  relabelKey: (keyId: string, label: string) => call<ApiKeyInfo>("relabel_key", { keyId, label }),
  sandboxStatus: () => call<SandboxStatus>("sandbox_status"),
  sandboxRequests: (limit: number) => call<SandboxRequest[]>("sandbox_requests", { limit }),
  projects: () => call<Project[]>("projects"),
  createProject: (name: string) => call<Project>("create_project", { name }),
  renameProject: (projectId: string, name: string) => call<Project>("rename_project", { projectId, name }),
  renameDataSpace: (dataSpaceId: string, name: string) => call<DataSpace>("rename_data_space", { dataSpaceId, name }),
};
