// Test fixtures: an overview as the engine sends it, and a renderer with the
// app's providers around a component.
import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import type { Account } from "../bindings/Account";
import type { ApiKeyInfo } from "../bindings/ApiKeyInfo";
import type { Overview } from "../bindings/Overview";
import { Messages } from "../components/Messages";
import { AppContext } from "../lib/app";
import { MessagesProvider } from "../lib/messages";

export const account: Account = {
  id: "acc-1",
  mage_id: "MAG012345678",
  name: "Acme Corp",
  edition: "adobe_commerce",
  operating_model: "primary_merchant",
  standing: "good",
  created_at: "2026-11-22T10:00:00.000Z",
  updated_at: "2026-11-22T10:00:00.000Z",
  merchants: [],
  is_current: true,
  relation: "own",
};

export const overview: Overview = {
  version: "0.1.0",
  home: "/tmp/home",
  accounts: [account],
  catalog: {
    editions: [
      { value: "adobe_commerce", label: "Adobe Commerce" },
      { value: "magento_open_source", label: "Magento Open Source" },
    ],
    operating_models: [
      { value: "primary_merchant", label: "Primary Merchant", has_merchants: false, scoped_features: [] },
      {
        value: "ecosystem",
        label: "Ecosystem",
        has_merchants: true,
        scoped_features: [{ value: "forward", label: "POST /forward" }],
      },
    ],
    standings: [
      { value: "good", label: "Good standing" },
      { value: "suspended", label: "Suspended" },
    ],
    environments: [
      { value: "production", label: "Production" },
      { value: "sandbox", label: "Sandbox" },
    ],
    instance_types: [
      { value: "production", label: "Production" },
      { value: "staging", label: "Staging" },
      { value: "development", label: "Development" },
    ],
    gateways: [
      { value: "keyport", label: "Keyport's Commerce Services sandbox" },
      { value: "adobe", label: "Adobe Commerce Services" },
      { value: "custom", label: "Custom URL" },
    ],
  },
};

export function apiKey(overrides: Partial<ApiKeyInfo> = {}): ApiKeyInfo {
  return {
    id: "key-1",
    account_id: account.id,
    environment: "production",
    label: "staging CI",
    api_key: "kp_prod_0123456789abcdefghjkmnpqrs0000000",
    fingerprint: "SHA256:abc",
    bits: 2048,
    public_key_pem: "-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n",
    created_at: "2026-11-22T10:00:00.000Z",
    status: "active",
    revoked_at: null,
    revoke_reason: null,
    delivered_at: null,
    download_pending: true,
    received_at: null,
    scope: null,
    kept_in_keychain: false,
    keychain_cleanup_pending: false,
    last_validated_at: null,
    ...overrides,
  };
}

export function renderWithApp(ui: ReactElement) {
  return render(
    <MessagesProvider>
      <AppContext.Provider value={{ overview, current: account, refresh: () => Promise.resolve() }}>
        <Messages />
        {ui}
      </AppContext.Provider>
    </MessagesProvider>,
  );
}
