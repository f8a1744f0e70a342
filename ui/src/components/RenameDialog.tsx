// A small dialog that renames one thing (a key, a merchant, a project…):
// the engine validates, and a refusal is shown on the field.
import { useState, type SyntheticEvent } from "react";
import { Form } from "react-aria-components";
import { toKeyportError } from "../lib/api";
import { Button } from "./Button";
import { Dialog } from "./Dialog";
import { TextField } from "./Field";

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
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async (e: SyntheticEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      await onSave(name);
    } catch (err) {
      setError(toKeyportError(err).message);
    } finally {
      setBusy(false);
    }
  };
  const formId = `${testId ?? "rename"}-form`;
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
      <Form id={formId} onSubmit={save} validationBehavior="aria">
        <TextField
          label={label}
          name="new_name"
          isRequired
          value={name}
          onChange={setName}
          error={error}
          note={note}
          autoFocus
        />
      </Form>
    </Dialog>
  );
}
