// Account › All Accounts: every license holder this workstation serves.
import type { Account } from "../bindings/Account";
import { Badge } from "../components/Badge";
import { Button } from "../components/Button";
import { DataGrid, RecordsFound } from "../components/DataGrid";
import { labelOf, useApp } from "../lib/app";
import { formatDate } from "../lib/format";

export function AccountsGrid({ onUse }: { onUse: (id: string) => void }) {
  const { overview } = useApp();
  const { catalog } = overview;
  return (
    <DataGrid<Account>
      label="Accounts"
      testId="accounts-grid"
      rows={overview.accounts}
      empty="No accounts."
      header={<RecordsFound total={overview.accounts.length} />}
      columns={[
        { id: "name", title: "Name", isRowHeader: true, render: (a) => a.name },
        { id: "mage_id", title: "MageID", className: "mono", render: (a) => a.mage_id },
        { id: "edition", title: "Edition", render: (a) => labelOf(catalog.editions, a.edition) },
        {
          id: "model",
          title: "Operating Model",
          render: (a) => labelOf(catalog.operating_models, a.operating_model),
        },
        {
          id: "standing",
          title: "Standing",
          render: (a) => (
            <Badge tone={a.standing === "good" ? "notice" : "critical"}>{labelOf(catalog.standings, a.standing)}</Badge>
          ),
        },
        {
          id: "created",
          title: "Created",
          render: (a) => <span title={a.created_at}>{formatDate(a.created_at)}</span>,
        },
        {
          id: "action",
          title: "Action",
          className: "cell-actions",
          render: (a) =>
            a.is_current ? (
              <strong>Current</strong>
            ) : (
              <Button variant="tertiary" onPress={() => onUse(a.id)}>
                Use this account
              </Button>
            ),
        },
      ]}
    />
  );
}
