import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";
import { DataGrid, keepUnchanged, type GridSort } from "./DataGrid";

interface Row {
  id: string;
  name: string;
  size: number;
}
const rows: Row[] = [
  { id: "a", name: "alpha", size: 2048 },
  { id: "b", name: "bravo", size: 4096 },
];

function Grid({
  onRowAction = vi.fn(),
  onSort = vi.fn(),
}: {
  onRowAction?: (r: Row) => void;
  onSort?: (s: GridSort) => void;
}) {
  const [sort, setSort] = useState<GridSort>({ column: "name", direction: "ascending" });
  return (
    <DataGrid<Row>
      label="Keys"
      rows={rows}
      sort={sort}
      onSortChange={(s) => {
        setSort(s);
        onSort(s);
      }}
      onRowAction={onRowAction}
      empty="None"
      columns={[
        { id: "name", title: "Name", sortable: true, isRowHeader: true, render: (r) => r.name },
        { id: "size", title: "Size", sortable: true, render: (r) => r.size },
        { id: "note", title: "Note", render: () => "—" },
      ]}
    />
  );
}

describe("DataGrid", () => {
  it("announces the sort on its headers and toggles it", async () => {
    const user = userEvent.setup();
    const onSort = vi.fn();
    render(<Grid onSort={onSort} />);
    const name = screen.getByRole("columnheader", { name: /Name/ });
    const size = screen.getByRole("columnheader", { name: /Size/ });
    expect(name.getAttribute("aria-sort")).toBe("ascending");
    expect(size.getAttribute("aria-sort")).toBe("none");
    expect(screen.getByRole("columnheader", { name: "Note" }).getAttribute("aria-sort")).toBeNull();
    await user.click(name);
    expect(onSort).toHaveBeenLastCalledWith({ column: "name", direction: "descending" });
    expect(name.getAttribute("aria-sort")).toBe("descending");
    await user.click(size);
    expect(size.getAttribute("aria-sort")).toBe("ascending");
  });

  it("runs the row action on Enter", async () => {
    const user = userEvent.setup();
    const onRowAction = vi.fn();
    render(<Grid onRowAction={onRowAction} />);
    const first = screen.getAllByRole("row")[1]!;
    await user.click(within(first).getByText("alpha"));
    expect(onRowAction).toHaveBeenLastCalledWith(rows[0]);
    await user.keyboard("{ArrowDown}{Enter}");
    expect(onRowAction).toHaveBeenLastCalledWith(rows[1]);
  });

  it("is one tab stop that arrows, Home and End move", async () => {
    const user = userEvent.setup();
    render(<Grid />);
    const [, first, second] = screen.getAllByRole("row");
    expect(first!.tabIndex).toBe(0);
    expect(second!.tabIndex).toBe(-1);
    // The sort buttons come first, then the rows as one stop.
    await user.tab();
    await user.tab();
    await user.tab();
    expect(document.activeElement).toBe(first);
    await user.keyboard("{End}");
    expect(document.activeElement).toBe(second);
    expect(second!.tabIndex).toBe(0);
    expect(first!.tabIndex).toBe(-1);
    await user.keyboard("{Home}");
    expect(document.activeElement).toBe(first);
    await user.keyboard("{ArrowUp}");
    expect(document.activeElement).toBe(first);
  });

  it("leaves clicks and keys on a control inside a row to the control", async () => {
    const user = userEvent.setup();
    const onRowAction = vi.fn();
    const onPress = vi.fn();
    render(
      <DataGrid<Row>
        label="Keys"
        rows={rows}
        onRowAction={onRowAction}
        empty="None"
        columns={[
          { id: "name", title: "Name", isRowHeader: true, render: (r) => r.name },
          {
            id: "copy",
            title: "Copy",
            render: (r) => (
              <button
                type="button"
                onClick={() => {
                  onPress(r.id);
                }}
              >
                Copy {r.name}
              </button>
            ),
          },
        ]}
      />,
    );
    await user.click(screen.getByRole("button", { name: "Copy alpha" }));
    expect(onPress).toHaveBeenCalledWith("a");
    await user.keyboard("{Enter}");
    expect(onPress).toHaveBeenCalledTimes(2);
    expect(onRowAction).not.toHaveBeenCalled();
  });

  it("says when there is nothing, and while loading", () => {
    const { rerender } = render(<DataGrid<Row> label="Keys" rows={null} empty="No keys yet." columns={[]} />);
    expect(screen.getByText("Loading…")).toBeTruthy();
    rerender(
      <DataGrid<Row>
        label="Keys"
        rows={[]}
        empty="No keys yet."
        columns={[{ id: "n", title: "N", isRowHeader: true, render: (r) => r.name }]}
      />,
    );
    expect(screen.getByText("No keys yet.")).toBeTruthy();
  });
});

describe("keepUnchanged", () => {
  it("keeps the previous object of each row whose content is the same", () => {
    const before: Row[] = [
      { id: "a", name: "alpha", size: 1 },
      { id: "b", name: "beta", size: 2 },
    ];
    const after: Row[] = [
      { id: "b", name: "beta", size: 2 },
      { id: "c", name: "gamma", size: 3 },
      { id: "a", name: "alpha renamed", size: 1 },
    ];
    const kept = keepUnchanged(before, after);
    expect(kept).toEqual(after);
    expect(kept[0]).toBe(before[1]);
    expect(kept[1]).toBe(after[1]);
    expect(kept[2]).toBe(after[2]);
    expect(keepUnchanged(undefined, after)).toBe(after);
  });

  it("renders only the rows that changed", () => {
    const seen: string[] = [];
    const columns = [
      {
        id: "n",
        title: "N",
        isRowHeader: true,
        render: (r: Row) => {
          seen.push(r.id);
          return r.name;
        },
      },
    ];
    const first: Row[] = [
      { id: "a", name: "alpha", size: 1 },
      { id: "b", name: "beta", size: 2 },
    ];
    const { rerender } = render(<DataGrid<Row> label="Keys" rows={first} empty="" columns={columns} />);
    seen.length = 0;
    const again = keepUnchanged(first, [
      { id: "a", name: "alpha", size: 1 },
      { id: "b", name: "beta 2", size: 2 },
    ]);
    rerender(<DataGrid<Row> label="Keys" rows={again} empty="" columns={columns} />);
    expect(seen).toEqual(["b"]);
  });
});
