// The one-time download dialogs: progress while a key pair is generated,
// the download offer itself (it cannot be dismissed with Escape: the user
// must save or discard the key), and the confirmation before a discard.
import { useEffect, useState, type ReactNode } from "react";
import { Form, ProgressBar } from "react-aria-components";
import type { ApiKeyInfo } from "../bindings/ApiKeyInfo";
import type { ErrorCode } from "../bindings/ErrorCode";
import { Button } from "./Button";
import { Dialog } from "./Dialog";
import { Checkbox } from "./Field";
import { MessageBox } from "./Messages";

export function GeneratingDialog({ bits, started }: { bits: number; started: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 200);
    return () => clearInterval(t);
  }, []);
  const seconds = ((now - started) / 1000).toFixed(1);
  return (
    <Dialog title="Generating key pair" testId="generating-dialog">
      <ProgressBar className="progress" isIndeterminate aria-label="Generating key pair">
        <p>
          Generating a {bits}-bit RSA key pair… <span className="elapsed">{seconds} s</span>
        </p>
        <div className="progress-bar">
          <span />
        </div>
      </ProgressBar>
      {bits > 2048 && <p className="admin__field-note">Larger keys take longer; this runs in the background.</p>}
    </Dialog>
  );
}

export interface DownloadProblem {
  kind: "warning" | "error";
  text: string;
  code: ErrorCode;
}

export function DownloadOffer({
  keyInfo,
  environmentLabel,
  keep,
  onKeepChange,
  busy,
  problem,
  onDownload,
  onCancel,
  encryption,
  onEncrypt,
  onSaveBundle,
}: {
  keyInfo: ApiKeyInfo;
  environmentLabel: string;
  keep: boolean;
  onKeepChange: (keep: boolean) => void;
  busy: boolean;
  problem: DownloadProblem | null;
  onDownload: () => void;
  onCancel: () => void;
  /** The bundle's protection fields while "Save Encrypted" is chosen, else null. */
  encryption: ReactNode | null;
  /** Switches between the PEM download and the encrypted bundle. */
  onEncrypt: (encrypted: boolean) => void;
  onSaveBundle: () => void;
}) {
  return (
    <Dialog
      title="Download private key"
      testId="download-dialog"
      footer={
        encryption ? (
          <>
            <Button isDisabled={busy} onPress={() => onEncrypt(false)} data-testid="back-to-download">
              Back
            </Button>
            <Button
              variant="primary"
              isDisabled={busy}
              type="submit"
              form="download-bundle-form"
              data-testid="save-bundle"
            >
              Save Encrypted…
            </Button>
          </>
        ) : (
          <>
            <Button isDisabled={busy} onPress={onCancel} data-testid="cancel-download">
              Cancel
            </Button>
            <Button isDisabled={busy} onPress={() => onEncrypt(true)} data-testid="encrypt-key">
              Save Encrypted for a Recipient…
            </Button>
            <Button variant="primary" isDisabled={busy} onPress={onDownload} data-testid="download-key" autoFocus>
              Download
            </Button>
          </>
        )
      }
    >
      <MessageBox kind="warning" text="This is the only opportunity you have to save this private key." />
      {problem && <MessageBox kind={problem.kind} text={problem.text} code={problem.code} />}
      <dl className="key-summary">
        <dt>Name</dt>
        <dd data-testid="download-label">{keyInfo.label}</dd>
        <dt>Environment</dt>
        <dd>{environmentLabel}</dd>
        <dt>API Key</dt>
        <dd className="mono" data-testid="download-api-key">
          {keyInfo.api_key}
        </dd>
        <dt>Fingerprint</dt>
        <dd className="mono">{keyInfo.fingerprint}</dd>
        <dt>Size</dt>
        <dd>{keyInfo.bits} bits</dd>
      </dl>
      {encryption && (
        <div className="download-encryption" data-testid="download-encryption">
          <p className="admin__field-note">
            The key bundle is this key&apos;s one delivery: the private key travels encrypted, and afterwards Keyport
            holds it only if you keep it below.
          </p>
          <Form
            id="download-bundle-form"
            validationBehavior="aria"
            onSubmit={(e) => {
              e.preventDefault();
              if (!busy) onSaveBundle();
            }}
          >
            {encryption}
          </Form>
        </div>
      )}
      <Checkbox isSelected={keep} onChange={onKeepChange} name="keep_in_keychain" isDisabled={busy}>
        Also keep this key in this workstation&apos;s keychain for the Connector
      </Checkbox>
    </Dialog>
  );
}

export function ConfirmDiscard({
  keyInfo,
  busy,
  onBack,
  onDiscard,
}: {
  keyInfo: ApiKeyInfo;
  busy: boolean;
  onBack: () => void;
  onDiscard: () => void;
}) {
  return (
    <Dialog
      title="Discard this private key?"
      testId="discard-dialog"
      role="alertdialog"
      footer={
        <>
          <Button isDisabled={busy} onPress={onBack} autoFocus>
            Go Back
          </Button>
          <Button variant="primary" isDisabled={busy} onPress={onDiscard} data-testid="confirm-discard">
            Discard and Revoke Key
          </Button>
        </>
      }
    >
      <p>
        Nobody will ever have the private key of “{keyInfo.label}”, so its API key is useless: Keyport revokes it with
        the reason “private key discarded”.
      </p>
    </Dialog>
  );
}
