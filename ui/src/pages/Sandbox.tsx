// System › Services Sandbox: the local Commerce Services gateway Keyport
// serves, the current account's SaaS projects as it sees them, and its
// request log.
import { useCallback, useEffect, useState, type SyntheticEvent } from "react";
import { Form } from "react-aria-components";
import type { DataSpace } from "../bindings/DataSpace";
import type { Project } from "../bindings/Project";
import type { SandboxRequest } from "../bindings/SandboxRequest";
import type { SandboxStatus } from "../bindings/SandboxStatus";
import { Badge } from "../components/Badge";
import { Button } from "../components/Button";
import { DataGrid, RecordsFound } from "../components/DataGrid";
import { ReadOnlyField, TextField } from "../components/Field";
import { Fieldset } from "../components/Fieldset";
import { MessageBox } from "../components/Messages";
import { RenameDialog } from "../components/RenameDialog";
import { api, toKeyportError } from "../lib/api";
import { useApp } from "../lib/app";
import { copyText } from "../lib/clipboard";
import { fieldOf } from "../lib/errors";
import { formatDate } from "../lib/format";
import { useMessages } from "../lib/messages";

export function GatewayFieldset() {
  const messages = useMessages();
  const { error: showError } = messages;
  const [status, setStatus] = useState<SandboxStatus | null>(null);
  useEffect(() => {
    api.sandboxStatus().then(setStatus, (e: unknown) => showError(e));
  }, [showError]);
  const url = status?.gateway_url;
  return (
    <Fieldset
      title="Gateway"
      comment="Keyport serves the Commerce Services merchant-registry endpoints itself, from its own data: entitlement validation (ping), the SaaS registry, project creation and renames. Point a Commerce instance's gateway URL at it to work offline."
    >
      <ReadOnlyField label="Status" testId="sandbox-state">
        {status === null ? "…" : url ? <Badge tone="notice">Running</Badge> : <Badge tone="critical">Stopped</Badge>}
      </ReadOnlyField>
      {url && (
        <ReadOnlyField
          label="Gateway URL"
          code
          testId="gateway-url"
          note="The real gateways are https://commerce.adobe.io/ (production) and https://commerce-beta.adobe.io/ (sandbox)."
        >
          {url}
          <Button
            variant="copy"
            aria-label="Copy the gateway URL"
            onPress={() =>
              copyText(url).then(
                () => messages.notice("The gateway URL was copied."),
                (e: unknown) => messages.error(e),
              )
            }
          >
            Copy
          </Button>
        </ReadOnlyField>
      )}
      {url && (
        <ReadOnlyField
          label="Magento"
          note="Run on the Commerce instance, then save the keys on its Commerce Services Connector page."
        >
          <pre className="code-block">{`bin/magento config:set services_connector/production_gateway_url ${url}
bin/magento config:set services_connector/sandbox_gateway_url ${url}`}</pre>
        </ReadOnlyField>
      )}
      {status?.error && <MessageBox kind="error" text={status.error} />}
    </Fieldset>
  );
}

/** One row of the projects grid: a data space with its project. */
interface SpaceRow {
  id: string;
  project: Project;
  space: DataSpace;
  first: boolean;
}

