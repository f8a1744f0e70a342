// System › Activity Log: every change Keyport made, newest first.
import { useEffect, useState } from "react";
import type { ActivityEntry } from "../bindings/ActivityEntry";
import { api } from "../lib/api";
import { useApp } from "../lib/app";
import { formatDate } from "../lib/fields";
import { useMessages } from "../lib/messages";

export function ActivityGrid() {
  const { current, overview } = useApp();
  const messages = useMessages();
  const [scope, setScope] = useState<"current" | "all">("current");
  const [entries, setEntries] = useState<ActivityEntry[] | null>(null);
  const names = new Map(overview.accounts.map((a) => [a.id, a.name]));

  useEffect(() => {
    let live = true;
    api
      .activity(scope === "current" ? (current?.id ?? null) : null, 500)
      .then((e) => live && setEntries(e))
      .catch((err) => live && messages.error(err));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [scope, current?.id]);

  return (
    <>
      <div className="admin__data-grid-header">
        <label htmlFor="activity-scope">Show</label>
        <select id="activity-scope" className="admin__control-text" style={{ width: "auto" }} value={scope}
          onChange={(e) => setScope(e.target.value as "current" | "all")}>
          <option value="current">This account</option>
          <option value="all">All accounts</option>
        </select>
        <span className="records-found">{entries ? `${entries.length} records found` : "Loading…"}</span>
      </div>
      <div className="admin__data-grid-wrap">
        <table className="data-grid" data-testid="activity-grid">
          <thead>
            <tr><th style={{ width: "22rem" }}>Time</th><th>Account</th><th>Action</th><th>Details</th></tr>
          </thead>
          <tbody>
            {entries?.length === 0 && <tr className="data-grid-empty"><td colSpan={4}>Nothing has happened yet.</td></tr>}
            {entries?.map((e) => (
              <tr key={e.id}>
                <td title={e.at}>{formatDate(e.at)}</td>
                <td>{e.account_id ? (names.get(e.account_id) ?? "") : ""}</td>
                <td className="mono">{e.action}</td>
                <td>{e.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
