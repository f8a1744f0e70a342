// The only module that talks to the Rust side. Each wrapper is one Tauri
// command (a tidy test checks every registered command has exactly one,
// with the arguments the command takes); failures always reject with a
// KeyportError carrying the engine's stable code.
import { invoke } from "@tauri-apps/api/core";
import type { About } from "../bindings/About";
import type { Access } from "../bindings/Access";
import type { AccessRequest } from "../bindings/AccessRequest";
import type { Account } from "../bindings/Account";
import type { AccountChanges } from "../bindings/AccountChanges";
import type { ActivityPage } from "../bindings/ActivityPage";
import type { ApiKeyInfo } from "../bindings/ApiKeyInfo";
import type { BundleExported } from "../bindings/BundleExported";
import type { BundleIdentity } from "../bindings/BundleIdentity";
import type { BundlePreview } from "../bindings/BundlePreview";
import type { BundleProtection } from "../bindings/BundleProtection";
import type { ChosenFile } from "../bindings/ChosenFile";
import type { ConnectorInput } from "../bindings/ConnectorInput";
import type { ConnectorSaved } from "../bindings/ConnectorSaved";
import type { DataSpace } from "../bindings/DataSpace";
import type { Delivery } from "../bindings/Delivery";
import type { ErrorBody } from "../bindings/ErrorBody";
import type { ErrorCode } from "../bindings/ErrorCode";
import type { Field } from "../bindings/Field";
import type { ImportedBundle } from "../bindings/ImportedBundle";
import type { Instance } from "../bindings/Instance";
import type { InstanceChanges } from "../bindings/InstanceChanges";
import type { InstanceExport } from "../bindings/InstanceExport";
import type { KeychainStatus } from "../bindings/KeychainStatus";
import type { KeyPage } from "../bindings/KeyPage";
import type { NewBundle } from "../bindings/NewBundle";
import type { KeyQuery } from "../bindings/KeyQuery";
import type { KeySizeStatus } from "../bindings/KeySizeStatus";
import type { Merchant } from "../bindings/Merchant";
import type { NewAccount } from "../bindings/NewAccount";
import type { NewInstance } from "../bindings/NewInstance";
import type { NewKey } from "../bindings/NewKey";
import type { Overview } from "../bindings/Overview";
import type { Project } from "../bindings/Project";
import type { RegistryRow } from "../bindings/RegistryRow";
import type { SandboxRequest } from "../bindings/SandboxRequest";
import type { SandboxStatus } from "../bindings/SandboxStatus";

export class KeyportError extends Error {
  readonly code: ErrorCode;
  readonly field?: Field;
  /** The single problems, when several were found at once (one per field). */
  readonly details: ErrorBody[];
  constructor(body: ErrorBody) {
    super(body.message);
    this.name = "KeyportError";
    this.code = body.code;
    this.field = body.field;
    this.details = body.details ?? [];
  }
}

function isErrorBody(e: unknown): e is ErrorBody {
  return typeof e === "object" && e !== null && "code" in e && "message" in e;
}

