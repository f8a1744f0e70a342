// The one-time download, hosted once for the whole app: "Add New" opens it,
// and on start-up it comes back for any key whose private key is still
// waiting (a crash or a closed window never loses a key). The dialogs
// themselves are in components/DownloadDialog.tsx.
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import type { ApiKeyInfo } from "../bindings/ApiKeyInfo";
import {
  NEW_PROTECTION,
  ProtectionFields,
  protectionOf,
  protectionProblems,
  type ProtectionDraft,
} from "../components/BundleProtection";
import { ConfirmDiscard, DownloadOffer, GeneratingDialog, type DownloadProblem } from "../components/DownloadDialog";
import { api, toKeyportError } from "./api";
import { labelOf, useApp } from "./app";
import { isKeyGone, isWarning } from "./errors";
import { useMessages } from "./messages";

type Phase =
  | { phase: "generating"; bits: number; started: number }
  | { phase: "ready"; key: ApiKeyInfo }
  | { phase: "confirm-discard"; key: ApiKeyInfo };

interface DownloadsApi {
  /** Shows progress while a key pair is generated. */
  generating: (bits: number) => void;
  /** Offers the one-time download of `key`. */
  offer: (key: ApiKeyInfo) => void;
  /** Closes the dialog (generation failed). */
  close: () => void;
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
  const [dialog, setDialog] = useState<Phase | null>(null);
  const queue = useRef<ApiKeyInfo[]>([]);
  const [version, setVersion] = useState(0);
  const changed = useCallback(() => setVersion((v) => v + 1), []);
  const { error: showError } = messages;

  // Keys still waiting from an earlier session come back first.
  useEffect(() => {
    api.pendingDownloads().then(
      (keys) => {
        const [first, ...rest] = keys;
        if (first) {
          queue.current = rest;
          setDialog({ phase: "ready", key: first });
        }
      },
      (e: unknown) => showError(e),
    );
  }, [showError]);

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
      {dialog?.phase === "generating" && <GeneratingDialog bits={dialog.bits} started={dialog.started} />}
      {dialog && dialog.phase !== "generating" && (
        <Download
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

function Download({
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
  const [problem, setProblem] = useState<DownloadProblem | null>(null);
  const [encrypted, setEncrypted] = useState(false);
  const [protection, setProtection] = useState<ProtectionDraft>(NEW_PROTECTION);
  const [protectionErrors, setProtectionErrors] = useState<Map<string, string>>(new Map());

  const saveBundle = async () => {
    const chosen = protectionOf(protection);
    if ("mismatch" in chosen) {
      setProtectionErrors(new Map([["confirm", chosen.mismatch]]));
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const delivery = await api.downloadKeyBundle(keyInfo.id, chosen, protection.hours, keep);
      const whom =
        chosen.kind === "recipient"
          ? "only the recipient's Keyport can open it"
          : "tell the recipient the passphrase by another channel than the file";
      messages.success(
        `The private key of "${delivery.label}" was saved encrypted to ${delivery.private_key_file}: ${whom}. Keyport cannot show it again.`,
      );
      onFinished();
    } catch (e) {
      const err = toKeyportError(e);
      setProtectionErrors(protectionProblems(err));
      setProblem({ kind: isWarning(err.code) ? "warning" : "error", text: err.message, code: err.code });
      if (isKeyGone(err.code)) {
        messages.error(err);
        onFinished();
      }
    } finally {
      setBusy(false);
    }
  };

  const download = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const delivery = await api.downloadPrivateKey(keyInfo.id, keep);
      messages.success(
        `The private key of "${delivery.label}" was saved to ${delivery.private_key_file}. Keyport cannot show it again.`,
      );
      // e.g. file_not_private: saved to a drive that keeps no Unix modes.
      for (const warning of delivery.warnings) messages.warning(warning.message);
      onFinished();
    } catch (e) {
      const err = toKeyportError(e);
      setProblem({ kind: isWarning(err.code) ? "warning" : "error", text: err.message, code: err.code });
      // A key that can no longer be downloaded has nothing left to offer.
      if (isKeyGone(err.code)) {
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
    } catch (e) {
      messages.error(e);
    } finally {
      setBusy(false);
      onFinished();
    }
  };

  if (confirmingDiscard) {
    return <ConfirmDiscard keyInfo={keyInfo} busy={busy} onBack={() => onConfirmDiscard(false)} onDiscard={discard} />;
  }
  return (
    <DownloadOffer
      keyInfo={keyInfo}
      environmentLabel={labelOf(overview.catalog.environments, keyInfo.environment)}
      keep={keep}
      onKeepChange={setKeep}
      busy={busy}
      problem={problem}
      onDownload={download}
      onCancel={() => onConfirmDiscard(true)}
      encryption={
        encrypted ? (
          <ProtectionFields draft={protection} onChange={setProtection} problems={protectionErrors} isDisabled={busy} />
        ) : null
      }
      onEncrypt={(on) => {
        setEncrypted(on);
        setProblem(null);
      }}
      onSaveBundle={() => void saveBundle()}
    />
  );
}
