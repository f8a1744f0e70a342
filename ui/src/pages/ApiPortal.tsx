// Account › API Portal: the license holder's key pairs per environment,
// "Add New" with the one-time download, the key grid (search, status
// filter, sorting, paging), key details, renames and revocation.
import { useEffect, useLayoutEffect, useMemo, useState, type SyntheticEvent } from "react";
import { Form } from "react-aria-components";
import type { Access } from "../bindings/Access";
import type { ApiKeyInfo } from "../bindings/ApiKeyInfo";
import type { Environment } from "../bindings/Environment";
import type { Feature } from "../bindings/Feature";
import type { KeyFilter } from "../bindings/KeyFilter";
import type { KeyPage } from "../bindings/KeyPage";
import type { KeySizeStatus } from "../bindings/KeySizeStatus";
import type { KeySortField } from "../bindings/KeySortField";
import { Badge } from "../components/Badge";
import { Button } from "../components/Button";
import {
  CellButton,
  DataGrid,
  keepUnchanged,
  RecordsFound,
  type GridColumn,
  type GridSort,
} from "../components/DataGrid";
import { Dialog } from "../components/Dialog";
import { Checkbox, SearchField, TextField } from "../components/Field";
import { Fieldset } from "../components/Fieldset";
import { RowActions } from "../components/Menu";
import { MessageBox } from "../components/Messages";
import { Pagination, pageCount } from "../components/Pagination";
import { RenameDialog } from "../components/RenameDialog";
import { Select } from "../components/Select";
import { api, KeyportError, toKeyportError } from "../lib/api";
import { labelOf, useApp } from "../lib/app";
import { copyText } from "../lib/clipboard";
import { mark, measurePainted } from "../lib/perf";
import { useDownloads } from "../lib/downloads";
import { fieldOf } from "../lib/errors";
import { age, formatDate, formatDay } from "../lib/format";
import { useMessages } from "../lib/messages";

const ENV_STORAGE = "keyport.apiPortal.environment";

function storedEnvironment(): Environment {
  return localStorage.getItem(ENV_STORAGE) === "sandbox" ? "sandbox" : "production";
}

export function useEnvironment(): [Environment, (env: Environment) => void] {
  const [env, setEnv] = useState<Environment>(storedEnvironment);
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
      <Select
        label="Environment:"
        layout="inline"
        name="environment"
        testId="environment"
        options={overview.catalog.environments}
        value={env}
        onChange={onChange}
      />
    </div>
  );
}

