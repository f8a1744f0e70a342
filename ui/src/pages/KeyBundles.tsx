// Account › Key Bundles: this workstation's identity (the public key a
// license holder encrypts bundles for), exporting keys into an encrypted
// bundle, and importing one: open it, see what it holds, then Import (all
// or nothing) or Cancel.
import { useCallback, useEffect, useRef, useState } from "react";
import type { ApiKeyInfo } from "../bindings/ApiKeyInfo";
import type { Arrival } from "../bindings/Arrival";
import type { BundleIdentity } from "../bindings/BundleIdentity";
import type { BundlePreview } from "../bindings/BundlePreview";
import type { Catalog } from "../bindings/Catalog";
import type { ChosenFile } from "../bindings/ChosenFile";
import type { ImportedBundle } from "../bindings/ImportedBundle";
import type { PreviewKey } from "../bindings/PreviewKey";
import type { PreviewProject } from "../bindings/PreviewProject";
import { Badge, type BadgeTone } from "../components/Badge";
import {
  NEW_PROTECTION,
  ProtectionFields,
  protectionOf,
  protectionProblems,
  type ProtectionDraft,
} from "../components/BundleProtection";
import { Button } from "../components/Button";
import { DataGrid } from "../components/DataGrid";
import { Dialog } from "../components/Dialog";
import { Checkbox, FieldActions, ReadOnlyField, TextField } from "../components/Field";
import { Fieldset } from "../components/Fieldset";
import { MessageBox } from "../components/Messages";
import { api, toKeyportError, type KeyportError } from "../lib/api";
import { labelOf, useApp } from "../lib/app";
import { copyText } from "../lib/clipboard";
import { formatDate } from "../lib/format";
import { useDownloads } from "../lib/downloads";
import { useMessages } from "../lib/messages";
import { ConfirmDialog } from "./Instances";

export function KeyBundlesPage() {
  const { overview, current, refresh } = useApp();
  return (
    <>
      <IdentityFieldset />
      {current && current.relation === "own" ? (
        <ExportFieldset key={current.id} accountId={current.id} accountName={current.name} />
      ) : (
        current && (
          <Fieldset title="Export Keys" testId="export-bundle">
            <MessageBox
              kind="notice"
              text={`${current.name} is a client account: its license holder hands its keys over. Switch to one of your own accounts to export keys.`}
            />
          </Fieldset>
        )
      )}
      <Fieldset
        title="Import a Bundle"
        testId="import-bundle"
        comment="A bundle from a license holder: Keyport shows what it holds before anything is written, then imports all of it or nothing."
      >
        <ImportBundle catalog={overview.catalog} onImported={() => void refresh()} />
      </Fieldset>
    </>
  );
}

/** This workstation's public key, with a copy button. */
export function IdentityFieldset({ replaceable = true }: { replaceable?: boolean }) {
  const messages = useMessages();
  const { error: showError } = messages;
  const [identity, setIdentity] = useState<BundleIdentity | null>(null);
  const [failure, setFailure] = useState<KeyportError | null>(null);
  const [replacing, setReplacing] = useState(false);
  useEffect(() => {
    api.bundleIdentity().then(setIdentity, (e: unknown) => setFailure(toKeyportError(e)));
  }, []);
  const copy = async () => {
    if (!identity) return;
    try {
      await copyText(identity.recipient);
      messages.success("The public key is on the clipboard: send it to the license holder.");
    } catch (e) {
      showError(e);
    }
  };
  const replace = async () => {
    setReplacing(false);
    try {
      setIdentity(await api.newBundleIdentity(true));
      setFailure(null);
      messages.success(
        "This workstation has a new identity. Send its public key to the license holders you work with.",
      );
    } catch (e) {
      showError(e);
    }
  };
  return (
    <Fieldset
      title="This Workstation's Identity"
      testId="identity"
      comment="Send this public key to a license holder: Keyport encrypts the bundles they make for it, and only this workstation opens them. Its secret half stays in the OS keychain."
    >
      {failure && <MessageBox kind="error" text={failure.message} code={failure.code} />}
      {identity && (
        <ReadOnlyField
          label="Public Key"
          code
          testId="identity-recipient"
          note={`Created ${formatDate(identity.created_at)}.`}
        >
          {identity.recipient}{" "}
          <Button variant="copy" onPress={() => void copy()} aria-label="Copy the public key">
            Copy
          </Button>
        </ReadOnlyField>
      )}
      {replaceable && (
        <FieldActions>
          <Button variant="tertiary" onPress={() => setReplacing(true)} data-testid="replace-identity">
            Create a New Identity…
          </Button>
        </FieldActions>
      )}
      {replacing && (
        <Dialog
          title="Create a new identity?"
          role="alertdialog"
          onClose={() => setReplacing(false)}
          testId="replace-identity-dialog"
          footer={
            <>
              <Button onPress={() => setReplacing(false)} autoFocus>
                Cancel
              </Button>
              <Button variant="primary" onPress={() => void replace()}>
                Create New Identity
              </Button>
            </>
          }
        >
          <p>
            Bundles made for the current public key can no longer be opened on this workstation. Do this when the
            identity was lost from the keychain, or to stop receiving bundles made for the old key.
          </p>
        </Dialog>
      )}
    </Fieldset>
  );
}

