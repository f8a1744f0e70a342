// The Admin's data grid: a header bar (search, filters, records found,
// pager), sortable column headers (with aria-sort) and the rows of one page.
// A plain table rather than react-aria-components' Table: that one built a
// collection of every row and cell and cost about 150 ms a page in WebKit
// (issue 13), while a page here is 20–200 rows the server already sorted.
// Keyboard: the rows are one tab stop (roving tabindex); arrows, Home, End,
// Page Up and Page Down move between rows; Enter or a click runs the row
// action. Controls inside a row (copy, the action menu) keep their own tab
// stops, as on the Admin's grids.
import {
  memo,
  useState,
  type ComponentProps,
  type FocusEvent,
  type KeyboardEvent,
  type MouseEvent,
  type ReactNode,
} from "react";
import { RowActionsHost } from "./Menu";

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

export interface GridSort {
  column: string;
  direction: "ascending" | "descending";
}

/** What a click or keystroke inside a row belongs to when it is not the row's. */
const CONTROL = "button, a, input, select, textarea, label, [role=button]";
const PAGE_STEP = 10;

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
  const [active, setActive] = useState(0);
  const list = rows ?? [];
  const focusable = Math.min(active, list.length - 1);

  // The row a DOM event happened in, when it happened on the row itself
  // and not on a control inside it (or in a popover portalled out of it).
  const rowOf = (target: EventTarget, body: HTMLTableSectionElement): HTMLTableRowElement | null => {
    if (!(target instanceof Element) || !body.contains(target)) return null;
    const tr = target.closest("tr");
    if (!tr || tr.parentElement !== body) return null;
    const control = target.closest(CONTROL);
    return control && tr.contains(control) ? null : tr;
  };

  const onClick = (e: MouseEvent<HTMLTableSectionElement>) => {
    const tr = rowOf(e.target, e.currentTarget);
    // Selecting text (an API key, a fingerprint) is not a request to open the row.
    if (!tr || !onRowAction || !window.getSelection()?.isCollapsed) return;
    const row = list[tr.sectionRowIndex];
    if (row) onRowAction(row);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTableSectionElement>) => {
    const tr = e.target instanceof HTMLTableRowElement && e.target.parentElement === e.currentTarget ? e.target : null;
    if (!tr) return;
    const at = tr.sectionRowIndex;
    const last = list.length - 1;
    const to = {
      ArrowDown: Math.min(at + 1, last),
      ArrowUp: Math.max(at - 1, 0),
      PageDown: Math.min(at + PAGE_STEP, last),
      PageUp: Math.max(at - PAGE_STEP, 0),
      Home: 0,
      End: last,
    }[e.key];
    if (to !== undefined) {
      e.preventDefault();
      e.currentTarget.rows[to]?.focus();
    } else if (e.key === "Enter" && onRowAction) {
      e.preventDefault();
      const row = list[at];
      if (row) onRowAction(row);
    }
  };

  const onFocus = (e: FocusEvent<HTMLTableSectionElement>) => {
    if (!(e.target instanceof Element) || !e.currentTarget.contains(e.target)) return;
    const tr = e.target.closest("tr");
    if (tr && tr.parentElement === e.currentTarget) setActive(tr.sectionRowIndex);
  };

  return (
    <>
      {header && <div className="admin__data-grid-header">{header}</div>}
      <RowActionsHost>
        <div className="admin__data-grid-wrap">
          <table aria-label={label} className="data-grid" data-testid={testId}>
            <thead>
              <tr>
                {columns.map((column) => (
                  <HeaderCell key={column.id} column={column} sort={sort} onSortChange={onSortChange} />
                ))}
              </tr>
            </thead>
            {/* One listener for every row: the rows themselves are the focusable, actionable elements. */}
            {/* eslint-disable-next-line jsx-a11y/no-noninteractive-element-interactions */}
            <tbody onClick={onClick} onKeyDown={onKeyDown} onFocus={onFocus}>
              {list.length === 0 ? (
                <tr className="data-grid-empty-row">
                  <td colSpan={Math.max(columns.length, 1)}>
                    <div className="data-grid-empty">{rows === null ? "Loading…" : empty}</div>
                  </td>
                </tr>
              ) : (
                list.map((row, i) => (
                  <GridRow
                    key={row.id}
                    row={row}
                    columns={columns}
                    tabbable={i === focusable}
                    actionable={onRowAction !== undefined}
                    rowClassName={rowClassName}
                    rowTestAttributes={rowTestAttributes}
                  />
                ))
              )}
            </tbody>
          </table>
        </div>
      </RowActionsHost>
    </>
  );
}

