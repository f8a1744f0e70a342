// The "Create your account" form: first run and Account › Add New Account.
import { useState, type FormEvent } from "react";
import type { Account } from "../bindings/Account";
import type { Catalog } from "../bindings/Catalog";
import type { Edition } from "../bindings/Edition";
import type { OperatingModel } from "../bindings/OperatingModel";
import { api, toKeyportError } from "../lib/api";
import { fieldForCode } from "../lib/fields";
import { useMessages } from "../lib/messages";
import { Field } from "../components/Fieldset";

const FIELDS = ["mage_id", "name", "edition", "operating_model"] as const;

export function AccountForm({
  catalog,
  formId,
  onCreated,
  showSubmit = true,
}: {
  catalog: Catalog;
  formId: string;
  onCreated: (account: Account) => void;
  showSubmit?: boolean;
}) {
  const messages = useMessages();
  const [mageId, setMageId] = useState("");
  const [name, setName] = useState("");
  const [edition, setEdition] = useState<Edition>("adobe_commerce");
  const [model, setModel] = useState<OperatingModel>("primary_merchant");
  const [busy, setBusy] = useState(false);
  const [errorField, setErrorField] = useState<{ field: string; message: string } | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const account = await api.createAccount({ mage_id: mageId, name, edition, operating_model: model });
      setErrorField(null);
      onCreated(account);
    } catch (err) {
      const ke = toKeyportError(err);
      const field = fieldForCode(ke.code, FIELDS);
      setErrorField(field ? { field, message: ke.message } : null);
      messages.error(ke);
    } finally {
      setBusy(false);
    }
  };
  const errorFor = (field: string) => (errorField?.field === field ? errorField.message : null);
  const modelChoice = catalog.operating_models.find((m) => m.value === model);

  return (
    <form id={formId} onSubmit={submit} noValidate>
      <Field label="MageID" htmlFor={`${formId}-mage-id`} required error={errorFor("mage_id")}
        note="Your Commerce account id: MAG followed by 9 digits, as shown at account.magento.com.">
        <input
          id={`${formId}-mage-id`}
          name="mage_id"
          type="text"
          autoComplete="off"
          spellCheck={false}
          placeholder="MAG012345678"
          value={mageId}
          onChange={(e) => setMageId(e.target.value)}
          autoFocus
        />
      </Field>
      <Field label="Account Name" htmlFor={`${formId}-name`} required error={errorFor("name")}
        note="How this account appears in Keyport, e.g. the license holder's company.">
        <input id={`${formId}-name`} name="name" type="text" value={name} onChange={(e) => setName(e.target.value)} />
      </Field>
      <Field label="Edition" htmlFor={`${formId}-edition`} required
        note="Decides the data spaces each SaaS project gets.">
        <select id={`${formId}-edition`} name="edition" value={edition} onChange={(e) => setEdition(e.target.value as Edition)}>
          {catalog.editions.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Operating Model" htmlFor={`${formId}-model`} required
        note={modelChoice?.has_merchants ? "Ecosystem accounts act for merchants of their own and can create scoped keys." : undefined}>
        <select id={`${formId}-model`} name="operating_model" value={model} onChange={(e) => setModel(e.target.value as OperatingModel)}>
          {catalog.operating_models.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      </Field>
      {showSubmit && (
        <div className="actions">
          <button type="submit" className="action-primary" disabled={busy} data-testid="create-account">
            Create Account
          </button>
        </div>
      )}
    </form>
  );
}