export function AddKeyForm({ env }: { env: Environment }) {
  const messages = useMessages();
  const downloads = useDownloads();
  const { current, overview } = useApp();
  const [label, setLabel] = useState("");
  const [scoped, setScoped] = useState(false);
  const [merchants, setMerchants] = useState<Set<string>>(new Set());
  const [features, setFeatures] = useState<Set<Feature>>(new Set());
  const offered =
    overview.catalog.operating_models.find((m) => m.value === current?.operating_model)?.scoped_features ?? [];
  const [sizes, setSizes] = useState<KeySizeStatus[]>([]);
  const [bits, setBits] = useState(2048);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api.keySizes().then(setSizes, () => setSizes([]));
  }, [downloads.version]);

  const add = async (e: SyntheticEvent) => {
    e.preventDefault();
    if (!current) return;
    setBusy(true);
    // Only show progress when the pair is not pre-generated (the dialog
    // would otherwise flash).
    const ready = sizes.find((s) => s.bits === bits)?.ready;
    const timer = ready ? null : setTimeout(() => downloads.generating(bits), 150);
    try {
      const scope = scoped ? { merchants: [...merchants], features: [...features] } : undefined;
      const key = await api.createKey(current.id, { environment: env, label, bits, scope });
      setLabel("");
      setScoped(false);
      setMerchants(new Set());
      setFeatures(new Set());
      setError(null);
      messages.clear();
      downloads.offer(key);
    } catch (err) {
      downloads.close();
      const ke = toKeyportError(err);
      setError(fieldOf(ke) === "key_label" ? ke.message : null);
      messages.error(ke);
    } finally {
      if (timer) clearTimeout(timer);
      setBusy(false);
    }
  };

  const options = (sizes.length ? sizes : [{ bits: 2048, ready: false, default: true }]).map((s) => ({
    value: s.bits,
    label: `${s.bits} bits${s.default ? " (recommended)" : ""}`,
  }));
  return (
    <Form className="add-key" onSubmit={add} validationBehavior="aria">
      <div className="add-key-row">
        <TextField
          label="Name"
          layout="inline"
          name="label"
          placeholder="e.g. staging CI"
          value={label}
          onChange={setLabel}
          error={error}
        />
        <Select label="Key Size" layout="inline" name="bits" options={options} value={bits} onChange={setBits} />
        <Button variant="primary" type="submit" isDisabled={busy} data-testid="add-key">
          Add New
        </Button>
      </div>
      <p className="admin__field-note">
        The name tells keys apart (“staging CI”, “agency X”). 2048-bit RSA is what Commerce Services expect; larger keys
        take longer to generate.
      </p>
      {offered.length > 0 && current && (
        <div className="add-key-scope" data-testid="scope">
          <Checkbox isSelected={scoped} onChange={setScoped} name="scoped">
            Scoped key: restrict it to chosen merchants and features
          </Checkbox>
          {scoped && (
            <div className="scope-choices">
              <div role="group" aria-labelledby="scope-merchants-label" className="scope-group">
                <span id="scope-merchants-label" className="scope-group-title">
                  Merchants
                </span>
                {current.merchants.length === 0 && (
                  <p className="admin__field-note">Add merchants under Account Settings first.</p>
                )}
                {current.merchants.map((m) => (
                  <Checkbox
                    key={m.id}
                    name={`scope_merchant_${m.id}`}
                    isSelected={merchants.has(m.id)}
                    onChange={(on) => setMerchants(toggled(merchants, m.id, on))}
                  >
                    {m.name}
                  </Checkbox>
                ))}
              </div>
              <div role="group" aria-labelledby="scope-features-label" className="scope-group">
                <span id="scope-features-label" className="scope-group-title">
                  Features
                </span>
                {offered.map((f) => (
                  <Checkbox
                    key={f.value}
                    name={`scope_feature_${f.value}`}
                    isSelected={features.has(f.value)}
                    onChange={(on) => setFeatures(toggled(features, f.value, on))}
                  >
                    <span className="mono">{f.label}</span>
                  </Checkbox>
                ))}
              </div>
              <p className="admin__field-note">
                A scope is fixed once the key exists: a different scope is a new key. Seed 004:{" "}
                {labelOf(overview.catalog.operating_models, current.operating_model)} accounts may grant these features.
              </p>
            </div>
          )}
        </div>
      )}
    </Form>
  );
}

function toggled<T>(set: Set<T>, value: T, on: boolean): Set<T> {
  const next = new Set(set);
  if (on) next.add(value);
  else next.delete(value);
  return next;
}

/** A scoped key's badge under its name, with what it may do (unscoped keys have none). */
function ScopeBadge({ k }: { k: ApiKeyInfo }) {
  if (!k.scope) return null;
  const features = k.scope.features.length;
  return (
    <div className="cell-scope">
      <Badge tone="minor" title={`Merchants: ${k.scope.merchants.join(", ")}`}>
        Scoped
      </Badge>
      <div className="cell-note">
        {k.scope.merchants.join(", ")} · {features} feature{features === 1 ? "" : "s"}
      </div>
    </div>
  );
}

function StatusCell({ k }: { k: ApiKeyInfo }) {
  const leftover = k.keychain_cleanup_pending && (
    <div
      className="cell-note"
      title="The OS keychain refused to delete Keyport's copy; Keyport retries on its next start."
    >
      Keychain clean-up pending
    </div>
  );
  if (k.status === "revoked") {
    return (
      <>
        <Badge tone="critical">Revoked</Badge>
        <div className="cell-note" title={formatDate(k.revoked_at)}>
          {formatDay(k.revoked_at)}
          {k.revoke_reason ? ` — ${k.revoke_reason}` : ""}
        </div>
        {leftover}
      </>
    );
  }
  if (k.download_pending) return <Badge tone="minor">Awaiting download</Badge>;
  return (
    <>
      <Badge tone="notice">Active</Badge>
      {k.received_at && (
        <>
          {" "}
          <Badge tone="neutral" title={`Received in a key bundle ${formatDate(k.received_at)}`}>
            Received
          </Badge>
        </>
      )}
      {k.kept_in_keychain && <div className="cell-note">In this keychain</div>}
      {leftover}
    </>
  );
}