/** Why a key cannot travel in a bundle, or null when it can. */
function notExportable(k: ApiKeyInfo): string | null {
  if (k.status === "revoked") return "revoked";
  if (k.received_at) return "it was received from its license holder, who hands keys over";
  if (k.download_pending) return "waits for its one-time download (save it encrypted from the download dialog)";
  if (!k.kept_in_keychain) return "Keyport no longer holds its private key (it was not kept at its download)";
  return null;
}

function ExportFieldset({ accountId, accountName }: { accountId: string; accountName: string }) {
  const { overview } = useApp();
  const messages = useMessages();
  const [keys, setKeys] = useState<ApiKeyInfo[] | null>(null);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [draft, setDraft] = useState<ProtectionDraft>(NEW_PROTECTION);
  const [problems, setProblems] = useState<Map<string, string>>(new Map());
  const [busy, setBusy] = useState(false);
  const { error: showError } = messages;
  // A key kept at its download becomes exportable: reload when keys change.
  const { version } = useDownloads();

  useEffect(() => {
    api.listKeys(accountId, { offset: 0, limit: 500, status: "active" }).then(
      (page) => setKeys(page.keys),
      (e: unknown) => showError(e),
    );
  }, [accountId, showError, version]);

  const exportBundle = async () => {
    const protection = protectionOf(draft);
    if ("mismatch" in protection) {
      setProblems(new Map([["confirm", protection.mismatch]]));
      return;
    }
    setBusy(true);
    try {
      const exported = await api.exportBundle({ keys: [...chosen], protection, expires_in_hours: draft.hours });
      setProblems(new Map());
      setDraft({ ...NEW_PROTECTION, kind: draft.kind, hours: draft.hours });
      const whom = exported.recipient
        ? `Only the workstation with the public key ${exported.recipient} can open it.`
        : "Tell the recipient the passphrase by another channel than the file (a call, a message).";
      messages.success(
        `You saved ${exported.keys.length} key(s) of ${accountName} to ${exported.file}, encrypted. ${whom} It can be imported until ${formatDate(exported.expires_at)}.`,
      );
    } catch (e) {
      const err = toKeyportError(e);
      setProblems(protectionProblems(err));
      if (err.code === "save_cancelled") messages.warning(err.message);
      else messages.error(err);
    } finally {
      setBusy(false);
    }
  };

  const toggle = (id: string, on: boolean) =>
    setChosen((before) => {
      const next = new Set(before);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  return (
    <Fieldset
      title="Export Keys"
      testId="export-bundle"
      comment={`Hand key pairs of ${accountName} to an integrator as one encrypted file, with the account's SaaS projects and data spaces. Only keys whose private key Keyport holds (kept at their download) can travel.`}
    >
      <div className="admin__field" role="group" aria-labelledby="export-keys-label">
        <span className="admin__field-label" id="export-keys-label">
          Keys
        </span>
        <div className="admin__field-control key-choices" data-testid="export-keys">
          {keys === null && <p className="loading">Loading…</p>}
          {keys?.length === 0 && <p className="admin__field-note">This account has no active keys.</p>}
          {keys?.map((k) => {
            const reason = notExportable(k);
            return (
              <div key={k.id} className="key-choice" data-key={k.label}>
                <Checkbox
                  isSelected={chosen.has(k.id)}
                  isDisabled={reason !== null || busy}
                  onChange={(on) => toggle(k.id, on)}
                  name={`key_${k.id}`}
                >
                  {k.label} <Badge tone="neutral">{labelOf(overview.catalog.environments, k.environment)}</Badge>
                  <span className="mono key-choice-api-key">{k.api_key}</span>
                </Checkbox>
                {reason && <div className="admin__field-note">Cannot be exported: {reason}.</div>}
              </div>
            );
          })}
        </div>
        <div />
      </div>
      <ProtectionFields
        draft={draft}
        onChange={(next) => {
          setDraft(next);
          setProblems(new Map());
        }}
        problems={problems}
        isDisabled={busy}
      />
      <FieldActions>
        <Button
          variant="primary"
          onPress={() => void exportBundle()}
          isDisabled={busy || chosen.size === 0}
          data-testid="export-bundle-button"
        >
          Export Bundle…
        </Button>
      </FieldActions>
    </Fieldset>
  );
}

const ARRIVAL: Record<Arrival, { tone: BadgeTone; label: string }> = {
  new: { tone: "notice", label: "New" },
  present: { tone: "neutral", label: "Already here" },
  renamed: { tone: "minor", label: "New, renamed" },
  skipped: { tone: "minor", label: "Skipped" },
};

function ArrivalCell({ arrival, note }: { arrival: Arrival; note: string | null }) {
  return (
    <>
      <Badge tone={ARRIVAL[arrival].tone}>{ARRIVAL[arrival].label}</Badge>
      {note && <div className="cell-note">{note}</div>}
    </>
  );
}

type ImportState =
  | { step: "idle" }
  | { step: "passphrase"; file: ChosenFile }
  | { step: "preview"; file: ChosenFile; preview: BundlePreview };

/** Open a bundle, see its preview, Import or Cancel. */
export function ImportBundle({
  catalog,
  onImported,
}: {
  catalog: Catalog;
  onImported: (imported: ImportedBundle) => void;
}) {
  const messages = useMessages();
  const [state, setState] = useState<ImportState>({ step: "idle" });
  const [passphrase, setPassphrase] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState<string[] | null>(null);
  // An opened bundle's private keys wait in the app: leaving the page closes it.
  const openToken = useRef<string | null>(null);
  useEffect(
    () => () => {
      if (openToken.current) void api.closeBundle(openToken.current).catch(() => undefined);
    },
    [],
  );

  const open = useCallback(
    async (file: ChosenFile, secret: string | null) => {
      setBusy(true);
      try {
        const preview = await api.openBundle(file.token, secret);
        openToken.current = file.token;
        setPassphrase("");
        setProblem(null);
        setState({ step: "preview", file, preview });
        messages.clear();
      } catch (e) {
        const err = toKeyportError(e);
        if (err.code === "bundle_passphrase_required") {
          setState({ step: "passphrase", file });
          messages.notice(err.message);
        } else if (err.code === "bundle_wrong_passphrase") {
          setProblem(err.message);
        } else {
          setState({ step: "idle" });
          messages.error(err);
        }
      } finally {
        setBusy(false);
      }
    },
    [messages],
  );

  const choose = async () => {
    try {
      const file = await api.chooseBundleFile();
      await open(file, null);
    } catch (e) {
      const err = toKeyportError(e);
      if (err.code !== "save_cancelled") messages.error(err);
    }
  };

  const cancel = async (file: ChosenFile) => {
    openToken.current = null;
    setState({ step: "idle" });
    setPassphrase("");
    setProblem(null);
    await api.closeBundle(file.token).catch(() => undefined);
  };

  const importIt = async (file: ChosenFile, confirmed: string[]) => {
    setConfirming(null);
    setBusy(true);
    try {
      const imported = await api.importBundle(file.token, confirmed);
      openToken.current = null;
      setState({ step: "idle" });
      const skipped = imported.notices.length ? ` ${imported.notices.join(" ")}` : "";
      messages.success(
        `You imported ${imported.imported.length} key(s) and ${imported.projects_added} project(s) of ${imported.account.name} (${imported.account.mage_id}). They are listed in the API Portal as received and can be chosen on the Commerce Services Connector page.${skipped}`,
      );
      onImported(imported);
    } catch (e) {
      openToken.current = null;
      setState({ step: "idle" });
      messages.error(e);
    } finally {
      setBusy(false);
    }
  };

  if (state.step === "idle") {
    return (
      <FieldActions>
        <Button variant="secondary" onPress={() => void choose()} isDisabled={busy} data-testid="open-bundle">
          Open Bundle…
        </Button>
      </FieldActions>
    );
  }
  if (state.step === "passphrase") {
    return (
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void open(state.file, passphrase);
        }}
      >
        <ReadOnlyField label="Bundle" code>
          {state.file.path}
        </ReadOnlyField>
        <TextField
          label="Passphrase"
          name="bundle_passphrase"
          type="password"
          isRequired
          autoFocus
          value={passphrase}
          onChange={setPassphrase}
          error={problem}
          note="The passphrase the license holder told you."
        />
        <FieldActions>
          <Button variant="primary" type="submit" isDisabled={busy || !passphrase} data-testid="unlock-bundle">
            Open
          </Button>
          <Button onPress={() => void cancel(state.file)} isDisabled={busy}>
            Cancel
          </Button>
        </FieldActions>
      </form>
    );
  }
  const { preview, file } = state;
  const account = preview.account;
  const fresh = preview.keys.filter((k) => k.arrival !== "present").length;
  return (
    <div className="bundle-preview" data-testid="bundle-preview">
      <ReadOnlyField label="Bundle" code>
        {file.path}
      </ReadOnlyField>
      <ReadOnlyField label="Protected By">
        {preview.lock === "recipient" ? "This workstation's public key" : "A passphrase"}
      </ReadOnlyField>
      <ReadOnlyField label="Made">
        {formatDate(preview.created_at)} by {preview.created_by}
      </ReadOnlyField>
      <ReadOnlyField label="Expires">{formatDate(preview.expires_at)}</ReadOnlyField>
      <ReadOnlyField
        label="Account"
        testId="preview-account"
        note={
          account.arrival === "new"
            ? "New here: it becomes a client account of this workstation."
            : `Known here (${account.relation === "own" ? "your own account" : "a client account"}).`
        }
      >
        {account.name} ({account.mage_id}) · {labelOf(catalog.editions, account.edition)} ·{" "}
        {labelOf(catalog.operating_models, account.operating_model)}
        {account.merchants.length > 0 && ` · merchants: ${account.merchants.join(", ")}`}
      </ReadOnlyField>
      <DataGrid<PreviewKey & { id: string }>
        label="Keys in the bundle"
        testId="preview-keys"
        rows={preview.keys.map((k) => ({ ...k, id: k.api_key }))}
        empty="No keys."
        columns={[
          { id: "label", title: "Name", isRowHeader: true, render: (k) => k.label },
          { id: "env", title: "Environment", render: (k) => labelOf(catalog.environments, k.environment) },
          { id: "api_key", title: "API Key", className: "mono", render: (k) => k.api_key },
          { id: "fingerprint", title: "Fingerprint", className: "mono cell-fingerprint", render: (k) => k.fingerprint },
          { id: "bits", title: "Size", render: (k) => k.bits },
          { id: "import", title: "Import", render: (k) => <ArrivalCell arrival={k.arrival} note={k.note} /> },
        ]}
      />
      {preview.warnings.map((w) => (
        <MessageBox key={w} kind="warning" text={w} />
      ))}
      {preview.projects.length > 0 && (
        <DataGrid<PreviewProject>
          label="Projects in the bundle"
          testId="preview-projects"
          rows={preview.projects}
          empty="No projects."
          columns={[
            { id: "name", title: "Project", isRowHeader: true, render: (p) => p.name },
            {
              id: "spaces",
              title: "Data Spaces",
              render: (p) =>
                p.data_spaces
                  .map((d) => `${d.name} (${d.data_space_type === "production" ? "Production" : "Testing"})`)
                  .join(", "),
            },
            { id: "import", title: "Import", render: (p) => <ArrivalCell arrival={p.arrival} note={p.note} /> },
          ]}
        />
      )}
      <FieldActions>
        <Button
          variant="primary"
          onPress={() => (preview.warnings.length > 0 ? setConfirming(preview.warnings) : void importIt(file, []))}
          isDisabled={busy}
          data-testid="import-bundle-button"
        >
          {fresh > 0 ? `Import ${fresh} Key${fresh === 1 ? "" : "s"}` : "Import"}
        </Button>
        <Button onPress={() => void cancel(file)} isDisabled={busy} data-testid="cancel-import">
          Cancel
        </Button>
      </FieldActions>
      {confirming && (
        <ConfirmDialog
          warnings={confirming}
          confirmLabel="Import"
          onConfirm={() => void importIt(file, confirming)}
          onCancel={() => setConfirming(null)}
        />
      )}
    </div>
  );
}