export function ProjectsFieldset() {
  const { current } = useApp();
  const messages = useMessages();
  const { error: showError } = messages;
  const [projects, setProjects] = useState<Project[] | null>(null);
  const [name, setName] = useState("");
  const [nameError, setNameError] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<{ kind: "project" | "space"; id: string; name: string } | null>(null);
  const accountId = current?.id;

  const load = useCallback(() => {
    if (!accountId) return;
    api.projects(accountId).then(setProjects, (e: unknown) => showError(e));
  }, [accountId, showError]);
  useEffect(load, [load]);

  const create = async (e: SyntheticEvent) => {
    e.preventDefault();
    if (!accountId) return;
    try {
      const project = await api.createProject(accountId, name);
      setName("");
      setNameError(null);
      load();
      messages.success(
        `You created the SaaS project “${project.name}” with ${project.data_spaces.length} data space(s).`,
      );
    } catch (err) {
      const ke = toKeyportError(err);
      setNameError(fieldOf(ke) === "project_name" ? ke.message : null);
      messages.error(ke);
    }
  };

  const rows: SpaceRow[] | null =
    projects?.flatMap((project) =>
      project.data_spaces.map((space, i) => ({ id: space.id, project, space, first: i === 0 })),
    ) ?? null;

  return (
    <Fieldset
      title="SaaS Projects"
      comment="The projects and data spaces of the current account, as the gateway serves them. A new project gets the data spaces the account's edition allows."
    >
      <Form className="inline-form" onSubmit={create} validationBehavior="aria">
        <TextField
          label="Project Name"
          layout="inline"
          name="project_name"
          value={name}
          onChange={setName}
          error={nameError}
        />
        <Button variant="secondary" type="submit" data-testid="create-project">
          Create Project
        </Button>
      </Form>
      <DataGrid<SpaceRow>
        label="SaaS projects and data spaces"
        testId="projects-grid"
        rows={rows}
        empty="No SaaS projects yet."
        header={<RecordsFound total={projects?.length ?? null} />}
        rowClassName={(r) => (r.first ? "_group-start" : "_group-continued")}
        columns={[
          {
            id: "project",
            title: "Project",
            render: (r) =>
              r.first ? (
                <>
                  {r.project.name}
                  <Button
                    variant="tertiary"
                    aria-label={`Rename project ${r.project.name}`}
                    onPress={() => setRenaming({ kind: "project", id: r.project.id, name: r.project.name })}
                  >
                    Rename
                  </Button>
                </>
              ) : null,
          },
          {
            id: "space",
            title: "Data Space",
            isRowHeader: true,
            render: (r) => (
              <>
                {r.space.name}
                <Button
                  variant="tertiary"
                  aria-label={`Rename data space ${r.space.name} of ${r.project.name}`}
                  onPress={() => setRenaming({ kind: "space", id: r.space.id, name: r.space.name })}
                >
                  Rename
                </Button>
              </>
            ),
          },
          {
            id: "type",
            title: "Type",
            render: (r) => (r.space.type === "production" ? <Badge tone="minor">Production</Badge> : "Testing"),
          },
          { id: "space_id", title: "Data Space ID", className: "mono", render: (r) => r.space.id },
        ]}
      />
      {renaming && accountId && (
        <RenameDialog
          title={renaming.kind === "project" ? "Rename SaaS project" : "Rename data space"}
          label={renaming.kind === "project" ? "Project name" : "Data space name"}
          initial={renaming.name}
          testId="rename-saas-dialog"
          onClose={() => setRenaming(null)}
          onSave={async (newName) => {
            if (renaming.kind === "project") await api.renameProject(accountId, renaming.id, newName);
            else await api.renameDataSpace(accountId, renaming.id, newName);
            setRenaming(null);
            load();
            messages.success("You saved the new name.");
          }}
        />
      )}
    </Fieldset>
  );
}

export function RequestLogFieldset() {
  const { error: showError } = useMessages();
  const [log, setLog] = useState<SandboxRequest[] | null>(null);
  // Live while the page is open.
  useEffect(() => {
    const load = () => api.sandboxRequests(200).then(setLog, (e: unknown) => showError(e));
    void load();
    const t = setInterval(() => void load(), 2000);
    return () => clearInterval(t);
  }, [showError]);
  return (
    <Fieldset title="Request Log" comment="The newest requests to the gateway, refreshed every two seconds.">
      <DataGrid<SandboxRequest>
        label="Sandbox request log"
        testId="request-log"
        rows={log}
        empty="No requests yet."
        columns={[
          { id: "at", title: "Time", isRowHeader: true, render: (r) => <span title={r.at}>{formatDate(r.at)}</span> },
          { id: "method", title: "Method", className: "mono", render: (r) => r.method },
          { id: "path", title: "Path", className: "mono", render: (r) => r.path },
          { id: "key", title: "Key", render: (r) => r.key_label ?? "" },
          {
            id: "result",
            title: "Result",
            render: (r) => (
              <>
                <Badge tone={r.status < 300 ? "notice" : r.status >= 500 ? "critical" : "minor"}>{r.status}</Badge>{" "}
                {r.code && <span className="mono">{r.code}</span>}
              </>
            ),
          },
          { id: "duration", title: "Duration", render: (r) => `${(r.duration_us / 1000).toFixed(1)} ms` },
        ]}
      />
    </Fieldset>
  );
}

export function SandboxPage() {
  return (
    <>
      <GatewayFieldset />
      <ProjectsFieldset />
      <RequestLogFieldset />
    </>
  );
}