/** A row's own small button (Copy), in the look of the Button primitive's
 *  copy variant. Native: a page holds one per row, and react-aria's Button
 *  costs ~0.3 ms to render each in WebKit (issue 13); a native button has
 *  the keyboard and focus behaviour a row control needs. */
export function CellButton({ className, ...props }: Omit<ComponentProps<"button">, "type">) {
  return <button type="button" className={`action-copy${className ? ` ${className}` : ""}`} {...props} />;
}

/** `next`, with each row that is the same as in `previous` (same id, same
 *  content) kept as the previous object. A page fetched again arrives as
 *  new objects; kept ones let the memoised rows skip rendering, so a search
 *  or a reload renders only the rows that changed. */
export function keepUnchanged<T extends { id: string | number }>(previous: T[] | undefined, next: T[]): T[] {
  if (!previous?.length) return next;
  const before = new Map(previous.map((row) => [row.id, row]));
  return next.map((row) => {
    const old = before.get(row.id);
    return old && JSON.stringify(old) === JSON.stringify(row) ? old : row;
  });
}

function HeaderCell<T>({
  column,
  sort,
  onSortChange,
}: {
  column: GridColumn<T>;
  sort?: GridSort;
  onSortChange?: (sort: GridSort) => void;
}) {
  if (!column.sortable || !onSortChange) {
    return (
      <th scope="col">
        <span className="column-title">{column.title}</span>
      </th>
    );
  }
  const direction = sort?.column === column.id ? sort.direction : undefined;
  // The same column again reverses the order; another one starts ascending.
  const toggle = () =>
    onSortChange({ column: column.id, direction: direction === "ascending" ? "descending" : "ascending" });
  return (
    <th scope="col" className="_sortable" aria-sort={direction ?? "none"} onClick={toggle}>
      {/* The button is the keyboard's way in; its click reaches the th. */}
      <button type="button" className="column-title">
        {column.title}
        <span className={`sort-indicator${direction ? ` _${direction}` : ""}`} aria-hidden="true" />
      </button>
    </th>
  );
}

interface GridRowProps<T> {
  row: T;
  columns: GridColumn<T>[];
  tabbable: boolean;
  actionable: boolean;
  rowClassName?: (row: T) => string | undefined;
  rowTestAttributes?: (row: T) => Record<`data-${string}`, string>;
}

function GridRowOf<T>({ row, columns, tabbable, actionable, rowClassName, rowTestAttributes }: GridRowProps<T>) {
  return (
    <tr
      tabIndex={tabbable ? 0 : -1}
      className={["data-grid-row", actionable ? "_actionable" : "", rowClassName?.(row)].filter(Boolean).join(" ")}
      {...rowTestAttributes?.(row)}
    >
      {columns.map((column) =>
        column.isRowHeader ? (
          <th key={column.id} scope="row" className={column.className}>
            {column.render(row)}
          </th>
        ) : (
          <td key={column.id} className={column.className}>
            {column.render(row)}
          </td>
        ),
      )}
    </tr>
  );
}

// Memoised: moving the focus between rows re-renders only the two rows
// whose tab stop changed (every other prop is the same then). The cast
// keeps the row type generic, which memo() drops.
const GridRow = memo(GridRowOf) as typeof GridRowOf;

/** The "N records found" line of a grid header. */
export function RecordsFound({ total }: { total: number | null }) {
  return (
    <span className="records-found" data-testid="records-found" role="status">
      {total === null ? "Loading…" : `${total} records found`}
    </span>
  );
}
