// System › Activity Log: every change Keyport made, newest first.
import { useEffect, useLayoutEffect, useState } from "react";
import type { ActivityEntry } from "../bindings/ActivityEntry";
import type { ActivityPage } from "../bindings/ActivityPage";
import { DataGrid, RecordsFound } from "../components/DataGrid";
import { Pagination } from "../components/Pagination";
import { Select } from "../components/Select";
import { api } from "../lib/api";
import { useApp } from "../lib/app";
import { formatDate } from "../lib/format";
import { useMessages } from "../lib/messages";
import { measurePainted } from "../lib/perf";

type Scope = "current" | "all";

export function ActivityGrid() {
  const { current, overview } = useApp();
  const { error: showError } = useMessages();
  const [scope, setScope] = useState<Scope>("current");
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(50);
  const [data, setData] = useState<ActivityPage | null>(null);
  const names = new Map(overview.accounts.map((a) => [a.id, a.name]));
  const accountId = scope === "current" ? (current?.id ?? null) : null;

  // A page at a time from SQLite: the log may hold hundreds of thousands of entries.
  useEffect(() => {
    let live = true;
    api.activity(accountId, pageSize, (page - 1) * pageSize).then(
      (p) => {
        if (live) setData(p);
      },
      (err: unknown) => {
        if (live) showError(err);
      },
    );
    return () => {
      live = false;
    };
  }, [accountId, page, pageSize, showError]);

  // What make bench reads: the log's first page after navigating here.
  useLayoutEffect(() => {
    if (data) measurePainted("activity-open", "navigation");
  }, [data]);

  return (
    <DataGrid<ActivityEntry>
      label="Activity log"
      testId="activity-grid"
      rows={data?.entries ?? null}
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
            onChange={(next) => {
              setScope(next);
              setPage(1);
            }}
          />
          <RecordsFound total={data?.total ?? null} />
          {data && (
            <Pagination
              total={data.total}
              page={page}
              pageSize={pageSize}
              onPage={setPage}
              onPageSize={(n) => {
                setPageSize(n);
                setPage(1);
              }}
            />
          )}
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
