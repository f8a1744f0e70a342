// Stores › Configuration › Services › Commerce Services Connector, for one
// instance: its sandbox and production key pairs, which one is active, the
// gateway, the SaaS project and data space, the IMS organization, and the
// export that applies it all to Magento. "Save Config" in the page header
// saves what changed, or nothing.
import { useCallback, useEffect, useState } from "react";
import { Form } from "react-aria-components";
import type { ChosenFile } from "../bindings/ChosenFile";
import type { ConnectorInput } from "../bindings/ConnectorInput";
import type { Environment } from "../bindings/Environment";
import type { GatewayChoice } from "../bindings/GatewayChoice";
import type { Instance } from "../bindings/Instance";
import type { PairInput } from "../bindings/PairInput";
import type { RegistryRow } from "../bindings/RegistryRow";
import { Badge } from "../components/Badge";
import { Button } from "../components/Button";
import { Checkbox, FieldActions, ReadOnlyField, TextField } from "../components/Field";
import { Fieldset } from "../components/Fieldset";
import { MessageBox } from "../components/Messages";
import { RadioGroup } from "../components/RadioGroup";
import { RenameDialog } from "../components/RenameDialog";
import { Select } from "../components/Select";
import { api, toKeyportError, type KeyportError } from "../lib/api";
import { labelOf, useApp } from "../lib/app";
import { age, formatDate } from "../lib/format";
import { useMessages } from "../lib/messages";
import { navigate } from "../lib/router";
import { ConfirmDialog, StatusBadge, useInstance, warningsOf } from "./Instances";

/** The page's form: the Save Config button in the page header submits it. */
export const CONNECTOR_FORM = "connector-form";

type Source = "paste" | "file" | "keychain";

interface PairDraft {
  editing: boolean;
  apiKey: string;
  source: Source;
  pem: string;
  file: ChosenFile | null;
}

type DraftUpdate = (change: (draft: PairDraft) => PairDraft) => void;

const EMPTY_DRAFT: PairDraft = { editing: true, apiKey: "", source: "paste", pem: "", file: null };

function draftFor(instance: Instance, env: Environment): PairDraft {
  const keys = env === "sandbox" ? instance.sandbox_keys : instance.production_keys;
  return keys ? { ...EMPTY_DRAFT, editing: false } : EMPTY_DRAFT;
}

/** The part of the page a pair's draft turns into, or null when nothing was entered. */
function pairInput(draft: PairDraft): PairInput | null {
  if (!draft.editing || (!draft.apiKey.trim() && !draft.pem.trim() && !draft.file)) return null;
  // A chosen file travels as its token; the app knows the path.
  const private_key =
    draft.source === "paste"
      ? ({ kind: "pasted", pem: draft.pem } as const)
      : draft.source === "file"
        ? ({ kind: "file", path: draft.file?.token ?? "" } as const)
        : ({ kind: "keychain" } as const);
  return { api_key: draft.apiKey, private_key };
}

/** Which field a problem of "Save Config" belongs to: "sandbox_api_key", "gateway_url"… */
function problemsByField(error: KeyportError): Map<string, string> {
  const problems = error.details.length > 0 ? error.details : [error];
  return new Map(problems.filter((p) => p.field).map((p) => [p.field as string, p.message]));
}

export function ConnectorPage({ id }: { id: string | null }) {
  const messages = useMessages();
  const { error: showError } = messages;
  const [instances, setInstances] = useState<Instance[] | null>(null);
  const loadInstances = useCallback(() => {
    api.instances(null).then(setInstances, (e: unknown) => showError(e));
  }, [showError]);
  useEffect(loadInstances, [loadInstances]);
  // Without an instance in the route, open the first one.
  const chosen = id ?? instances?.[0]?.id ?? null;
  const [instance, setInstance, reload] = useInstance(chosen);

  if (instances?.length === 0) {
    return (
      <MessageBox
        kind="notice"
        text="There is no instance to configure yet: add one under Stores › Instances (Add New Instance)."
      />
    );
  }
  if (!instance || instance.id !== chosen) return <p className="loading">Loading…</p>;
  return (
    <ConnectorForm
      key={instance.id}
      instance={instance}
      instances={instances ?? [instance]}
      onSaved={(saved) => {
        setInstance(saved);
        // The instance switcher shows names and statuses: keep it current.
        loadInstances();
      }}
      reload={reload}
    />
  );
}

