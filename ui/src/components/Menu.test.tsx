import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { Key } from "react-aria-components";
import { describe, expect, it, vi } from "vitest";
import { DataGrid } from "./DataGrid";
import { Menu, MenuItem, MenuSection, RowActions } from "./Menu";

function renderMenu(onAction = vi.fn<(key: Key) => void>()) {
  render(
    <Menu label="Account menu" trigger="Acme Corp" onAction={onAction}>
      <MenuSection title="Switch account">
        <MenuItem id="use:a">Acme Corp</MenuItem>
        <MenuItem id="use:b">Beta GmbH</MenuItem>
      </MenuSection>
      <MenuItem id="settings">Settings</MenuItem>
    </Menu>,
  );
  return onAction;
}

describe("Menu", () => {
  it("opens from the keyboard, moves with arrows and acts on Enter", async () => {
    const user = userEvent.setup();
    const onAction = renderMenu();
    screen.getByRole("button", { name: "Acme Corp" }).focus();
    await user.keyboard("{Enter}");
    const menu = await screen.findByRole("menu");
    expect(menu.contains(document.activeElement)).toBe(true);
    expect(document.activeElement?.textContent).toBe("Acme Corp");
    await user.keyboard("{ArrowDown}{Enter}");
    expect(onAction.mock.calls.map((c) => c[0])).toEqual(["use:b"]);
    expect(screen.queryByRole("menu")).toBeNull();
  });

  it("jumps to an item by typing, and closes on Escape", async () => {
    const user = userEvent.setup();
    const onAction = renderMenu();
    const trigger = screen.getByRole("button", { name: "Acme Corp" });
    await user.click(trigger);
    const menu = await screen.findByRole("menu");
    // Focus moves into a menu opened by mouse a frame later: type after it has.
    await waitFor(() => expect(menu.contains(document.activeElement)).toBe(true));
    await user.keyboard("se");
    expect(document.activeElement?.textContent).toBe("Settings");
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("menu")).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(trigger));
    expect(onAction).not.toHaveBeenCalled();
  });
});

describe("RowActions", () => {
  interface Row {
    id: string;
    name: string;
  }
  function renderGrid(onAction: (row: string, action: string) => void) {
    const rows: Row[] = [
      { id: "a", name: "alpha" },
      { id: "b", name: "beta" },
    ];
    render(
      <DataGrid<Row>
        label="Keys"
        rows={rows}
        empty="none"
        columns={[
          { id: "name", title: "Name", isRowHeader: true, render: (r) => r.name },
          {
            id: "action",
            title: "Action",
            render: (r) => (
              <RowActions
                label={`Actions for ${r.name}`}
                actions={[
                  { id: "details", label: "View Details", onAction: () => onAction(r.id, "details") },
                  { id: "revoke", label: "Revoke", onAction: () => onAction(r.id, "revoke") },
                ]}
              />
            ),
          },
        ]}
      />,
    );
    return screen.getAllByRole("button", { name: "Select" });
  }

  it("opens the grid's one menu for the row whose trigger was pressed", async () => {
    const user = userEvent.setup();
    const onAction = vi.fn();
    const [, second] = renderGrid(onAction);
    second!.focus();
    await user.keyboard("{Enter}");
    const menu = await screen.findByRole("menu", { name: "Actions for beta" });
    expect(second!.getAttribute("aria-expanded")).toBe("true");
    await waitFor(() => expect(document.activeElement?.textContent).toBe("View Details"));
    expect(menu.contains(document.activeElement)).toBe(true);
    await user.keyboard("{ArrowDown}{Enter}");
    expect(onAction.mock.calls).toEqual([["b", "revoke"]]);
    expect(screen.queryByRole("menu")).toBeNull();
    expect(second!.getAttribute("aria-expanded")).toBe("false");
  });

  it("opens on the last item with Arrow Up, closes on Escape and gives the focus back", async () => {
    const user = userEvent.setup();
    const onAction = vi.fn();
    const [first] = renderGrid(onAction);
    expect(first!.getAttribute("aria-haspopup")).toBe("menu");
    first!.focus();
    await user.keyboard("{ArrowUp}");
    await screen.findByRole("menu", { name: "Actions for alpha" });
    await waitFor(() => expect(document.activeElement?.textContent).toBe("Revoke"));
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("menu")).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(first));
    expect(onAction).not.toHaveBeenCalled();
  });

  it("opens by a click, and a click on an item acts once", async () => {
    const user = userEvent.setup();
    const onAction = vi.fn();
    const [first] = renderGrid(onAction);
    await user.click(first!);
    await user.click(await screen.findByRole("menuitem", { name: "View Details" }));
    expect(onAction.mock.calls).toEqual([["a", "details"]]);
    expect(screen.queryByRole("menu")).toBeNull();
  });
});