/** Normalises whatever an invoke rejected with into a KeyportError. */
export function toKeyportError(e: unknown): KeyportError {
  if (e instanceof KeyportError) return e;
  if (isErrorBody(e)) return new KeyportError(e);
  // Tauri reports argument (de)serialisation failures as plain strings.
  const message = typeof e === "string" ? e : e instanceof Error ? e.message : "Unexpected error";
  return new KeyportError({ code: "ipc_error", message });
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
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
  /** Rejects with confirmation_required (details: the warnings) when scoped keys name the merchant. */
  removeMerchant: (accountId: string, merchantId: string, confirmed: string[]) =>
    call<Merchant>("remove_merchant", { accountId, merchantId, confirmed }),
  activity: (accountId: string | null, limit: number, offset: number) =>
    call<ActivityPage>("activity", { accountId, limit, offset }),
  keySizes: () => call<KeySizeStatus[]>("key_sizes"),
  listKeys: (accountId: string, query: KeyQuery) => call<KeyPage>("list_keys", { accountId, query }),
  createKey: (accountId: string, input: NewKey) => call<ApiKeyInfo>("create_key", { accountId, input }),
  pendingDownloads: () => call<ApiKeyInfo[]>("pending_downloads"),
  /** Opens the native save dialog; rejects with save_cancelled when dismissed. */
  downloadPrivateKey: (keyId: string, keepInKeychain: boolean) =>
    call<Delivery>("download_private_key", { keyId, keepInKeychain }),
  checkAccess: (keyId: string, request: AccessRequest) => call<Access>("check_access", { keyId, request }),
  discardKey: (keyId: string) => call<ApiKeyInfo>("discard_key", { keyId }),
  revokeKey: (keyId: string, reason: string) => call<ApiKeyInfo>("revoke_key", { keyId, reason }),
  relabelKey: (keyId: string, label: string) => call<ApiKeyInfo>("relabel_key", { keyId, label }),
  sandboxStatus: () => call<SandboxStatus>("sandbox_status"),
  about: () => call<About>("about"),
  keychainStatus: () => call<KeychainStatus>("keychain_status"),
  painted: () => call<null>("painted"),
  sandboxRequests: (limit: number) => call<SandboxRequest[]>("sandbox_requests", { limit }),
  projects: (accountId: string) => call<Project[]>("projects", { accountId }),
  createProject: (accountId: string, name: string) => call<Project>("create_project", { accountId, name }),
  renameProject: (accountId: string, projectId: string, name: string) =>
    call<Project>("rename_project", { accountId, projectId, name }),
  renameDataSpace: (accountId: string, dataSpaceId: string, name: string) =>
    call<DataSpace>("rename_data_space", { accountId, dataSpaceId, name }),
  instances: (accountId: string | null) => call<Instance[]>("instances", { accountId }),
  instance: (instanceId: string) => call<Instance>("instance", { instanceId }),
  addInstance: (input: NewInstance) => call<Instance>("add_instance", { input }),
  updateInstance: (instanceId: string, changes: InstanceChanges) =>
    call<Instance>("update_instance", { instanceId, changes }),
  removeInstance: (instanceId: string) => call<Instance>("remove_instance", { instanceId }),
  /** "Save Config": rejects with connector_invalid (details per field) or confirmation_required. */
  saveConnector: (instanceId: string, input: ConnectorInput) =>
    call<ConnectorSaved>("save_connector", { instanceId, input }),
  /** The native open dialog; resolves to the chosen path, rejects with save_cancelled. */
  choosePrivateKeyFile: () => call<ChosenFile>("choose_private_key_file"),
  connectorRegistry: (instanceId: string) => call<RegistryRow[]>("connector_registry", { instanceId }),
  connectorCreateProject: (instanceId: string, name: string) =>
    call<RegistryRow[]>("connector_create_project", { instanceId, name }),
  connectorRenameProject: (instanceId: string, projectId: string, name: string) =>
    call<RegistryRow[]>("connector_rename_project", { instanceId, projectId, name }),
  connectorRenameDataSpace: (instanceId: string, dataSpaceId: string, name: string) =>
    call<RegistryRow>("connector_rename_data_space", { instanceId, dataSpaceId, name }),
  checkInstance: (instanceId: string) => call<Instance>("check_instance", { instanceId }),
  /** The native folder dialog, then the export into a new folder there. */
  exportInstance: (instanceId: string, lockEnv: boolean) =>
    call<InstanceExport>("export_instance", { instanceId, lockEnv }),
  /** This workstation's identity, created on first use. */
  bundleIdentity: () => call<BundleIdentity>("bundle_identity"),
  newBundleIdentity: (replace: boolean) => call<BundleIdentity>("new_bundle_identity", { replace }),
  generatePassphrase: () => call<string>("generate_passphrase"),
  /** Checks the export, then the native save dialog (save_cancelled when dismissed). */
  exportBundle: (bundle: NewBundle) => call<BundleExported>("export_bundle", { bundle }),
  /** The one-time download as a key bundle, through the native save dialog. */
  downloadKeyBundle: (keyId: string, protection: BundleProtection, expiresInHours: number, keepInKeychain: boolean) =>
    call<Delivery>("download_key_bundle", { keyId, protection, expiresInHours, keepInKeychain }),
  chooseBundleFile: () => call<ChosenFile>("choose_bundle_file"),
  /** Opens and previews a chosen bundle; rejects with bundle_passphrase_required when it needs one. */
  openBundle: (token: string, passphrase: string | null) => call<BundlePreview>("open_bundle", { token, passphrase }),
  /** Imports the opened bundle; `confirmed`: its preview's warnings, when it has any. */
  importBundle: (token: string, confirmed: string[]) => call<ImportedBundle>("import_bundle", { token, confirmed }),
  closeBundle: (token: string) => call<null>("close_bundle", { token }),
};