const revokedClass = (k: ApiKeyInfo) => (k.status === "revoked" ? "_revoked" : undefined);
const keyIdAttribute = (k: ApiKeyInfo) => ({ "data-key-id": k.id });

const SORT_FIELDS: Record<string, KeySortField> = {
  name: "label",
  bits: "bits",
  created: "created",
  last_validated: "last_validated",
};

type StatusChoice = KeyFilter | "all";

const STATUS_OPTIONS: { value: StatusChoice; label: string }[] = [
  { value: "all", label: "All statuses" },
  { value: "active", label: "Active" },
  { value: "awaiting_download", label: "Awaiting download" },
  { value: "revoked", label: "Revoked" },
];

export function KeyGrid({ env }: { env: Environment }) {
  const messages = useMessages();
  const { error: showError } = messages;
  const { current } = useApp();
  const downloads = useDownloads();
  const [search, setSearch] = useState("");
  const [query, setQuery] = useState("");
  const [status, setStatus] = useState<StatusChoice>("all");
  const [sort, setSort] = useState<GridSort>({ column: "created", direction: "descending" });
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [data, setData] = useState<KeyPage | null>(null);
  const [reload, setReload] = useState(0);
  const [details, setDetails] = useState<ApiKeyInfo | null>(null);
  const [renaming, setRenaming] = useState<ApiKeyInfo | null>(null);
  const [revoking, setRevoking] = useState<ApiKeyInfo | null>(null);
  const accountId = current?.id;

  // Searches as the person types: a search is one indexed SQLite query
  // (a few milliseconds at 10,000 keys); an answer overtaken by the next
  // keystroke is dropped below.
  const onSearch = (value: string) => {
    mark("key-search");
    setSearch(value);
    setQuery(value.trim());
    setPage(1);
  };

  const sortField = SORT_FIELDS[sort.column] ?? "created";
  const descending = sort.direction === "descending";
  // A layout effect: the request leaves as soon as the change is in the DOM,
  // before its frame is painted (a passive effect would wait for that).
  useLayoutEffect(() => {
    if (!accountId) return;
    let live = true;
    api
      .listKeys(accountId, {
        environment: env,
        search: query || undefined,
        status: status === "all" ? undefined : status,
        sort: { field: sortField, descending },
        offset: (page - 1) * pageSize,
        limit: pageSize,
      })
      .then(
        (d) => {
          if (!live) return;
          mark("key-list-answered");
          // Past the end after a filter change: go to the last page.
          if (d.keys.length === 0 && d.total > 0) setPage(pageCount(d.total, pageSize));
          setData((previous) => ({ ...d, keys: keepUnchanged(previous?.keys, d.keys) }));
        },
        (e: unknown) => {
          if (live) showError(e);
        },
      );
    return () => {
      live = false;
    };
  }, [accountId, env, query, status, sortField, descending, page, pageSize, reload, downloads.version, showError]);

  // What make bench reads: the first page after navigating here, a
  // search's answer and a page change, each until painted.
  useLayoutEffect(() => {
    if (!data) return;
    measurePainted("api-portal-open", "navigation", "key-list-answered");
    measurePainted("api-portal-search", "key-search", "key-list-answered");
    measurePainted("api-portal-page", "key-page", "key-list-answered");
  }, [data]);

  const changed = () => setReload((r) => r + 1);
  // The same columns while only the search box changes, so the rows
  // already shown are not rendered again on every keystroke.
  const { notice } = messages;
  const { offer } = downloads;
  const columns = useMemo<GridColumn<ApiKeyInfo>[]>(() => {
    const copy = async (text: string) => {
      try {
        await copyText(text);
        notice("The API key was copied to the clipboard.");
      } catch (e) {
        showError(e);
      }
    };
    return [
      {
        id: "name",
        title: "Name",
        sortable: true,
        isRowHeader: true,
        className: "cell-label",
        render: (k) => (
          <>
            {k.label}
            <ScopeBadge k={k} />
          </>
        ),
      },
      {
        id: "api_key",
        title: "API Key",
        className: "mono cell-api-key",
        render: (k) => (
          <>
            {k.api_key}
            <CellButton aria-label={`Copy API key of ${k.label}`} onClick={() => void copy(k.api_key)}>
              Copy
            </CellButton>
          </>
        ),
      },
      { id: "fingerprint", title: "Fingerprint", className: "mono cell-fingerprint", render: (k) => k.fingerprint },
      { id: "bits", title: "Size", sortable: true, render: (k) => k.bits },
      {
        id: "created",
        title: "Created",
        sortable: true,
        render: (k) => (
          <>
            <span title={formatDate(k.created_at)}>{formatDay(k.created_at)}</span>
            <div className="cell-note">{age(k.created_at)} old</div>
          </>
        ),
      },
      {
        id: "last_validated",
        title: "Last Validated",
        sortable: true,
        render: (k) =>
          k.last_validated_at ? (
            <>
              <span title={formatDate(k.last_validated_at)}>{formatDay(k.last_validated_at)}</span>
              <div className="cell-note">{age(k.last_validated_at)} ago</div>
            </>
          ) : (
            "Never"
          ),
      },
      { id: "status", title: "Status", render: (k) => <StatusCell k={k} /> },
      {
        id: "action",
        title: "Action",
        className: "cell-actions",
        render: (k) => (
          <RowActions
            label={`Actions for ${k.label}`}
            actions={[
              { id: "details", label: "View Details", onAction: () => setDetails(k) },
              ...(k.download_pending ? [{ id: "download", label: "Download", onAction: () => offer(k) }] : []),
              ...(k.status === "active"
                ? [
                    { id: "rename", label: "Rename", onAction: () => setRenaming(k) },
                    { id: "revoke", label: "Revoke", onAction: () => setRevoking(k) },
                  ]
                : []),
            ]}
          />
        ),
      },
    ];
  }, [notice, showError, offer]);

  return (
    <>
      <DataGrid<ApiKeyInfo>
        label="API keys"
        testId="keys-grid"
        rows={data?.keys ?? null}
        columns={columns}
        sort={sort}
        onSortChange={(next) => {
          setSort(next);
          setPage(1);
        }}
        onRowAction={setDetails}
        rowClassName={revokedClass}
        rowTestAttributes={keyIdAttribute}
        empty={
          query || status !== "all" ? "No key matches your search." : "No keys yet. Enter a name and click Add New."
        }
        header={
          <>
            <SearchField
              label="Search keys"
              placeholder="Search by name, API key or fingerprint"
              value={search}
              onChange={onSearch}
              onSubmit={onSearch}
            />
            <Select<StatusChoice>
              label="Status"
              labelHidden
              layout="inline"
              name="status_filter"
              testId="status-filter"
              options={STATUS_OPTIONS}
              value={status}
              onChange={(next) => {
                setStatus(next);
                setPage(1);
              }}
            />
            <RecordsFound total={data?.total ?? null} />
            {data && (
              <Pagination
                total={data.total}
                page={page}
                pageSize={pageSize}
                onPage={(p) => {
                  mark("key-page");
                  setPage(p);
                }}
                onPageSize={(n) => {
                  setPageSize(n);
                  setPage(1);
                }}
              />
            )}
          </>
        }
      />
      {details && (
        <KeyDetailsDialog
          keyInfo={details}
          onClose={() => setDetails(null)}
          onDownload={() => {
            setDetails(null);
            downloads.offer(details);
          }}
          onRename={() => {
            setDetails(null);
            setRenaming(details);
          }}
          onRevoke={() => {
            setDetails(null);
            setRevoking(details);
          }}
        />
      )}
      {renaming && (
        <RenameDialog
          title="Rename API key"
          label="Name"
          initial={renaming.label}
          note="Unique among the active keys of this environment."
          testId="rename-key-dialog"
          onClose={() => setRenaming(null)}
          onSave={async (label) => {
            const key = await api.relabelKey(renaming.id, label);
            setRenaming(null);
            changed();
            messages.success(`You renamed the key to “${key.label}”.`);
          }}
        />
      )}
      {revoking && (
        <RevokeDialog
          keyInfo={revoking}
          onClose={() => setRevoking(null)}
          onRevoked={(key) => {
            setRevoking(null);
            changed();
            messages.success(
              `You revoked the key “${key.label}”. Instances using it can no longer reach Commerce Services.`,
            );
          }}
        />
      )}
    </>
  );
}

