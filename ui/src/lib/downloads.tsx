// The one-time download dialog, hosted once for the whole app: "Add New"
// opens it, and on start-up it comes back for any key whose private key is
// still waiting (a crash or a closed window never loses a key).
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import type { ApiKeyInfo } from "../bindings/ApiKeyInfo";
import { Modal } from "../components/Modal";
import { api, toKeyportError } from "./api";
import { labelOf, useApp } from "./app";
import { useMessages } from "./messages";

type Dialog =
  | { phase: "generating"; bits: number; started: number }
  | { phase: "ready"; key: ApiKeyInfo }
  | { phase: "confirm-discard"; key: ApiKeyInfo };

interface DownloadsApi {
  /** Shows progress while a key pair is generated. */
  generating(bits: number): void;
  /** Offers the one-time download of `key`. */
  offer(key: ApiKeyInfo): void;
  /** Closes the dialog (generation failed). */
  close(): void;
  /** Increases whenever a key changed, so lists reload. */
  version: number;
}

const DownloadsContext = createContext<DownloadsApi | null>(null);

export function useDownloads(): DownloadsApi {
  const ctx = useContext(DownloadsContext);
  if (!ctx) throw new Error("useDownloads outside DownloadsProvider");
  return ctx;
}

export function DownloadsProvider({ children }: { children: ReactNode }) {
  const messages = useMessages();
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const queue = useRef<ApiKeyInfo[]>([]);
  const [version, setVersion] = useState(0);
  const changed = useCallback(() => setVersion((v) => v + 1), []);

  // Keys still waiting from an earlier session come back first.
  useEffect(() => {
    api
      .pendingDownloads()
      .then((keys) => {
        if (keys.length > 0) {
          queue.current = keys.slice(1);
          setDialog({ phase: "ready", key: keys[0] });
        }
      })
      .catch((e) => messages.error(e));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const next = useCallback(() => {
    const [head, ...rest] = queue.current;
    queue.current = rest;
    setDialog(head ? { phase: "ready", key: head } : null);
  }, []);

  const value: DownloadsApi = {
    generating: (bits) => setDialog({ phase: "generating", bits, started: Date.now() }),
    offer: (key) => {
      setDialog({ phase: "ready", key });
      changed();
    },
    close: () => setDialog(null),
    version,
  };

  return (
    <DownloadsContext.Provider value={value}>
      {children}
      {dialog?.phase === "generating" && <Generating bits={dialog.bits} started={dialog.started} />}
      {dialog && dialog.phase !== "generating" && (
        <DownloadDialog
          key={dialog.key.id}
          keyInfo={dialog.key}
          confirmingDiscard={dialog.phase === "confirm-discard"}
          onConfirmDiscard={(confirm) => setDialog({ phase: confirm ? "confirm-discard" : "ready", key: dialog.key })}
          onFinished={() => {
            changed();
            next();
          }}
        />
      )}
    </DownloadsContext.Provider>
  );
}

function Generating({ bits, started }: { bits: number; started: number }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 200);
    return () => clearInterval(t);
  }, []);
  const seconds = ((now - started) / 1000).toFixed(1);
  return (
    <Modal title="Generating key pair" footer={null} testId="generating-dialog">
      <p>
        Generating a {bits}-bit RSA key pair… <span className="elapsed">{seconds} s</span>
      </p>
      <div className="progress-bar" role="progressbar" aria-label="Generating key pair">
        <span />
      </div>
      {bits > 2048 && <p className="admin__field-note">Larger keys take longer; this runs in the background.</p>}
    </Modal>
  );
}

function DownloadDialog({
  keyInfo,
  confirmingDiscard,
  onConfirmDiscard,
  onFinished,
}: {
  keyInfo: ApiKeyInfo;
  confirmingDiscard: boolean;
  onConfirmDiscard: (confirm: boolean) => void;
  onFinished: () => void;
}) {
  const messages = useMessages();
  const { overview } = useApp();
  const [keep, setKeep] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ kind: "warning" | "error"; text: string; code: string } | null>(null);

  const download = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const delivery = await api.downloadPrivateKey(keyInfo.id, keep);
      messages.success(
        `The private key of "${delivery.label}" was saved to ${delivery.private_key_file}. Keyport cannot show it again.`,
      );
      onFinished();
    } catch (e) {
      const err = toKeyportError(e);
      setProblem({ kind: err.code === "save_cancelled" ? "warning" : "error", text: err.message, code: err.code });
      // A key that can no longer be downloaded has nothing left to offer.
      if (["already_delivered", "key_revoked", "key_not_found"].includes(err.code)) {
        messages.error(err);
        onFinished();
      }
    } finally {
      setBusy(false);
    }
  };

  const discard = async () => {
    setBusy(true);
    try {
      const key = await api.discardKey(keyInfo.id);
      messages.notice(`The private key of "${key.label}" was discarded and the key was revoked.`);
      onFinished();
    } catch (e) {
      messages.error(e);
      onFinished();
    } finally {
      setBusy(false);
    }
  };

  if (confirmingDiscard) {
    return (
      <Modal
        title="Discard this private key?"
        testId="discard-dialog"
        footer={
          <>
            <button type="button" className="action-default" disabled={busy} onClick={() => onConfirmDiscard(false)}>
              Go Back
            </button>
            <button type="button" className="action-primary" disabled={busy} onClick={discard} data-testid="confirm-discard">
              Discard and Revoke Key
            </button>
          </>
        }
      >
        <p>
          Nobody will ever have the private key of “{keyInfo.label}”, so its API key is useless: Keyport revokes it
          with the reason “private key discarded”.
        </p>
      </Modal>
    );
  }

  return (
    <Modal
      title="Download private key"
      testId="download-dialog"
      footer={
        <>
          <button type="button" className="action-default" disabled={busy} onClick={() => onConfirmDiscard(true)} data-testid="cancel-download">
            Cancel
          </button>
          <button type="button" className="action-primary" disabled={busy} onClick={download} data-testid="download-key">
            Download
          </button>
        </>
      }
    >
      <div className="message message-warning warning" role="status">
        This is the only opportunity you have to save this private key.
      </div>
      {problem && (
        <div className={`message message-${problem.kind} ${problem.kind}`} role="alert" data-code={problem.code}>
          {problem.text}
          <span className="message-code">{problem.code}</span>
        </div>
      )}
      <dl className="key-summary">
        <dt>Name</dt>
        <dd data-testid="download-label">{keyInfo.label}</dd>
        <dt>Environment</dt>
        <dd>{labelOf(overview.catalog.environments, keyInfo.environment)}</dd>
        <dt>API Key</dt>
        <dd className="mono" data-testid="download-api-key">{keyInfo.api_key}</dd>
        <dt>Fingerprint</dt>
        <dd className="mono">{keyInfo.fingerprint}</dd>
        <dt>Size</dt>
        <dd>{keyInfo.bits} bits</dd>
      </dl>
      <label className="admin__field-option">
        <input type="checkbox" checked={keep} onChange={(e) => setKeep(e.target.checked)} name="keep_in_keychain" />
        Also keep this key in this workstation's keychain for the Connector
      </label>
    </Modal>
  );
}
