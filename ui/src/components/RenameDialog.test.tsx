import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Form } from "react-aria-components";
import { describe, expect, it, vi } from "vitest";
import { RenameDialog } from "./RenameDialog";

describe("RenameDialog", () => {
  it("submits itself only, not a form around where it was opened", async () => {
    const user = userEvent.setup();
    const outer = vi.fn((e: { preventDefault: () => void }) => e.preventDefault());
    const onSave = vi.fn(() => Promise.resolve());
    render(
      <form onSubmit={outer}>
        <RenameDialog title="Rename" label="Name" initial="old" onSave={onSave} onClose={vi.fn()} />
      </form>,
    );
    await user.clear(screen.getByRole("textbox", { name: /Name/ }));
    await user.type(screen.getByRole("textbox", { name: /Name/ }), "new{Enter}");
    expect(onSave).toHaveBeenCalledWith("new");
    expect(outer).not.toHaveBeenCalled();
  });

  it("does not inherit the submit of a react-aria Form around its opener", async () => {
    // A react-aria Form hands its props, onSubmit included, to every Form
    // inside it, portals too: the page's Save must not run for the dialog.
    const user = userEvent.setup();
    const outer = vi.fn((e: { preventDefault: () => void }) => e.preventDefault());
    const onSave = vi.fn(() => Promise.resolve());
    render(
      <Form onSubmit={outer}>
        <RenameDialog title="Rename" label="Name" initial="old" onSave={onSave} onClose={vi.fn()} />
      </Form>,
    );
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(onSave).toHaveBeenCalledWith("old");
    expect(outer).not.toHaveBeenCalled();
  });

  it("shows a refused name on the field and other failures above it", async () => {
    const user = userEvent.setup();
    const onSave = vi
      .fn()
      .mockRejectedValueOnce({ code: "name_taken", message: "taken", field: "project_name" })
      .mockRejectedValueOnce({ code: "database_error", message: "disk says no" });
    render(<RenameDialog title="Rename" label="Name" initial="x" onSave={onSave} onClose={vi.fn()} />);
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByRole("textbox", { name: /Name/ })).toHaveAttribute("aria-invalid", "true");
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("disk says no");
    expect(screen.getByRole("textbox", { name: /Name/ })).not.toHaveAttribute("aria-invalid");
  });
});
