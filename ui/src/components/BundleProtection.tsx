// Who can open a key bundle being made: the recipient's public key (age1…)
// or a passphrase (typed twice, or generated and shown once to copy), and
// for how long it can be imported. Used by the Key Bundles page and by the
// one-time download's "Save Encrypted".
import { useState } from "react";
import type { BundleProtection } from "../bindings/BundleProtection";
import { api } from "../lib/api";
import { copyText } from "../lib/clipboard";
import { useMessages } from "../lib/messages";
import { Button } from "./Button";
import { FieldActions, TextField } from "./Field";
import { RadioGroup } from "./RadioGroup";
import { Select } from "./Select";

export interface ProtectionDraft {
  kind: "recipient" | "passphrase";
  recipient: string;
  passphrase: string;
  confirm: string;
  /** The passphrase is shown (it was generated, to be copied). */
  shown: boolean;
  hours: number;
}

export const NEW_PROTECTION: ProtectionDraft = {
  kind: "recipient",
  recipient: "",
  passphrase: "",
  confirm: "",
  shown: false,
  hours: 7 * 24,
};

export const EXPIRY_OPTIONS = [
  { value: 24, label: "1 day" },
  { value: 7 * 24, label: "7 days (recommended)" },
  { value: 30 * 24, label: "30 days" },
  { value: 90 * 24, label: "90 days" },
];

/** The protection to send, or the problem to show on the confirmation field. */
export function protectionOf(draft: ProtectionDraft): BundleProtection | { mismatch: string } {
  if (draft.kind === "recipient") return { kind: "recipient", recipient: draft.recipient };
  if (draft.passphrase !== draft.confirm) return { mismatch: "The two passphrases differ: type the same one twice." };
  return { kind: "passphrase", passphrase: draft.passphrase };
}

export function ProtectionFields({
  draft,
  onChange,
  problems,
  isDisabled,
  autoFocus,
}: {
  draft: ProtectionDraft;
  onChange: (draft: ProtectionDraft) => void;
  /** Errors by field: "recipient", "passphrase", "confirm". */
  problems: Map<string, string>;
  isDisabled?: boolean;
  /** Focus the first field when shown (the download dialog's form replaces the button pressed). */
  autoFocus?: boolean;
}) {
  const messages = useMessages();
  const [copied, setCopied] = useState(false);
  const update = (patch: Partial<ProtectionDraft>) => onChange({ ...draft, ...patch });
  const generate = async () => {
    try {
      const passphrase = await api.generatePassphrase();
      update({ passphrase, confirm: passphrase, shown: true });
      setCopied(false);
    } catch (e) {
      messages.error(e);
    }
  };
  const copy = async () => {
    try {
      await copyText(draft.passphrase);
      setCopied(true);
    } catch (e) {
      messages.error(e);
    }
  };
  return (
    <>
      <RadioGroup<ProtectionDraft["kind"]>
        label="Protect With"
        name="protection"
        options={[
          { value: "recipient", label: "The recipient's public key (age1…)", isDisabled },
          { value: "passphrase", label: "A passphrase", isDisabled },
        ]}
        value={draft.kind}
        onChange={(kind) => update({ kind })}
        note="A recipient's key is safest: only their Keyport opens the bundle. Tell a passphrase by another channel than the file."
      />
      {draft.kind === "recipient" ? (
        <TextField
          label="Recipient's Public Key"
          name="recipient"
          code
          isRequired
          autoFocus={autoFocus}
          isDisabled={isDisabled}
          placeholder="age1…"
          value={draft.recipient}
          onChange={(recipient) => update({ recipient })}
          error={problems.get("recipient")}
          note="The integrator finds it on their Key Bundles page, or with keyport identity show."
        />
      ) : (
        <>
          <TextField
            label="Passphrase"
            name="passphrase"
            type={draft.shown ? "text" : "password"}
            code={draft.shown}
            isRequired
            isDisabled={isDisabled}
            value={draft.passphrase}
            onChange={(passphrase) => update({ passphrase, shown: false })}
            error={problems.get("passphrase")}
            note="At least 12 characters."
          />
          <TextField
            label="Confirm Passphrase"
            name="confirm_passphrase"
            type={draft.shown ? "text" : "password"}
            code={draft.shown}
            isRequired
            isDisabled={isDisabled}
            value={draft.confirm}
            onChange={(confirm) => update({ confirm, shown: false })}
            error={problems.get("confirm")}
          />
          <FieldActions>
            <Button onPress={() => void generate()} isDisabled={isDisabled} data-testid="generate-passphrase">
              Generate Passphrase
            </Button>
            {draft.shown && (
              <Button variant="tertiary" onPress={() => void copy()} isDisabled={isDisabled}>
                {copied ? "Copied" : "Copy Passphrase"}
              </Button>
            )}
          </FieldActions>
        </>
      )}
      <Select
        label="Expires After"
        name="expires"
        options={EXPIRY_OPTIONS}
        value={draft.hours}
        onChange={(hours) => update({ hours })}
        isDisabled={isDisabled}
        note="After it, the bundle is refused: a forgotten file stops being a risk."
      />
    </>
  );
}

/** Field problems of a failed bundle request: the recipient or the passphrase. */
export function protectionProblems(error: {
  code: string;
  message: string;
  field?: string | null;
}): Map<string, string> {
  const problems = new Map<string, string>();
  if (error.field === "recipient") problems.set("recipient", error.message);
  if (error.field === "passphrase") problems.set("passphrase", error.message);
  return problems;
}