function ConnectorForm({
  instance,
  instances,
  onSaved,
  reload,
}: {
  instance: Instance;
  instances: Instance[];
  onSaved: (i: Instance) => void;
  reload: () => void;
}) {
  const { overview } = useApp();
  const messages = useMessages();
  const { error: showError } = messages;
  const [sandbox, setSandbox] = useState<PairDraft>(() => draftFor(instance, "sandbox"));
  const [production, setProduction] = useState<PairDraft>(() => draftFor(instance, "production"));
  const [active, setActive] = useState<Environment>(instance.active_environment);
  const [gateway, setGateway] = useState<GatewayChoice>(instance.gateway);
  const [gatewayUrl, setGatewayUrl] = useState(instance.gateway_url ?? "https://");
  const [ims, setIms] = useState(instance.ims_organization_id ?? "");
  const [projectId, setProjectId] = useState(instance.saas?.project_id ?? "");
  const [dataSpaceId, setDataSpaceId] = useState(instance.saas?.data_space_id ?? "");
  const [registry, setRegistry] = useState<RegistryRow[] | null>(null);
  const [registryError, setRegistryError] = useState<KeyportError | null>(null);
  const [problems, setProblems] = useState<Map<string, string>>(new Map());
  const [confirming, setConfirming] = useState<string[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [naming, setNaming] = useState<null | "create" | "rename-project" | "rename-space">(null);
  const [lockEnv, setLockEnv] = useState(false);
  const activeKeys = instance.active_environment === "sandbox" ? instance.sandbox_keys : instance.production_keys;
  // The registry belongs to the saved active pair: a pair switched on the
  // page but not saved yet would list another account's projects.
  const pairSwitched = active !== instance.active_environment;
  // Renaming is Keyport's extension of the registry: Adobe's gateways lack it.
  const canRename = instance.gateway !== "adobe";

  /** Edits a pair's draft; its problems go with the edit. */
  const editPair =
    (env: Environment): DraftUpdate =>
    (change) => {
      (env === "sandbox" ? setSandbox : setProduction)(change);
      setProblems((shown) => {
        const kept = new Map(shown);
        kept.delete(`${env}_api_key`);
        kept.delete(`${env}_private_key`);
        return kept;
      });
    };

  const loadRegistry = useCallback(() => {
    if (!activeKeys) return;
    api.connectorRegistry(instance.id).then(
      (rows) => {
        setRegistry(rows);
        setRegistryError(null);
      },
      (e: unknown) => setRegistryError(toKeyportError(e)),
    );
  }, [instance.id, activeKeys]);
  useEffect(loadRegistry, [loadRegistry]);

  const projects = [...new Map((registry ?? []).map((r) => [r.projectId, r.projectName])).entries()].map(
    ([value, label]) => ({ value, label }),
  );
  const spaces = (registry ?? []).filter((r) => r.projectId === projectId);
  const space = spaces.find((r) => r.environmentId === dataSpaceId);

  const input = (confirmed: string[]): ConnectorInput | null => {
    const result: ConnectorInput = { confirmed };
    let changed = false;
    if (gateway !== instance.gateway || (gateway === "custom" && gatewayUrl !== instance.gateway_url)) {
      result.gateway = gateway;
      if (gateway === "custom") result.gateway_url = gatewayUrl;
      changed = true;
    }
    const sandboxPair = pairInput(sandbox);
    const productionPair = pairInput(production);
    if (sandboxPair) result.sandbox = sandboxPair;
    if (productionPair) result.production = productionPair;
    changed ||= Boolean(sandboxPair ?? productionPair);
    if (active !== instance.active_environment) {
      result.active_environment = active;
      changed = true;
    }
    if (!pairSwitched && projectId && dataSpaceId && dataSpaceId !== instance.saas?.data_space_id) {
      result.saas = { project_id: projectId, data_space_id: dataSpaceId };
      changed = true;
    }
    if (ims.trim() !== (instance.ims_organization_id ?? "")) {
      result.ims_organization_id = ims;
      changed = true;
    }
    return changed ? result : null;
  };

  const save = async (confirmed: string[]) => {
    setConfirming(null);
    const request = input(confirmed);
    if (!request) {
      messages.notice("Nothing changed on this page.");
      return;
    }
    setBusy(true);
    try {
      const saved = await api.saveConnector(instance.id, request);
      setProblems(new Map());
      // The pasted private keys leave the page with the save.
      setSandbox(draftFor(saved.instance, "sandbox"));
      setProduction(draftFor(saved.instance, "production"));
      onSaved(saved.instance);
      messages.success(["You saved the configuration.", ...saved.notices].join(" "));
    } catch (e) {
      const err = toKeyportError(e);
      if (err.code === "confirmation_required") {
        setConfirming(warningsOf(err));
      } else {
        setProblems(problemsByField(err));
        messages.error(err);
      }
    } finally {
      setBusy(false);
    }
  };

  const check = async () => {
    try {
      const checked = await api.checkInstance(instance.id);
      onSaved(checked);
      if (checked.status === "connected") messages.success("The gateway accepted the keys.");
      else messages.warning(checked.status_message);
    } catch (e) {
      showError(e);
    }
  };

  const exportFiles = async () => {
    try {
      const exported = await api.exportInstance(instance.id, lockEnv);
      messages.success(
        [
          `Exported to ${exported.folder}: ${exported.files.join(", ")}. The folder holds private keys (mode 0600): copy it to the Magento machine, run apply.sh from the Magento root, then delete it.`,
          ...exported.notices,
        ].join(" "),
      );
    } catch (e) {
      showError(e);
    }
  };

  return (
    <Form
      id={CONNECTOR_FORM}
      aria-busy={busy}
      validationBehavior="aria"
      onSubmit={(e) => {
        e.preventDefault();
        if (!busy) void save([]);
      }}
    >
      <div className="store-switcher connector-switcher">
        <ReadOnlyField label="Scope:">Default Config</ReadOnlyField>
        <Select
          label="Instance:"
          layout="inline"
          name="instance"
          testId="instance-switcher"
          options={instances.map((i) => ({ value: i.id, label: i.name }))}
          value={instance.id}
          onChange={(next) => navigate(`/connector/${next}`)}
        />
      </div>
      <div className="connector-status" data-testid="connector-status" data-status={instance.status}>
        <StatusBadge instance={instance} /> <span>{instance.status_message}</span>{" "}
        <span className="cell-note" title={formatDate(instance.last_checked_at)}>
          {instance.last_checked_at ? `Last checked ${age(instance.last_checked_at)} ago.` : "Never checked."}
        </span>
        {activeKeys && (
          <Button variant="tertiary" onPress={() => void check()} data-testid="check-now">
            Check Now
          </Button>
        )}
      </div>

      {(["sandbox", "production"] as const).map((env) => (
        <PairFieldset
          key={env}
          env={env}
          instance={instance}
          draft={env === "sandbox" ? sandbox : production}
          onDraft={editPair(env)}
          problems={problems}
        />
      ))}

      <Fieldset title="Environment" testId="environment-fieldset">
        <RadioGroup<Environment>
          label="Active Keys"
          name="active_environment"
          scope="global"
          options={overview.catalog.environments.map((c) => ({ value: c.value, label: `${c.label} keys` }))}
          value={active}
          onChange={setActive}
          note="The pair the instance uses (magento_saas/environment); only one at a time."
        />
      </Fieldset>

      <Fieldset
        title="SaaS Identifier"
        testId="saas-fieldset"
        comment="The project and data space the active keys' registry offers. An instance uses a data space of its own, or shares one only with instances whose website codes all differ."
      >
        {!activeKeys && (
          <MessageBox
            kind="notice"
            text={`Save the ${instance.active_environment} keys first to see their projects.`}
          />
        )}
        {pairSwitched && (
          <MessageBox
            kind="notice"
            text={`Save Config to make the ${active} keys the active pair first; then choose their project and data space.`}
          />
        )}
        {!pairSwitched && registryError && (
          <MessageBox kind="error" text={registryError.message} code={registryError.code} />
        )}
        {!pairSwitched && activeKeys && registry && (
          <>
            <Select
              label="Project"
              name="project"
              scope="global"
              testId="project-select"
              options={[{ value: "", label: "— choose a project —" }, ...projects]}
              value={projectId}
              onChange={(next) => {
                setProjectId(next);
                setDataSpaceId("");
              }}
              note={projects.length === 0 ? "There is no project yet: create one." : undefined}
            />
            <FieldActions>
              <Button onPress={() => setNaming("create")} data-testid="create-project">
                Create Project
              </Button>
              {projectId && canRename && <Button onPress={() => setNaming("rename-project")}>Rename Project</Button>}
            </FieldActions>
            {projectId && (
              <>
                <Select
                  label="Data Space"
                  name="data_space"
                  scope="global"
                  testId="data-space-select"
                  options={[
                    { value: "", label: "— choose a data space —" },
                    ...spaces.map((s) => ({
                      value: s.environmentId,
                      label: `${s.environmentName} (${s.environmentType})`,
                    })),
                  ]}
                  value={dataSpaceId}
                  onChange={setDataSpaceId}
                  note={
                    space?.environmentType === "Production" && instance.instance_type !== "production"
                      ? "A production data space on a non-production instance: Save Config asks you to confirm."
                      : undefined
                  }
                />
                {space && (
                  <FieldActions>
                    <Badge tone={space.environmentType === "Production" ? "minor" : "neutral"}>
                      {space.environmentType}
                    </Badge>
                    {canRename && <Button onPress={() => setNaming("rename-space")}>Rename Data Space</Button>}
                  </FieldActions>
                )}
              </>
            )}
          </>
        )}
      </Fieldset>

      <Fieldset title="Gateway" testId="gateway-fieldset" initiallyOpen={instance.gateway !== "keyport"}>
        <Select<GatewayChoice>
          label="Commerce Services Gateway"
          name="gateway"
          scope="global"
          options={overview.catalog.gateways}
          value={gateway}
          onChange={setGateway}
          note="Keyport's sandbox answers offline from this workstation; Adobe's are https://commerce.adobe.io/ (production keys) and https://commerce-beta.adobe.io/ (sandbox keys)."
        />
        {gateway === "custom" && (
          <TextField
            label="Gateway URL"
            name="gateway_url"
            type="url"
            code
            scope="global"
            value={gatewayUrl}
            onChange={setGatewayUrl}
            error={problems.get("gateway_url")}
          />
        )}
      </Fieldset>

      <Fieldset title="IMS Organization (optional)" initiallyOpen={Boolean(instance.ims_organization_id)}>
        <TextField
          label="IMS Organization ID"
          name="ims_organization_id"
          code
          scope="global"
          placeholder="8E6307BF5D775FA00A495EF9@AdobeOrg"
          value={ims}
          onChange={setIms}
          error={problems.get("ims_organization")}
          note="Leave it empty to remove it."
        />
      </Fieldset>

      <Fieldset
        title="Apply to Magento"
        testId="export-fieldset"
        comment="Writes apply.sh (run it from the Magento root: it sets the keys with bin/magento config:set and merges env.php), env.php and the private key files into a new folder. The folder holds private keys: copy it to the Magento machine, run apply.sh, then delete it."
      >
        <FieldActions>
          <Checkbox isSelected={lockEnv} onChange={setLockEnv} name="lock_env">
            Lock the keys in app/etc/env.php (config:set --lock-env)
          </Checkbox>
        </FieldActions>
        <FieldActions>
          <Button
            variant="secondary"
            onPress={() => void exportFiles()}
            isDisabled={!instance.sandbox_keys && !instance.production_keys}
            data-testid="export"
          >
            Export for Magento…
          </Button>
        </FieldActions>
      </Fieldset>

      {confirming && (
        <ConfirmDialog
          warnings={confirming}
          confirmLabel="Save Config"
          onConfirm={() => void save(confirming)}
          onCancel={() => setConfirming(null)}
        />
      )}
      {naming === "create" && (
        <RenameDialog
          title="Create SaaS project"
          label="Project name"
          initial=""
          note="The registry creates it with the data spaces the account's edition allows."
          testId="create-project-dialog"
          onClose={() => setNaming(null)}
          onSave={async (name) => {
            const rows = await api.connectorCreateProject(instance.id, name);
            setNaming(null);
            loadRegistry();
            if (rows[0]) {
              setProjectId(rows[0].projectId);
              setDataSpaceId("");
            }
            messages.success(
              `You created the project “${name}” with ${rows.length} data space(s). Choose one and save.`,
            );
          }}
        />
      )}
      {naming === "rename-project" && (
        <RenameDialog
          title="Rename SaaS project"
          label="Project name"
          initial={projects.find((p) => p.value === projectId)?.label ?? ""}
          testId="rename-project-dialog"
          onClose={() => setNaming(null)}
          onSave={async (name) => {
            await api.connectorRenameProject(instance.id, projectId, name);
            setNaming(null);
            loadRegistry();
            reload();
            messages.success(`You renamed the project to “${name}”.`);
          }}
        />
      )}
      {naming === "rename-space" && space && (
        <RenameDialog
          title="Rename data space"
          label="Data space name"
          initial={space.environmentName}
          testId="rename-space-dialog"
          onClose={() => setNaming(null)}
          onSave={async (name) => {
            await api.connectorRenameDataSpace(instance.id, space.environmentId, name);
            setNaming(null);
            loadRegistry();
            reload();
            messages.success(`You renamed the data space to “${name}”.`);
          }}
        />
      )}
    </Form>
  );
}

function PairFieldset({
  env,
  instance,
  draft,
  onDraft,
  problems,
}: {
  env: Environment;
  instance: Instance;
  draft: PairDraft;
  onDraft: DraftUpdate;
  problems: Map<string, string>;
}) {
  const { overview } = useApp();
  const messages = useMessages();
  const envLabel = labelOf(overview.catalog.environments, env);
  const saved = env === "sandbox" ? instance.sandbox_keys : instance.production_keys;
  const update = (patch: Partial<PairDraft>) => onDraft((d) => ({ ...d, ...patch }));
  const open = async () => {
    try {
      const file = await api.choosePrivateKeyFile();
      update({ file, source: "file" });
    } catch (e) {
      const err = toKeyportError(e);
      if (err.code !== "save_cancelled") messages.error(err);
    }
  };
  return (
    <Fieldset title={`${envLabel} API Keys`} testId={`${env}-keys`}>
      {saved && !draft.editing ? (
        <>
          <ReadOnlyField label="API Key" code scope="global" testId={`${env}-api-key`}>
            {saved.api_key}
          </ReadOnlyField>
          <ReadOnlyField
            label="Private Key"
            code
            scope="global"
            testId={`${env}-fingerprint`}
            note={`Kept in this workstation's keychain for this instance; saved ${formatDate(saved.saved_at)}.`}
          >
            {saved.fingerprint} ({saved.bits} bits)
          </ReadOnlyField>
          {saved.key && (
            <ReadOnlyField label="Keyport Key">
              “{saved.key.label}”{" "}
              {saved.key.status === "revoked" ? (
                <Badge tone="critical">Revoked</Badge>
              ) : (
                <Badge tone="notice">Active</Badge>
              )}
            </ReadOnlyField>
          )}
          <FieldActions>
            <Button onPress={() => update({ editing: true })} data-testid={`${env}-replace`}>
              Replace Keys
            </Button>
          </FieldActions>
        </>
      ) : (
        <>
          <TextField
            label="API Key"
            name={`${env}_api_key`}
            code
            scope="global"
            value={draft.apiKey}
            onChange={(apiKey) => update({ apiKey })}
            error={problems.get(`${env}_api_key`)}
            note={`The ${env} API key from the API Portal (or the license holder's bundle).`}
          />
          <RadioGroup<Source>
            label="Private Key"
            name={`${env}_private_key_source`}
            scope="global"
            options={[
              { value: "paste", label: "Paste it" },
              { value: "file", label: "Open its file" },
              { value: "keychain", label: "From this workstation's keychain (a kept or received key)" },
            ]}
            value={draft.source}
            onChange={(source) => update({ source, pem: "", file: null })}
            error={draft.source === "keychain" ? problems.get(`${env}_private_key`) : null}
          />
          {draft.source === "paste" && (
            <TextField
              label="Private Key (PEM)"
              name={`${env}_private_key`}
              code
              multiline
              scope="global"
              placeholder="-----BEGIN PRIVATE KEY-----"
              value={draft.pem}
              onChange={(pem) => update({ pem })}
              error={problems.get(`${env}_private_key`)}
              note="Keyport keeps it in this workstation's keychain and never shows it again."
            />
          )}
          {draft.source === "file" && (
            <ReadOnlyField label="Private Key File" code error={problems.get(`${env}_private_key`)}>
              {draft.file?.path ?? "No file chosen."}{" "}
              <Button onPress={() => void open()} data-testid={`${env}-open-file`}>
                Open File…
              </Button>
            </ReadOnlyField>
          )}
          {saved && (
            <FieldActions>
              <Button onPress={() => onDraft(() => ({ ...EMPTY_DRAFT, editing: false }))}>Keep the Saved Keys</Button>
            </FieldActions>
          )}
        </>
      )}
    </Fieldset>
  );
}
