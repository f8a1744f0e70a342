// Account › API Portal: the license holder's key pairs per environment,
// "Add New" with the one-time download, labels and revocation.
import { useEffect, useState, type FormEvent } from "react";
import type { ApiKeyInfo } from "../bindings/ApiKeyInfo";
import type { Environment } from "../bindings/Environment";
import type { KeyPage } from "../bindings/KeyPage";
import type { KeySizeStatus } from "../bindings/KeySizeStatus";
import { Field, Fieldset } from "../components/Fieldset";
import { Modal } from "../components/Modal";
import { Pagination, pageCount } from "../components/Pagination";
import { api } from "../lib/api";
import { labelOf, useApp } from "../lib/app";
import { copyText } from "../lib/clipboard";
import { useDownloads } from "../lib/downloads";
import { formatDate } from "../lib/fields";
import { useMessages } from "../lib/messages";

const ENV_STORAGE = "keyport.apiPortal.environment";

export function useEnvironment(): [Environment, (env: Environment) => void] {
  const [env, setEnv] = useState<Environment>(
    () => (localStorage.getItem(ENV_STORAGE) as Environment | null) ?? "production",
  );
  return [
    env,
    (next) => {
      localStorage.setItem(ENV_STORAGE, next);
      setEnv(next);
    },
  ];
}

export function EnvironmentSwitcher({ env, onChange }: { env: Environment; onChange: (env: Environment) => void }) {
  const { overview } = useApp();
  return (
    <div className="store-switcher">
      <label htmlFor="environment">Environment:</label>
      <select id="environment" name="environment" value={env} onChange={(e) => onChange(e.target.value as Environment)}>
        {overview.catalog.environments.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function AddKeyForm({ env }: { env: Environment }) {
  const messages = useMessages();
  const downloads = useDownloads();
  const [label, setLabel] = useState("");
  const [sizes, setSizes] = useState<KeySizeStatus[]>([]);
  const [bits, setBits] = useState(2048);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.keySizes().then(setSizes).catch(() => setSizes([]));
  }, [downloads.version]);

  const add = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    // Only show progress when the pair is not pre-generated (the dialog
    // would otherwise flash).
    const ready = sizes.find((s) => s.bits === bits)?.ready;
    const timer = ready ? null : setTimeout(() => downloads.generating(bits), 150);
    try {
      const key = await api.createKey({ environment: env, label, bits });
      setLabel("");
      messages.clear();
      downloads.offer(key);
    } catch (err) {
      downloads.close();
      messages.error(err);
    } finally {
      if (timer) clearTimeout(timer);
      setBusy(false);
    }
  };

  return (
    <form className="add-key" onSubmit={add} noValidate>
      <div className="add-key-row">
        <label htmlFor="key-label" className="add-key-label">Name</label>
        <input id="key-label" name="label" type="text" className="admin__control-text" placeholder="e.g. staging CI"
          value={label} onChange={(e) => setLabel(e.target.value)} />
        <label htmlFor="key-bits" className="add-key-label">Key Size</label>
        <select id="key-bits" name="bits" className="admin__control-text" value={bits} onChange={(e) => setBits(Number(e.target.value))}>
          {(sizes.length ? sizes : [{ bits: 2048, ready: false, default: true }]).map((s) => (
            <option key={s.bits} value={s.bits}>
              {s.bits} bits{s.default ? " (recommended)" : ""}
            </option>
          ))}
        </select>
        <button type="submit" className="action-primary" disabled={busy} data-testid="add-key">
          Add New
        </button>
      </div>
      <p className="admin__field-note">
        The name tells keys apart (“staging CI”, “agency X”). 2048-bit RSA is what Commerce Services expect; larger
        keys take longer to generate.
      </p>
    </form>
  );
}

