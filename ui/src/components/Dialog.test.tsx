import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";
import { Button } from "./Button";
import { Dialog } from "./Dialog";

function Opener({ closable }: { closable: boolean }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button onPress={() => setOpen(true)}>Open</Button>
      <button type="button">Behind</button>
      {open && (
        <Dialog
          title="Revoke API key"
          onClose={closable ? () => setOpen(false) : undefined}
          footer={
            <>
              <Button onPress={() => setOpen(false)}>Cancel</Button>
              <Button variant="primary" autoFocus>
                Revoke
              </Button>
            </>
          }
        >
          <p>Body</p>
        </Dialog>
      )}
    </>
  );
}

describe("Dialog", () => {
  it("focuses the marked element, keeps Tab inside and returns focus to its trigger", async () => {
    const user = userEvent.setup();
    render(<Opener closable />);
    const open = screen.getByRole("button", { name: "Open" });
    await user.click(open);
    const dialog = screen.getByRole("dialog", { name: "Revoke API key" });
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "Revoke" }));
    for (let i = 0; i < 5; i++) {
      await user.tab();
      expect(dialog.contains(document.activeElement)).toBe(true);
    }
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("dialog")).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(open));
  });

  it("hides the page behind it from assistive technology", async () => {
    const user = userEvent.setup();
    render(<Opener closable />);
    await user.click(screen.getByRole("button", { name: "Open" }));
    expect(screen.queryByRole("button", { name: "Behind" })).toBeNull();
    expect(screen.getByRole("button", { name: "Behind", hidden: true })).toBeTruthy();
  });

  it("stays open on Escape when it must be answered", async () => {
    const user = userEvent.setup();
    render(<Opener closable={false} />);
    await user.click(screen.getByRole("button", { name: "Open" }));
    await user.keyboard("{Escape}");
    expect(screen.getByRole("dialog")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Close" })).toBeNull();
  });

  it("closes with × when closable", async () => {
    const user = userEvent.setup();
    const onClose = vi.fn();
    render(
      <Dialog title="Details" onClose={onClose}>
        <p>x</p>
      </Dialog>,
    );
    await user.click(screen.getByRole("button", { name: "Close" }));
    expect(onClose).toHaveBeenCalled();
  });
});
