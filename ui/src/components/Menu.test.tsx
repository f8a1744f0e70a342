import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { Key } from "react-aria-components";
import { describe, expect, it, vi } from "vitest";
import { Menu, MenuItem, MenuSection } from "./Menu";

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