function KeyDetailsDialog({
  keyInfo: k,
  onClose,
  onDownload,
  onRename,
  onRevoke,
}: {
  keyInfo: ApiKeyInfo;
  onClose: () => void;
  onDownload: () => void;
  onRename: () => void;
  onRevoke: () => void;
}) {
  const { overview } = useApp();
  return (
    <Dialog
      title={`API key “${k.label}”`}
      onClose={onClose}
      testId="key-details"
      footer={
        <>
          <Button onPress={onClose} autoFocus>
            Close
          </Button>
          {k.download_pending && (
            <Button variant="secondary" onPress={onDownload}>
              Download Private Key
            </Button>
          )}
          {k.status === "active" && <Button onPress={onRename}>Rename</Button>}
          {k.status === "active" && (
            <Button variant="primary" onPress={onRevoke} data-testid="details-revoke">
              Revoke
            </Button>
          )}
        </>
      }
    >
      <dl className="key-summary">
        <dt>Environment</dt>
        <dd>{labelOf(overview.catalog.environments, k.environment)}</dd>
        <dt>API Key</dt>
        <dd className="mono">{k.api_key}</dd>
        <dt>Fingerprint</dt>
        <dd className="mono">{k.fingerprint}</dd>
        <dt>Size</dt>
        <dd>{k.bits} bits</dd>
        <dt>Created</dt>
        <dd>
          {formatDate(k.created_at)} ({age(k.created_at)} ago)
        </dd>
        <dt>Last Validated</dt>
        <dd data-testid="details-last-validated">{k.last_validated_at ? formatDate(k.last_validated_at) : "Never"}</dd>
        <dt>Status</dt>
        <dd>
          <StatusCell k={k} />
        </dd>
        {k.delivered_at && (
          <>
            <dt>Downloaded</dt>
            <dd>{formatDate(k.delivered_at)}</dd>
          </>
        )}
        <dt>Scope</dt>
        <dd data-testid="details-scope">
          {k.scope ? (
            <>
              Merchants: {k.scope.merchants.join(", ")}
              <br />
              Features:{" "}
              {k.scope.features
                .map((f) =>
                  labelOf(
                    overview.catalog.operating_models.flatMap((m) => m.scoped_features),
                    f,
                  ),
                )
                .join(", ")}
            </>
          ) : (
            "Unscoped: the account's full access"
          )}
        </dd>
      </dl>
      <AccessCheck keyInfo={k} />
    </Dialog>
  );
}

