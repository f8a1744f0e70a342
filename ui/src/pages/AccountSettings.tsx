// Account › Account Settings: the current account's details and, for the
// two ecosystem models, its merchants.
import { useState, type SyntheticEvent } from "react";
import { Form } from "react-aria-components";
import type { Account } from "../bindings/Account";
import type { Edition } from "../bindings/Edition";
import type { Merchant } from "../bindings/Merchant";
import type { OperatingModel } from "../bindings/OperatingModel";
import type { Standing } from "../bindings/Standing";
import { Button } from "../components/Button";
import { DataGrid, RecordsFound } from "../components/DataGrid";
import { Dialog } from "../components/Dialog";
import { ReadOnlyField, TextField } from "../components/Field";
import { Fieldset } from "../components/Fieldset";
import { RenameDialog } from "../components/RenameDialog";
import { Select } from "../components/Select";
import { api, toKeyportError } from "../lib/api";
import { useApp } from "../lib/app";
import { fieldOf, type FormField } from "../lib/errors";
import { formatDate } from "../lib/format";
import { useMessages } from "../lib/messages";
import { ConfirmDialog, warningsOf } from "./Instances";

/** The form starts from `account`; render it with `key={account.id}` so switching accounts starts afresh. */
export function AccountSettingsForm({ account }: { account: Account }) {
  const { overview, refresh } = useApp();
  const messages = useMessages();
  const [name, setName] = useState(account.name);
  const [edition, setEdition] = useState<Edition>(account.edition);
  const [model, setModel] = useState<OperatingModel>(account.operating_model);
  const [standing, setStanding] = useState<Standing>(account.standing);
  const [invalid, setInvalid] = useState<{ field: FormField; message: string } | null>(null);
  const [confirming, setConfirming] = useState<string[] | null>(null);

  const update = async (confirmed: string[]) => {
    setConfirming(null);
    try {
      await api.updateAccount(account.id, { name, edition, operating_model: model, standing, confirmed });
      setInvalid(null);
      await refresh();
      messages.success(
        confirmed.length
          ? "You saved the account and revoked the scoped keys it can no longer hold."
          : "You saved the account.",
      );
    } catch (err) {
      const ke = toKeyportError(err);
      if (ke.code === "confirmation_required") {
        setConfirming(warningsOf(ke));
        return;
      }
      const field = fieldOf(ke);
      setInvalid(field ? { field, message: ke.message } : null);
      messages.error(ke);
    }
  };
  const save = (e: SyntheticEvent) => {
    e.preventDefault();
    void update([]);
  };
  const errorFor = (field: FormField) => (invalid?.field === field ? invalid.message : null);

  return (
    <Form id="account-settings-form" onSubmit={save} validationBehavior="aria">
      <Fieldset title="Account Information">
        <ReadOnlyField
          label="MageID"
          code
          testId="settings-mage-id"
          note="The MageID identifies the account and cannot change."
        >
          {account.mage_id}
        </ReadOnlyField>
        <TextField
          label="Account Name"
          name="name"
          isRequired
          value={name}
          onChange={setName}
          error={errorFor("account_name")}
        />
        <Select
          label="Edition"
          name="edition"
          isRequired
          options={overview.catalog.editions}
          value={edition}
          onChange={setEdition}
          error={errorFor("edition")}
          note="Projects created from now on get this edition's data spaces."
        />
        <Select
          label="Operating Model"
          name="operating_model"
          isRequired
          options={overview.catalog.operating_models}
          value={model}
          onChange={setModel}
          error={errorFor("operating_model")}
        />
        <Select
          label="Standing"
          name="standing"
          isRequired
          options={overview.catalog.standings}
          value={standing}
          onChange={setStanding}
          error={errorFor("standing")}
          note="Commerce Services refuse every key of a suspended account."
        />
        <ReadOnlyField label="Created">
          <span title={account.created_at}>{formatDate(account.created_at)}</span>
        </ReadOnlyField>
      </Fieldset>
      {confirming && (
        <ConfirmDialog
          warnings={confirming}
          confirmLabel="Save and Revoke Keys"
          onConfirm={() => void update(confirming)}
          onCancel={() => setConfirming(null)}
        />
      )}
    </Form>
  );
}

