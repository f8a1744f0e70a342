// System › Services Sandbox: the local Commerce Services gateway Keyport
// serves, the current account's SaaS projects as it sees them, and its
// request log.
import { useCallback, useEffect, useState, type FormEvent } from "react";
import type { Project } from "../bindings/Project";
import type { SandboxRequest } from "../bindings/SandboxRequest";
import type { SandboxStatus } from "../bindings/SandboxStatus";
import { Field, Fieldset } from "../components/Fieldset";
import { api } from "../lib/api";
import { useApp } from "../lib/app";
import { copyText } from "../lib/clipboard";
import { formatDate } from "../lib/fields";
import { useMessages } from "../lib/messages";

export function GatewayFieldset() {
  const messages = useMessages();
  const [status, setStatus] = useState<SandboxStatus | null>(null);
  useEffect(() => {
    api.sandboxStatus().then(setStatus).catch((e) => messages.error(e));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const url = status?.gateway_url;
  return (
    <Fieldset
      title="Gateway"
      comment="Keyport serves the Commerce Services merchant-registry endpoints itself, from its own data: entitlement validation (ping), the SaaS registry, project creation and renames. Point a Commerce instance's gateway URL at it to work offline."
    >
      <Field label="Status">
        <span className="readonly-value" data-testid="sandbox-state">
          {status === null ? "…" : url ? <span className="grid-severity-notice">Running</span> : <span className="grid-severity-critical">Stopped</span>}
        </span>
      </Field>
      {url && (
        <Field label="Gateway URL" note="The real gateways are https://commerce.adobe.io/ (production) and https://commerce-beta.adobe.io/ (sandbox).">
          <span className="readonly-value mono" data-testid="gateway-url">
            {url}
            <button type="button" className="action-copy" onClick={() => copyText(url).then(() => messages.notice("The gateway URL was copied."), (e) => messages.error(e))}>
              Copy
            </button>
          </span>
        </Field>
      )}
      {url && (
        <Field label="Magento" note="Run on the Commerce instance, then save the keys on its Commerce Services Connector page.">
          <pre className="code-block">{`bin/magento config:set services_connector/production_gateway_url ${url}
bin/magento config:set services_connector/sandbox_gateway_url ${url}`}</pre>
        </Field>
      )}
      {status?.error && <div className="message message-error error" role="alert">{status.error}</div>}
    </Fieldset>
  );
}

export function ProjectsFieldset() {
  const { current } = useApp();
  const messages = useMessages();
  const [projects, setProjects] = useState<Project[] | null>(null);
  const [name, setName] = useState("");
  const [editing, setEditing] = useState<{ kind: "project" | "space"; id: string; name: string } | null>(null);

  const load = useCallback(() => {
    api.projects().then(setProjects).catch((e) => messages.error(e));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  useEffect(load, [load, current?.id]);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const project = await api.createProject(name);
      setName("");
      load();
      messages.success(`You created the SaaS project “${project.name}” with ${project.data_spaces.length} data space(s).`);
    } catch (err) {
      messages.error(err);
    }
  };

  const rename = async (e: FormEvent) => {
    e.preventDefault();
    if (!editing) return;
    try {
      if (editing.kind === "project") await api.renameProject(editing.id, editing.name);
      else await api.renameDataSpace(editing.id, editing.name);
      setEditing(null);
      load();
      messages.success("You saved the new name.");
    } catch (err) {
      messages.error(err);
    }
  };

  const nameCell = (kind: "project" | "space", id: string, value: string) =>
    editing?.kind === kind && editing.id === id ? (
      <form onSubmit={rename} className="inline-edit">
        <input className="admin__control-text" aria-label={kind === "project" ? "Project name" : "Data space name"} value={editing.name}
          onChange={(e) => setEditing({ ...editing, name: e.target.value })} autoFocus />
        <button type="submit" className="action-tertiary">Save</button>
        <button type="button" className="action-tertiary" onClick={() => setEditing(null)}>Cancel</button>
      </form>
    ) : (
      <>
        {value}{" "}
        <button type="button" className="action-tertiary" onClick={() => setEditing({ kind, id, name: value })}>
          Rename
        </button>
      </>
    );

  return (
    <Fieldset title="SaaS Projects" comment="The projects and data spaces of the current account, as the gateway serves them. A new project gets the data spaces the account's edition allows.">
      <form className="add-key-row" onSubmit={create} style={{ marginBottom: "2rem" }}>
        <label htmlFor="project-name" className="add-key-label">Project Name</label>
        <input id="project-name" name="project_name" className="admin__control-text" value={name} onChange={(e) => setName(e.target.value)} />
        <button type="submit" className="action-secondary" data-testid="create-project">Create Project</button>
      </form>
      <div className="admin__data-grid-wrap">
        <table className="data-grid" data-testid="projects-grid">
          <thead>
            <tr><th>Project</th><th>Data Space</th><th>Type</th><th>Data Space ID</th></tr>
          </thead>
          <tbody>
            {projects?.length === 0 && <tr className="data-grid-empty"><td colSpan={4}>No SaaS projects yet.</td></tr>}
            {projects?.flatMap((p) =>
              p.data_spaces.map((d, i) => (
                <tr key={d.id}>
                  {i === 0 && <td rowSpan={p.data_spaces.length}>{nameCell("project", p.id, p.name)}</td>}
                  <td>{nameCell("space", d.id, d.name)}</td>
                  <td>{d.type === "production" ? <span className="grid-severity-minor">Production</span> : "Testing"}</td>
                  <td className="mono">{d.id}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      </div>
    </Fieldset>
  );
}

export function RequestLogFieldset() {
  const messages = useMessages();
  const [log, setLog] = useState<SandboxRequest[] | null>(null);
  const load = useCallback(() => {
    api.sandboxRequests(200).then(setLog).catch((e) => messages.error(e));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  // Live while the page is open.
  useEffect(() => {
    load();
    const t = setInterval(load, 2000);
    return () => clearInterval(t);
  }, [load]);
  return (
    <Fieldset title="Request Log" comment="The newest requests to the gateway, refreshed every two seconds.">
      <div className="admin__data-grid-wrap">
        <table className="data-grid" data-testid="request-log">
          <thead>
            <tr><th>Time</th><th>Method</th><th>Path</th><th>Key</th><th>Result</th><th>Duration</th></tr>
          </thead>
          <tbody>
            {log?.length === 0 && <tr className="data-grid-empty"><td colSpan={6}>No requests yet.</td></tr>}
            {log?.map((r) => (
              <tr key={r.id}>
                <td title={r.at}>{formatDate(r.at)}</td>
                <td className="mono">{r.method}</td>
                <td className="mono">{r.path}</td>
                <td>{r.key_label ?? ""}</td>
                <td>
                  <span className={r.status < 300 ? "grid-severity-notice" : r.status >= 500 ? "grid-severity-critical" : "grid-severity-minor"}>
                    {r.status}
                  </span>{" "}
                  {r.code && <span className="mono">{r.code}</span>}
                </td>
                <td>{(r.duration_us / 1000).toFixed(1)} ms</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
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
