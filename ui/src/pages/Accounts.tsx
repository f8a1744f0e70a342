// Account › All Accounts: every license holder this workstation serves.
import { useApp, labelOf } from "../lib/app";
import { formatDate } from "../lib/fields";

export function AccountsGrid({ onUse }: { onUse: (id: string) => void }) {
  const { overview } = useApp();
  const { catalog } = overview;
  return (
    <>
      <div className="admin__data-grid-header">
        <span className="records-found">{overview.accounts.length} records found</span>
      </div>
      <div className="admin__data-grid-wrap">
        <table className="data-grid" data-testid="accounts-grid">
          <thead>
            <tr>
              <th>Name</th><th>MageID</th><th>Edition</th><th>Operating Model</th><th>Standing</th><th>Created</th><th>Action</th>
            </tr>
          </thead>
          <tbody>
            {overview.accounts.map((a) => (
              <tr key={a.id}>
                <td>{a.name}</td>
                <td className="mono">{a.mage_id}</td>
                <td>{labelOf(catalog.editions, a.edition)}</td>
                <td>{labelOf(catalog.operating_models, a.operating_model)}</td>
                <td>
                  <span className={a.standing === "good" ? "grid-severity-notice" : "grid-severity-critical"}>
                    {labelOf(catalog.standings, a.standing)}
                  </span>
                </td>
                <td title={a.created_at}>{formatDate(a.created_at)}</td>
                <td>
                  {a.is_current ? (
                    <strong>Current</strong>
                  ) : (
                    <button type="button" className="action-tertiary" onClick={() => onUse(a.id)}>Use this account</button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
