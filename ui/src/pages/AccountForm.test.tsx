import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Messages } from "../components/Messages";
import { MessagesProvider } from "../lib/messages";
import { overview } from "../test/fixtures";
import { AccountForm } from "./AccountForm";

const catalog = overview.catalog;

afterEach(() => clearMocks());

function renderForm(onCreated = vi.fn()) {
  render(
    <MessagesProvider>
      <Messages />
      <AccountForm catalog={catalog} formId="f" onCreated={onCreated} />
    </MessagesProvider>,
  );
  return onCreated;
}

describe("AccountForm", () => {
  it("shows the engine's refusal in the message area and on the field", async () => {
    const user = userEvent.setup();
    mockIPC(() => {
      throw { code: "mage_id_malformed", message: '"MAG1" is not a MageID' };
    });
    const onCreated = renderForm();
    await user.type(screen.getByRole("textbox", { name: /MageID/ }), "MAG1");
    await user.click(screen.getByRole("button", { name: "Create Account" }));
    const alert = await screen.findByRole("alert");
    expect(alert.getAttribute("data-code")).toBe("mage_id_malformed");
    expect(screen.getByRole("textbox", { name: /MageID/ })).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByRole("textbox", { name: /Account Name/ })).not.toHaveAttribute("aria-invalid");
    expect(onCreated).not.toHaveBeenCalled();
  });

  it("marks the field a free-text error names", async () => {
    const user = userEvent.setup();
    mockIPC(() => {
      throw { code: "empty_value", message: "Account name must not be empty.", field: "account_name" };
    });
    renderForm();
    await user.click(screen.getByRole("button", { name: "Create Account" }));
    await screen.findByRole("alert");
    expect(screen.getByRole("textbox", { name: /Account Name/ })).toHaveAttribute("aria-invalid", "true");
  });

  it("sends the typed values and reports the created account", async () => {
    const user = userEvent.setup();
    const sent: unknown[] = [];
    mockIPC((cmd, args) => {
      sent.push({ cmd, args });
      return { id: "a1", name: "Acme", mage_id: "MAG012345678" };
    });
    const onCreated = renderForm();
    await user.type(screen.getByRole("textbox", { name: /MageID/ }), "MAG012345678");
    await user.type(screen.getByRole("textbox", { name: /Account Name/ }), "Acme");
    await user.selectOptions(screen.getByRole("combobox", { name: /Operating Model/ }), "Ecosystem");
    await user.click(screen.getByRole("button", { name: "Create Account" }));
    await waitFor(() => expect(onCreated).toHaveBeenCalled());
    expect(sent).toEqual([
      {
        cmd: "create_account",
        args: {
          input: { mage_id: "MAG012345678", name: "Acme", edition: "adobe_commerce", operating_model: "ecosystem" },
        },
      },
    ]);
    expect(screen.getByText(/merchants of their own/)).toBeTruthy();
  });
});