/** "May this key call METHOD PATH for merchant M?", as the sandbox's authorize endpoint answers it. */
function AccessCheck({ keyInfo }: { keyInfo: ApiKeyInfo }) {
  const { current } = useApp();
  const [method, setMethod] = useState("POST");
  const [path, setPath] = useState("/forward");
  const [merchant, setMerchant] = useState("");
  const [answer, setAnswer] = useState<Access | null>(null);
  const [failure, setFailure] = useState<KeyportError | null>(null);
  const merchants = current?.merchants ?? [];
  const check = async (e: SyntheticEvent) => {
    e.preventDefault();
    try {
      setAnswer(await api.checkAccess(keyInfo.id, { method, path, merchant: merchant || undefined }));
      setFailure(null);
    } catch (err) {
      setAnswer(null);
      setFailure(toKeyportError(err));
    }
  };
  const onPath = failure?.code === "path_malformed" ? failure.message : null;
  return (
    <Form className="access-check" onSubmit={check} validationBehavior="aria" data-testid="access-check">
      <h3 className="access-check-title">Access Check</h3>
      <div className="access-check-row">
        <Select
          label="Method"
          layout="inline"
          name="check_method"
          testId="check-method"
          options={[
            { value: "GET", label: "GET" },
            { value: "POST", label: "POST" },
          ]}
          value={method}
          onChange={setMethod}
        />
        <TextField label="Path" layout="inline" name="check_path" code value={path} onChange={setPath} error={onPath} />
        {merchants.length > 0 && (
          <Select
            label="Merchant"
            layout="inline"
            name="check_merchant"
            testId="check-merchant"
            options={[{ value: "", label: "— none —" }, ...merchants.map((m) => ({ value: m.name, label: m.name }))]}
            value={merchant}
            onChange={setMerchant}
          />
        )}
        <Button variant="secondary" type="submit" data-testid="run-access-check">
          Check
        </Button>
      </div>
      {answer && (
        <MessageBox
          kind={answer.allowed ? "success" : "error"}
          text={`${answer.allowed ? "Allowed" : "Denied"}: ${answer.reason}`}
        />
      )}
      {failure && !onPath && <MessageBox kind="error" text={failure.message} code={failure.code} />}
    </Form>
  );
}

