// Stores › Instances: the Commerce instances this workstation configures,
// with their Connector status, and the instance form.
import { useCallback, useEffect, useState, type SyntheticEvent } from "react";
import { Form } from "react-aria-components";
import type { Instance } from "../bindings/Instance";
import type { InstanceStatus } from "../bindings/InstanceStatus";
import type { InstanceType } from "../bindings/InstanceType";
import { Badge, type BadgeTone } from "../components/Badge";
import { Button } from "../components/Button";
import { DataGrid, RecordsFound } from "../components/DataGrid";
import { Dialog } from "../components/Dialog";
import { TextField } from "../components/Field";
import { Fieldset } from "../components/Fieldset";
import { RowActions } from "../components/Menu";
import { MessageBox } from "../components/Messages";
import { Select } from "../components/Select";
import { api, KeyportError, toKeyportError } from "../lib/api";
import { labelOf, useApp } from "../lib/app";
import { fieldOf } from "../lib/errors";
import { age, formatDate } from "../lib/format";
import { useMessages } from "../lib/messages";
import { navigate } from "../lib/router";

export const STATUS: Record<InstanceStatus, { tone: BadgeTone; label: string }> = {
  connected: { tone: "notice", label: "Connected" },
  keys_revoked: { tone: "critical", label: "Keys no longer valid" },
  check_failed: { tone: "critical", label: "Check failed" },
  not_configured: { tone: "neutral", label: "Not configured" },
  unchecked: { tone: "minor", label: "Not checked" },
};

export function StatusBadge({ instance }: { instance: Instance }) {
  const { tone, label } = STATUS[instance.status];
  return (
    <Badge tone={tone} title={instance.status_message}>
      {label}
    </Badge>
  );
}

export function InstancesGrid() {
  const { overview } = useApp();
  const messages = useMessages();
  const { error: showError } = messages;
  const [instances, setInstances] = useState<Instance[] | null>(null);
  const [removing, setRemoving] = useState<Instance | null>(null);
  const names = new Map(overview.accounts.map((a) => [a.id, a.name]));

  const load = useCallback(() => {
    api.instances(null).then(setInstances, (e: unknown) => showError(e));
  }, [showError]);
  useEffect(load, [load]);

  const remove = async (instance: Instance) => {
    setRemoving(null);
    try {
      await api.removeInstance(instance.id);
      load();
      messages.success(`You removed the instance “${instance.name}” and the private keys Keyport held for it.`);
    } catch (e) {
      messages.error(e);
    }
  };

  return (
    <>
      <DataGrid<Instance>
        label="Instances"
        testId="instances-grid"
        rows={instances}
        empty="No instances yet. Click Add New Instance to add the first Commerce instance you configure."
        header={<RecordsFound total={instances?.length ?? null} />}
        onRowAction={(i) => navigate(`/connector/${i.id}`)}
        rowTestAttributes={(i) => ({ "data-instance": i.name })}
        columns={[
          { id: "name", title: "Name", isRowHeader: true, render: (i) => i.name },
          { id: "type", title: "Type", render: (i) => labelOf(overview.catalog.instance_types, i.instance_type) },
          { id: "url", title: "Base URL", className: "mono", render: (i) => i.base_url },
          { id: "websites", title: "Websites", className: "mono", render: (i) => i.website_codes.join(", ") },
          { id: "account", title: "Account", render: (i) => names.get(i.account_id) ?? "" },
          {
            id: "saas",
            title: "Data Space",
            render: (i) =>
              i.saas ? (
                <>
                  {i.saas.data_space_name}
                  <div className="cell-note">{i.saas.project_name}</div>
                </>
              ) : (
                "—"
              ),
          },
          {
            id: "status",
            title: "Status",
            render: (i) => (
              <>
                <StatusBadge instance={i} />
                {i.status !== "connected" && <div className="cell-note">{i.status_message}</div>}
                <div className="cell-note" title={formatDate(i.last_checked_at)}>
                  {i.last_checked_at ? `checked ${age(i.last_checked_at)} ago` : "never checked"}
                </div>
              </>
            ),
          },
          {
            id: "action",
            title: "Action",
            className: "cell-actions",
            render: (i) => (
              <RowActions
                label={`Actions for ${i.name}`}
                actions={[
                  { id: "configure", label: "Configure Connector", onAction: () => navigate(`/connector/${i.id}`) },
                  { id: "edit", label: "Edit", onAction: () => navigate(`/instances/${i.id}/edit`) },
                  { id: "remove", label: "Remove", onAction: () => setRemoving(i) },
                ]}
              />
            ),
          },
        ]}
      />
      {removing && (
        <Dialog
          title="Remove instance"
          role="alertdialog"
          onClose={() => setRemoving(null)}
          testId="remove-instance-dialog"
          footer={
            <>
              <Button onPress={() => setRemoving(null)} autoFocus>
                Cancel
              </Button>
              <Button variant="primary" onPress={() => remove(removing)}>
                Remove
              </Button>
            </>
          }
        >
          <p>
            Remove “{removing.name}”? Keyport forgets its Connector configuration and deletes the private keys it holds
            for it; the Commerce instance itself is not changed.
          </p>
        </Dialog>
      )}
    </>
  );
}

