// A small dialog that renames one thing (a key, a merchant, a project…):
// the engine validates, and a refusal is shown on the field.
import { useState, type SyntheticEvent } from "react";
import { Form } from "react-aria-components";
import { KeyportError, toKeyportError } from "../lib/api";
import { fieldOf } from "../lib/errors";
import { Button } from "./Button";
import { Dialog } from "./Dialog";
import { TextField } from "./Field";
import { MessageBox } from "./Messages";

export function RenameDialog({
  title,
  label,
  initial,
  note,
  onSave,
  onClose,
  testId,
}: {
  title: string;
  label: string;
  initial: string;
  note?: string;
  /** Saves the new name; a rejection is shown on the field. */
  onSave: (name: string) => Promise<void>;
  onClose: () => void;
  testId?: string;
}) {
  const [name, setName] = useState(initial);
  const [failure, setFailure] = useState<KeyportError | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async (e: SyntheticEvent) => {
    e.preventDefault();
    // The dialog renders in a portal, but React bubbles its submit through
    // the component tree: a form around the dialog's opener must not see it
    // (a react-aria Form's props are cut off by Dialog itself).
    e.stopPropagation();
    setBusy(true);
    try {
      await onSave(name);
    } catch (err) {
      setFailure(toKeyportError(err));
    } finally {
      setBusy(false);
    }
  };
  const formId = `${testId ?? "rename"}-form`;
  // A refused name shows on the field; anything else (the store, the IPC) above it.
  const onField = failure && fieldOf(failure) ? failure : null;
  return (
    <Dialog
      title={title}
      onClose={onClose}
      locked={busy}
      testId={testId}
      footer={
        <>
          <Button onPress={onClose} isDisabled={busy}>
            Cancel
          </Button>
          <Button variant="primary" type="submit" form={formId} isDisabled={busy} data-testid="save-name">
            Save
          </Button>
        </>
      }
    >
      {failure && !onField && <MessageBox kind="error" text={failure.message} code={failure.code} />}
      <Form id={formId} onSubmit={save} validationBehavior="aria">
        <TextField
          label={label}
          name="new_name"
          isRequired
          value={name}
          onChange={setName}
          error={onField?.message}
          note={note}
          autoFocus
        />
      </Form>
    </Dialog>
  );
}
