// The Admin's data grid on react-aria-components' Table: a header bar
// (search, filters, records found, pager), sortable column headers (with
// aria-sort), keyboard navigation between rows and cells, and an optional
// row action (Enter or a click on the row).
import type { ReactNode } from "react";
import { Cell, Column, Row, Table, TableBody, TableHeader, type Key, type SortDescriptor } from "react-aria-components";

export interface GridColumn<T> {
  id: string;
  title: string;
  sortable?: boolean;
  /** The column that names a row for assistive technology (exactly one). */
  isRowHeader?: boolean;
  /** Class of the column's cells (not its header). */
  className?: string;
  render: (row: T) => ReactNode;
}

export type GridSort = SortDescriptor;

export function DataGrid<T extends { id: string | number }>({
  label,
  columns,
  rows,
  sort,
  onSortChange,
  onRowAction,
  rowClassName,
  rowTestAttributes,
  empty,
  testId,
  header,
}: {
  label: string;
  columns: GridColumn<T>[];
  /** `null` while loading. */
  rows: T[] | null;
  sort?: GridSort;
  onSortChange?: (sort: GridSort) => void;
  onRowAction?: (row: T) => void;
  rowClassName?: (row: T) => string | undefined;
  /** data-* attributes of a row (tests find rows by them). */
  rowTestAttributes?: (row: T) => Record<`data-${string}`, string>;
  empty: ReactNode;
  testId?: string;
  /** Search, filters, counts and pager above the grid. */
  header?: ReactNode;
}) {
  const byId = new Map((rows ?? []).map((r) => [String(r.id), r]));
  const action = onRowAction
    ? (key: Key) => {
        const row = byId.get(String(key));
        if (row) onRowAction(row);
      }
    : undefined;
  return (
    <>
      {header && <div className="admin__data-grid-header">{header}</div>}
      <div className="admin__data-grid-wrap">
        <Table
          aria-label={label}
          className="data-grid"
          data-testid={testId}
          sortDescriptor={sort}
          onSortChange={onSortChange}
          onRowAction={action}
        >
          <TableHeader columns={columns}>
            {(column) => (
              <Column id={column.id} allowsSorting={column.sortable} isRowHeader={column.isRowHeader}>
                {({ allowsSorting, sortDirection }) => (
                  <span className="column-title">
                    {column.title}
                    {allowsSorting && (
                      <span
                        className={`sort-indicator${sortDirection ? ` _${sortDirection}` : ""}`}
                        aria-hidden="true"
                      />
                    )}
                  </span>
                )}
              </Column>
            )}
          </TableHeader>
          <TableBody
            items={rows ?? []}
            renderEmptyState={() => <div className="data-grid-empty">{rows === null ? "Loading…" : empty}</div>}
          >
            {(row) => (
              <Row
                id={row.id}
                columns={columns}
                className={["data-grid-row", rowClassName?.(row)].filter(Boolean).join(" ")}
                {...rowTestAttributes?.(row)}
              >
                {(column) => <Cell className={column.className}>{column.render(row)}</Cell>}
              </Row>
            )}
          </TableBody>
        </Table>
      </div>
    </>
  );
}

/** The "N records found" line of a grid header. */
export function RecordsFound({ total }: { total: number | null }) {
  return (
    <span className="records-found" data-testid="records-found" role="status">
      {total === null ? "Loading…" : `${total} records found`}
    </span>
  );
}