/** The warnings of a `confirmation_required` refusal: the texts to show and to confirm. */
export function warningsOf(error: KeyportError): string[] {
  return error.details.length > 0 ? error.details.map((d) => d.message) : [error.message];
}

/** Asks to go on despite warnings (`confirmation_required`). */
export function ConfirmDialog({
  warnings,
  confirmLabel,
  onConfirm,
  onCancel,
}: {
  warnings: string[];
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <Dialog
      title="Please confirm"
      role="alertdialog"
      onClose={onCancel}
      testId="confirm-dialog"
      footer={
        <>
          <Button onPress={onCancel} autoFocus>
            Cancel
          </Button>
          <Button variant="primary" onPress={onConfirm} data-testid="confirm">
            {confirmLabel}
          </Button>
        </>
      }
    >
      {warnings.map((w) => (
        <MessageBox key={w} kind="warning" text={w} />
      ))}
    </Dialog>
  );
}

/** The instance form: new (`instance` absent) or edit. */
export function InstanceForm({ instance, formId }: { instance?: Instance; formId: string }) {
  const { overview, current } = useApp();
  const messages = useMessages();
  const [name, setName] = useState(instance?.name ?? "");
  const [url, setUrl] = useState(instance?.base_url ?? "https://");
  const [type, setType] = useState<InstanceType>(instance?.instance_type ?? "development");
  const [websites, setWebsites] = useState(instance?.website_codes.join(", ") ?? "base");
  const [account, setAccount] = useState(instance?.account_id ?? current?.id ?? "");
  const [failure, setFailure] = useState<KeyportError | null>(null);
  const [confirming, setConfirming] = useState<string[] | null>(null);

  const save = async (confirmed: string[]) => {
    setConfirming(null);
    try {
      const saved = instance
        ? await api.updateInstance(instance.id, {
            name,
            base_url: url,
            instance_type: type,
            website_codes: [websites],
            account,
            confirmed,
          })
        : await api.addInstance({ account, name, base_url: url, instance_type: type, website_codes: [websites] });
      setFailure(null);
      navigate(instance ? "/instances" : `/connector/${saved.id}`);
      messages.success(
        instance
          ? `You saved the instance “${saved.name}”.`
          : `You added the instance “${saved.name}”. Now save its keys on its Commerce Services Connector page.`,
      );
    } catch (e) {
      const err = toKeyportError(e);
      if (err.code === "confirmation_required") {
        setConfirming(warningsOf(err));
        return;
      }
      setFailure(err);
      messages.error(err);
    }
  };
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    void save([]);
  };
  const errorFor = (field: string) => (failure && fieldOf(failure) === field ? failure.message : null);

  return (
    <>
      <Form id={formId} onSubmit={submit} validationBehavior="aria">
        <Fieldset title="Instance Information">
          <TextField
            label="Instance Name"
            name="name"
            isRequired
            value={name}
            onChange={setName}
            error={errorFor("instance_name")}
            note="How Keyport and its command line name this instance, e.g. shop-staging."
            autoFocus
          />
          <TextField
            label="Base URL"
            name="base_url"
            type="url"
            code
            isRequired
            value={url}
            onChange={setUrl}
            error={errorFor("base_url")}
            note="The storefront's base URL (web/secure/base_url)."
          />
          <Select
            label="Instance Type"
            name="instance_type"
            isRequired
            options={overview.catalog.instance_types}
            value={type}
            onChange={setType}
            note="Only a production instance should send data to a production data space."
          />
          <TextField
            label="Website Codes"
            name="website_codes"
            code
            isRequired
            value={websites}
            onChange={setWebsites}
            error={errorFor("website_codes")}
            note="The instance's Magento website codes, separated by commas: a lowercase letter first, then lowercase letters, digits and underscores (at most 32). Instances may share a data space only when all their codes differ."
          />
          <Select
            label="Account"
            name="account"
            isRequired
            options={overview.accounts.map((a) => ({ value: a.id, label: `${a.name} (${a.mage_id})` }))}
            value={account}
            onChange={setAccount}
            note="The license holder whose keys this instance uses."
          />
        </Fieldset>
      </Form>
      {confirming && (
        <ConfirmDialog
          warnings={confirming}
          confirmLabel="Save Anyway"
          onConfirm={() => void save(confirming)}
          onCancel={() => setConfirming(null)}
        />
      )}
    </>
  );
}

/** Loads an instance for the edit form and the Connector page; an answer
 * for an instance no longer asked for (a quick switch) is dropped. */
export function useInstance(id: string | null): [Instance | null, (i: Instance) => void, () => void] {
  const { error: showError } = useMessages();
  const [instance, setInstance] = useState<Instance | null>(null);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (!id) return;
    let current = true;
    api.instance(id).then(
      (loaded) => {
        if (current) setInstance(loaded);
      },
      (e: unknown) => {
        if (current) showError(e);
      },
    );
    return () => {
      current = false;
    };
  }, [id, generation, showError]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return [instance, setInstance, reload];
}

export function InstanceEdit({ id, formId }: { id: string; formId: string }) {
  const [instance] = useInstance(id);
  if (!instance) return <p className="loading">Loading…</p>;
  return <InstanceForm key={instance.id} instance={instance} formId={formId} />;
}