export function MerchantsFieldset({ account }: { account: Account }) {
  const { refresh } = useApp();
  const messages = useMessages();
  const [newName, setNewName] = useState("");
  const [nameError, setNameError] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<Merchant | null>(null);
  const [removing, setRemoving] = useState<Merchant | null>(null);
  const [revoking, setRevoking] = useState<{ merchant: Merchant; warnings: string[] } | null>(null);

  const add = async (e: SyntheticEvent) => {
    e.preventDefault();
    try {
      const merchant = await api.addMerchant(account.id, newName);
      setNewName("");
      setNameError(null);
      await refresh();
      messages.success(`You added the merchant "${merchant.name}".`);
    } catch (err) {
      const ke = toKeyportError(err);
      setNameError(fieldOf(ke) === "merchant_name" ? ke.message : null);
      messages.error(ke);
    }
  };

  const remove = async (m: Merchant, confirmed: string[]) => {
    setRemoving(null);
    setRevoking(null);
    try {
      await api.removeMerchant(account.id, m.id, confirmed);
      await refresh();
      messages.success(
        confirmed.length
          ? `You removed the merchant "${m.name}" and revoked the scoped keys that named it.`
          : `You removed the merchant "${m.name}".`,
      );
    } catch (err) {
      const ke = toKeyportError(err);
      if (ke.code === "confirmation_required") setRevoking({ merchant: m, warnings: warningsOf(ke) });
      else messages.error(ke);
    }
  };

  return (
    <Fieldset
      title="Merchants"
      id="merchants"
      comment="The merchants this account acts for under its ecosystem operating model."
    >
      <Form className="inline-form" onSubmit={add} validationBehavior="aria">
        <TextField
          label="New merchant"
          layout="inline"
          name="merchant_name"
          placeholder="Merchant name"
          value={newName}
          onChange={setNewName}
          error={nameError}
        />
        <Button variant="secondary" type="submit" data-testid="add-merchant">
          Add Merchant
        </Button>
      </Form>
      <DataGrid<Merchant>
        label="Merchants"
        testId="merchants-grid"
        rows={account.merchants}
        empty="No merchants yet."
        header={<RecordsFound total={account.merchants.length} />}
        columns={[
          { id: "name", title: "Name", isRowHeader: true, render: (m) => m.name },
          {
            id: "added",
            title: "Added",
            render: (m) => <span title={m.created_at}>{formatDate(m.created_at)}</span>,
          },
          {
            id: "action",
            title: "Action",
            className: "cell-actions",
            render: (m) => (
              <>
                <Button variant="tertiary" onPress={() => setRenaming(m)}>
                  Rename
                </Button>
                <Button variant="tertiary" onPress={() => setRemoving(m)}>
                  Remove
                </Button>
              </>
            ),
          },
        ]}
      />
      {renaming && (
        <RenameDialog
          title="Rename merchant"
          label="Merchant name"
          initial={renaming.name}
          testId="rename-merchant-dialog"
          onClose={() => setRenaming(null)}
          onSave={async (name) => {
            await api.renameMerchant(account.id, renaming.id, name);
            setRenaming(null);
            await refresh();
            messages.success("You renamed the merchant.");
          }}
        />
      )}
      {removing && (
        <Dialog
          title="Remove merchant"
          role="alertdialog"
          onClose={() => setRemoving(null)}
          testId="remove-merchant-dialog"
          footer={
            <>
              <Button onPress={() => setRemoving(null)} autoFocus>
                Cancel
              </Button>
              <Button variant="primary" onPress={() => void remove(removing, [])}>
                Remove
              </Button>
            </>
          }
        >
          <p>
            Remove the merchant “{removing.name}” from {account.name}?
          </p>
        </Dialog>
      )}
      {revoking && (
        <ConfirmDialog
          warnings={revoking.warnings}
          confirmLabel="Remove and Revoke Keys"
          onConfirm={() => void remove(revoking.merchant, revoking.warnings)}
          onCancel={() => setRevoking(null)}
        />
      )}
    </Fieldset>
  );
}
