// The "Create your account" form: first run and Account › Add New Account.
import { useState, type SyntheticEvent } from "react";
import { Form } from "react-aria-components";
import type { Account } from "../bindings/Account";
import type { Catalog } from "../bindings/Catalog";
import type { Edition } from "../bindings/Edition";
import type { OperatingModel } from "../bindings/OperatingModel";
import { Button } from "../components/Button";
import { TextField } from "../components/Field";
import { Select } from "../components/Select";
import { api, toKeyportError } from "../lib/api";
import { fieldOf, type FormField } from "../lib/errors";
import { useMessages } from "../lib/messages";

export function AccountForm({
  catalog,
  formId,
  onCreated,
  showSubmit = true,
}: {
  catalog: Catalog;
  formId: string;
  onCreated: (account: Account) => void | Promise<void>;
  showSubmit?: boolean;
}) {
  const messages = useMessages();
  const [mageId, setMageId] = useState("");
  const [name, setName] = useState("");
  const [edition, setEdition] = useState<Edition>("adobe_commerce");
  const [model, setModel] = useState<OperatingModel>("primary_merchant");
  const [busy, setBusy] = useState(false);
  const [invalid, setInvalid] = useState<{ field: FormField; message: string } | null>(null);

  const submit = async (e: SyntheticEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const account = await api.createAccount({ mage_id: mageId, name, edition, operating_model: model });
      setInvalid(null);
      await onCreated(account);
    } catch (err) {
      const ke = toKeyportError(err);
      const field = fieldOf(ke);
      setInvalid(field ? { field, message: ke.message } : null);
      messages.error(ke);
    } finally {
      setBusy(false);
    }
  };
  const errorFor = (field: FormField) => (invalid?.field === field ? invalid.message : null);
  const modelChoice = catalog.operating_models.find((m) => m.value === model);

  return (
    <Form id={formId} onSubmit={submit} validationBehavior="aria">
      <TextField
        label="MageID"
        name="mage_id"
        isRequired
        code
        value={mageId}
        onChange={setMageId}
        placeholder="MAG012345678"
        error={errorFor("mage_id")}
        note="Your Commerce account id: MAG followed by 9 digits, as shown at account.magento.com."
        autoFocus
      />
      <TextField
        label="Account Name"
        name="name"
        isRequired
        value={name}
        onChange={setName}
        error={errorFor("account_name")}
        note="How this account appears in Keyport, e.g. the license holder's company."
      />
      <Select
        label="Edition"
        name="edition"
        isRequired
        options={catalog.editions}
        value={edition}
        onChange={setEdition}
        error={errorFor("edition")}
        note="Decides the data spaces each SaaS project gets."
      />
      <Select
        label="Operating Model"
        name="operating_model"
        isRequired
        options={catalog.operating_models}
        value={model}
        onChange={setModel}
        error={errorFor("operating_model")}
        note={
          modelChoice?.has_merchants
            ? "Ecosystem accounts act for merchants of their own and can create scoped keys."
            : undefined
        }
      />
      {showSubmit && (
        <div className="actions">
          <Button variant="primary" type="submit" isDisabled={busy} data-testid="create-account">
            Create Account
          </Button>
        </div>
      )}
    </Form>
  );
}