function RevokeDialog({
  keyInfo,
  onClose,
  onRevoked,
}: {
  keyInfo: ApiKeyInfo;
  onClose: () => void;
  onRevoked: (k: ApiKeyInfo) => void;
}) {
  const [reason, setReason] = useState("");
  const [failure, setFailure] = useState<KeyportError | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: SyntheticEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      onRevoked(await api.revokeKey(keyInfo.id, reason));
    } catch (err) {
      setFailure(toKeyportError(err));
    } finally {
      setBusy(false);
    }
  };
  // A problem with the reason shows on the field; anything else above it.
  const onField = failure && fieldOf(failure) === "revoke_reason" ? failure : null;
  return (
    <Dialog
      title="Revoke API key"
      onClose={onClose}
      locked={busy}
      testId="revoke-dialog"
      footer={
        <>
          <Button onPress={onClose} isDisabled={busy}>
            Cancel
          </Button>
          <Button variant="primary" type="submit" form="revoke-form" isDisabled={busy} data-testid="confirm-revoke">
            Revoke Key
          </Button>
        </>
      }
    >
      <MessageBox
        kind="warning"
        text={`Revoking cannot be undone. Every instance that uses “${keyInfo.label}” (${keyInfo.api_key}) stops passing entitlement validation.`}
      />
      {failure && !onField && <MessageBox kind="error" text={failure.message} code={failure.code} />}
      <Form id="revoke-form" onSubmit={submit} validationBehavior="aria">
        <TextField
          label="Reason"
          name="reason"
          isRequired
          value={reason}
          onChange={setReason}
          error={onField?.message}
          note="Kept with the key, for the record."
          autoFocus
        />
      </Form>
    </Dialog>
  );
}

export function AccountHeader() {
  const { current, overview } = useApp();
  if (!current) return null;
  const { catalog } = overview;
  return (
    <dl className="account-header" data-testid="account-header">
      <div>
        <dt>Account</dt>
        <dd>{current.name}</dd>
      </div>
      <div>
        <dt>MageID</dt>
        <dd className="mono">{current.mage_id}</dd>
      </div>
      <div>
        <dt>Edition</dt>
        <dd>{labelOf(catalog.editions, current.edition)}</dd>
      </div>
      <div>
        <dt>Operating Model</dt>
        <dd>{labelOf(catalog.operating_models, current.operating_model)}</dd>
      </div>
      <div>
        <dt>Standing</dt>
        <dd>{labelOf(catalog.standings, current.standing)}</dd>
      </div>
      {current.relation === "client" && (
        <div>
          <dt>Relation</dt>
          <dd>Client account (keys received in bundles)</dd>
        </div>
      )}
    </dl>
  );
}

export function ApiPortal() {
  const [env, setEnv] = useEnvironment();
  const { overview, current } = useApp();
  return (
    <>
      <AccountHeader />
      <EnvironmentSwitcher env={env} onChange={setEnv} />
      <Fieldset
        title="API Keys"
        comment={
          <>
            Create the {labelOf(overview.catalog.environments, env).toLowerCase()} API keys that connect Commerce
            instances to Commerce Services. A key pair&apos;s private key can be saved only once, right after it is
            created. Select a key to see its details.
          </>
        }
      >
        {current?.relation === "client" ? (
          <MessageBox
            kind="notice"
            text={`${current.name} is a client account: its license holder creates its keys and hands them over in key bundles (Account › Key Bundles). The keys received so far are listed here.`}
          />
        ) : (
          <AddKeyForm env={env} />
        )}
        <KeyGrid env={env} />
      </Fieldset>
    </>
  );
}