function StatusCell({ k }: { k: ApiKeyInfo }) {
  const leftover = k.keychain_cleanup_pending && (
    <div className="cell-note" title="The OS keychain refused to delete Keyport's copy; Keyport retries on its next start.">
      Keychain clean-up pending
    </div>
  );
  if (k.status === "revoked") {
    return (
      <>
        <span className="grid-severity-critical">Revoked</span>
        <div className="cell-note" title={k.revoked_at ?? ""}>
          {formatDate(k.revoked_at)}
          {k.revoke_reason ? ` — ${k.revoke_reason}` : ""}
        </div>
        {leftover}
      </>
    );
  }
  if (k.download_pending) return <span className="grid-severity-minor">Awaiting download</span>;
  return (
    <>
      <span className="grid-severity-notice">Active</span>
      {k.kept_in_keychain && <div className="cell-note">In this keychain</div>}
      {leftover}
    </>
  );
}

export function KeyGrid({ env }: { env: Environment }) {
  const messages = useMessages();
  const { current } = useApp();
  const downloads = useDownloads();
  const [search, setSearch] = useState("");
  const [query, setQuery] = useState("");
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [data, setData] = useState<KeyPage | null>(null);
  const [reload, setReload] = useState(0);
  const [editing, setEditing] = useState<{ id: string; label: string } | null>(null);
  const [revoking, setRevoking] = useState<ApiKeyInfo | null>(null);

  // Debounced search.
  useEffect(() => {
    const t = setTimeout(() => {
      setQuery(search.trim());
      setPage(1);
    }, 250);
    return () => clearTimeout(t);
  }, [search]);
  useEffect(() => setPage(1), [env, current?.id]);

  useEffect(() => {
    let live = true;
    api
      .listKeys({ environment: env, search: query || undefined, offset: (page - 1) * pageSize, limit: pageSize })
      .then((d) => {
        if (!live) return;
        // Past the end after a filter change: go to the last page.
        if (d.keys.length === 0 && d.total > 0) setPage(pageCount(d.total, pageSize));
        setData(d);
      })
      .catch((e) => live && messages.error(e));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [env, query, page, pageSize, reload, downloads.version, current?.id]);

  const relabel = async (e: FormEvent) => {
    e.preventDefault();
    if (!editing) return;
    try {
      const key = await api.relabelKey(editing.id, editing.label);
      setEditing(null);
      setReload((r) => r + 1);
      messages.success(`You renamed the key to “${key.label}”.`);
    } catch (err) {
      messages.error(err);
    }
  };

  const copy = async (text: string) => {
    try {
      await copyText(text);
      messages.notice("The API key was copied to the clipboard.");
    } catch (e) {
      messages.error(e);
    }
  };

  return (
    <>
      <div className="admin__data-grid-header">
        <input
          type="search"
          className="admin__control-text data-grid-search"
          placeholder="Search by name, API key or fingerprint"
          aria-label="Search keys"
          name="search"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          onKeyDown={(e) => e.key === "Enter" && setQuery(search.trim())}
        />
        <span className="records-found" data-testid="records-found">
          {data ? `${data.total} records found` : "Loading…"}
        </span>
        {data && <Pagination total={data.total} page={page} pageSize={pageSize} onPage={setPage} onPageSize={(n) => { setPageSize(n); setPage(1); }} />}
      </div>
      <div className="admin__data-grid-wrap">
        <table className="data-grid" data-testid="keys-grid">
          <thead>
            <tr>
              <th>Name</th>
              <th>API Key</th>
              <th>Fingerprint</th>
              <th>Size</th>
              <th>Created</th>
              <th>Status</th>
              <th>Action</th>
            </tr>
          </thead>
          <tbody>
            {data?.keys.length === 0 && (
              <tr className="data-grid-empty">
                <td colSpan={7}>{query ? "No key matches your search." : "No keys yet. Enter a name and click Add New."}</td>
              </tr>
            )}
            {data?.keys.map((k) => (
              <tr key={k.id} data-key-id={k.id} className={k.status === "revoked" ? "_revoked" : undefined}>
                <td className="cell-label">
                  {editing?.id === k.id ? (
                    <form onSubmit={relabel} className="inline-edit">
                      <input className="admin__control-text" aria-label="Key name" name="relabel" value={editing.label}
                        onChange={(e) => setEditing({ id: k.id, label: e.target.value })} autoFocus />
                      <button type="submit" className="action-tertiary">Save</button>
                      <button type="button" className="action-tertiary" onClick={() => setEditing(null)}>Cancel</button>
                    </form>
                  ) : (
                    k.label
                  )}
                </td>
                <td className="mono cell-api-key">
                  {k.api_key}
                  <button type="button" className="action-copy" title="Copy API key" aria-label={`Copy API key of ${k.label}`} onClick={() => copy(k.api_key)}>
                    Copy
                  </button>
                </td>
                <td className="mono cell-fingerprint">{k.fingerprint}</td>
                <td>{k.bits}</td>
                <td title={k.created_at}>{formatDate(k.created_at)}</td>
                <td><StatusCell k={k} /></td>
                <td className="cell-actions">
                  {k.download_pending && (
                    <button type="button" className="action-tertiary" onClick={() => downloads.offer(k)}>Download</button>
                  )}
                  {k.status === "active" && editing?.id !== k.id && (
                    <button type="button" className="action-tertiary" onClick={() => setEditing({ id: k.id, label: k.label })}>Rename</button>
                  )}
                  {k.status === "active" && (
                    <button type="button" className="action-tertiary" data-testid="revoke-key" onClick={() => setRevoking(k)}>Revoke</button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {revoking && (
        <RevokeDialog
          keyInfo={revoking}
          onClose={() => setRevoking(null)}
          onRevoked={(key) => {
            setRevoking(null);
            setReload((r) => r + 1);
            messages.success(`You revoked the key “${key.label}”. Instances using it can no longer reach Commerce Services.`);
          }}
        />
      )}
    </>
  );
}

function RevokeDialog({ keyInfo, onClose, onRevoked }: { keyInfo: ApiKeyInfo; onClose: () => void; onRevoked: (k: ApiKeyInfo) => void }) {
  const [reason, setReason] = useState("");
  const [error, setError] = useState<{ text: string; code: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      onRevoked(await api.revokeKey(keyInfo.id, reason));
    } catch (err) {
      const ke = err as { message: string; code: string };
      setError({ text: ke.message, code: ke.code });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      title="Revoke API key"
      onClose={onClose}
      testId="revoke-dialog"
      footer={
        <>
          <button type="button" className="action-default" onClick={onClose}>Cancel</button>
          <button type="submit" form="revoke-form" className="action-primary" disabled={busy} data-testid="confirm-revoke">Revoke Key</button>
        </>
      }
    >
      <div className="message message-warning warning">
        Revoking cannot be undone. Every instance that uses <strong>{keyInfo.label}</strong> ({keyInfo.api_key}) stops passing
        entitlement validation.
      </div>
      {error && (
        <div className="message message-error error" role="alert" data-code={error.code}>
          {error.text}
          <span className="message-code">{error.code}</span>
        </div>
      )}
      <form id="revoke-form" onSubmit={submit} noValidate>
        <Field label="Reason" htmlFor="revoke-reason" required note="Kept with the key, for the record.">
          <input id="revoke-reason" name="reason" type="text" value={reason} onChange={(e) => setReason(e.target.value)} autoFocus />
        </Field>
      </form>
    </Modal>
  );
}

export function AccountHeader() {
  const { current, overview } = useApp();
  if (!current) return null;
  const { catalog } = overview;
  return (
    <dl className="account-header" data-testid="account-header">
      <div><dt>Account</dt><dd>{current.name}</dd></div>
      <div><dt>MageID</dt><dd className="mono">{current.mage_id}</dd></div>
      <div><dt>Edition</dt><dd>{labelOf(catalog.editions, current.edition)}</dd></div>
      <div><dt>Operating Model</dt><dd>{labelOf(catalog.operating_models, current.operating_model)}</dd></div>
      <div><dt>Standing</dt><dd>{labelOf(catalog.standings, current.standing)}</dd></div>
    </dl>
  );
}

export function ApiPortal() {
  const [env, setEnv] = useEnvironment();
  const { overview } = useApp();
  return (
    <>
      <AccountHeader />
      <EnvironmentSwitcher env={env} onChange={setEnv} />
      <Fieldset title="API Keys" comment={
        <>
          Create the {labelOf(overview.catalog.environments, env).toLowerCase()} API keys that connect Commerce instances
          to Commerce Services. A key pair's private key can be saved only once, right after it is created.
        </>
      }>
        <AddKeyForm env={env} />
        <KeyGrid env={env} />
      </Fieldset>
    </>
  );
}
