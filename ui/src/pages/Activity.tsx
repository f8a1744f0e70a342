// System › Activity Log: every change Keyport made, newest first.
import { useEffect, useState } from "react";
import type { ActivityEntry } from "../bindings/ActivityEntry";
import { DataGrid, RecordsFound } from "../components/DataGrid";
import { Select } from "../components/Select";
import { api } from "../lib/api";
import { useApp } from "../lib/app";
import { formatDate } from "../lib/format";
import { useMessages } from "../lib/messages";

type Scope = "current" | "all";

export function ActivityGrid() {
  const { current, overview } = useApp();
  const { error: showError } = useMessages();
  const [scope, setScope] = useState<Scope>("current");
  const [entries, setEntries] = useState<ActivityEntry[] | null>(null);
  const names = new Map(overview.accounts.map((a) => [a.id, a.name]));
  const accountId = scope === "current" ? (current?.id ?? null) : null;

  useEffect(() => {
    let live = true;
    api.activity(accountId, 500).then(
      (e) => {
        if (live) setEntries(e);
      },
      (err: unknown) => {
        if (live) showError(err);
      },
    );
    return () => {
      live = false;
    };
  }, [accountId, showError]);

  return (
    <DataGrid<ActivityEntry>
      label="Activity log"
      testId="activity-grid"
      rows={entries}
      empty="Nothing has happened yet."
      header={
        <>
          <Select<Scope>
            label="Show"
            layout="inline"
            name="activity_scope"
            options={[
              { value: "current", label: "This account" },
              { value: "all", label: "All accounts" },
            ]}
            value={scope}
            onChange={setScope}
          />
          <RecordsFound total={entries?.length ?? null} />
        </>
      }
      columns={[
        {
          id: "at",
          title: "Time",
          className: "cell-time",
          isRowHeader: true,
          render: (e) => <span title={e.at}>{formatDate(e.at)}</span>,
        },
        { id: "account", title: "Account", render: (e) => (e.account_id ? (names.get(e.account_id) ?? "") : "") },
        { id: "action", title: "Action", className: "mono", render: (e) => e.action },
        { id: "detail", title: "Details", render: (e) => e.detail },
      ]}
    />
  );
}
