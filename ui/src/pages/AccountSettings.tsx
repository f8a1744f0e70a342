// Account › Account Settings: the current account's details and, for the
// two ecosystem models, its merchants.
import { useEffect, useState, type FormEvent } from "react";
import type { Account } from "../bindings/Account";
import type { Edition } from "../bindings/Edition";
import type { Merchant } from "../bindings/Merchant";
import type { OperatingModel } from "../bindings/OperatingModel";
import type { Standing } from "../bindings/Standing";
import { Field, Fieldset } from "../components/Fieldset";
import { Modal } from "../components/Modal";
import { api } from "../lib/api";
import { useApp } from "../lib/app";
import { formatDate } from "../lib/fields";
import { useMessages } from "../lib/messages";

export function AccountSettingsForm({ account }: { account: Account }) {
  const { overview, refresh } = useApp();
  const messages = useMessages();
  const [name, setName] = useState(account.name);
  const [edition, setEdition] = useState<Edition>(account.edition);
  const [model, setModel] = useState<OperatingModel>(account.operating_model);
  const [standing, setStanding] = useState<Standing>(account.standing);

  // Switching accounts loads the other account's values.
  useEffect(() => {
    setName(account.name);
    setEdition(account.edition);
    setModel(account.operating_model);
    setStanding(account.standing);
  }, [account]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await api.updateAccount(account.id, { name, edition, operating_model: model, standing });
      await refresh();
      messages.success("You saved the account.");
    } catch (err) {
      messages.error(err);
    }
  };

  return (
    <form id="account-settings-form" onSubmit={save} noValidate>
      <Fieldset title="Account Information">
        <Field label="MageID" note="The MageID identifies the account and cannot change.">
          <span className="readonly-value mono" data-testid="settings-mage-id">{account.mage_id}</span>
        </Field>
        <Field label="Account Name" htmlFor="settings-name" required>
          <input id="settings-name" name="name" type="text" value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label="Edition" htmlFor="settings-edition" required note="Projects created from now on get this edition's data spaces.">
          <select id="settings-edition" value={edition} onChange={(e) => setEdition(e.target.value as Edition)}>
            {overview.catalog.editions.map((c) => (
              <option key={c.value} value={c.value}>{c.label}</option>
            ))}
          </select>
        </Field>
        <Field label="Operating Model" htmlFor="settings-model" required>
          <select id="settings-model" value={model} onChange={(e) => setModel(e.target.value as OperatingModel)}>
            {overview.catalog.operating_models.map((c) => (
              <option key={c.value} value={c.value}>{c.label}</option>
            ))}
          </select>
        </Field>
        <Field label="Standing" htmlFor="settings-standing" required
          note="Commerce Services refuse every key of a suspended account.">
          <select id="settings-standing" value={standing} onChange={(e) => setStanding(e.target.value as Standing)}>
            {overview.catalog.standings.map((c) => (
              <option key={c.value} value={c.value}>{c.label}</option>
            ))}
          </select>
        </Field>
        <Field label="Created">
          <span className="readonly-value" title={account.created_at}>{formatDate(account.created_at)}</span>
        </Field>
      </Fieldset>
    </form>
  );
}

export function MerchantsFieldset({ account }: { account: Account }) {
  const { refresh } = useApp();
  const messages = useMessages();
  const [newName, setNewName] = useState("");
  const [editing, setEditing] = useState<{ id: string; name: string } | null>(null);
  const [removing, setRemoving] = useState<Merchant | null>(null);

  const run = async (action: () => Promise<unknown>, success: string) => {
    try {
      await action();
      await refresh();
      messages.success(success);
      return true;
    } catch (err) {
      messages.error(err);
      return false;
    }
  };

  const add = async (e: FormEvent) => {
    e.preventDefault();
    if (await run(() => api.addMerchant(account.id, newName), `You added the merchant "${newName.trim()}".`)) setNewName("");
  };

  return (
    <Fieldset title="Merchants" id="merchants"
      comment="The merchants this account acts for under its ecosystem operating model.">
      <form className="admin__data-grid-header" onSubmit={add}>
        <input
          className="admin__control-text"
          style={{ maxWidth: "32rem" }}
          aria-label="New merchant name"
          placeholder="Merchant name"
          name="merchant_name"
          value={newName}
          onChange={(e) => setNewName(e.target.value)}
        />
        <button type="submit" className="action-secondary" data-testid="add-merchant">Add Merchant</button>
      </form>
      <div className="admin__data-grid-wrap">
        <table className="data-grid" data-testid="merchants-grid">
          <thead>
            <tr><th>Name</th><th>Added</th><th style={{ width: "18rem" }}>Action</th></tr>
          </thead>
          <tbody>
            {account.merchants.length === 0 && (
              <tr className="data-grid-empty"><td colSpan={3}>No merchants yet.</td></tr>
            )}
            {account.merchants.map((m) =>
              editing?.id === m.id ? (
                <tr key={m.id}>
                  <td colSpan={2}>
                    <form
                      id={`rename-${m.id}`}
                      onSubmit={async (e) => {
                        e.preventDefault();
                        if (await run(() => api.renameMerchant(account.id, m.id, editing.name), "You renamed the merchant.")) setEditing(null);
                      }}
                    >
                      <input className="admin__control-text" aria-label="Merchant name" value={editing.name}
                        onChange={(e) => setEditing({ id: m.id, name: e.target.value })} autoFocus />
                    </form>
                  </td>
                  <td>
                    <button type="submit" form={`rename-${m.id}`} className="action-tertiary">Save</button>
                    <button type="button" className="action-tertiary" onClick={() => setEditing(null)}>Cancel</button>
                  </td>
                </tr>
              ) : (
                <tr key={m.id}>
                  <td>{m.name}</td>
                  <td title={m.created_at}>{formatDate(m.created_at)}</td>
                  <td>
                    <button type="button" className="action-tertiary" onClick={() => setEditing({ id: m.id, name: m.name })}>Rename</button>
                    <button type="button" className="action-tertiary" onClick={() => setRemoving(m)}>Remove</button>
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      </div>
      {removing && (
        <Modal
          title="Remove merchant"
          onClose={() => setRemoving(null)}
          footer={
            <>
              <button type="button" className="action-default" onClick={() => setRemoving(null)}>Cancel</button>
              <button
                type="button"
                className="action-primary"
                onClick={async () => {
                  const m = removing;
                  setRemoving(null);
                  await run(() => api.removeMerchant(account.id, m.id), `You removed the merchant "${m.name}".`);
                }}
              >
                Remove
              </button>
            </>
          }
        >
          <p>Remove the merchant “{removing.name}” from {account.name}?</p>
        </Modal>
      )}
    </Fieldset>
  );
}
