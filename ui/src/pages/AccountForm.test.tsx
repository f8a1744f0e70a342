import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { MessagesProvider, Messages } from "../lib/messages";
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
    mockIPC(() => {
      throw { code: "mage_id_malformed", message: "\"MAG1\" is not a MageID" };
    });
    const onCreated = renderForm();
    fireEvent.change(screen.getByLabelText(/MageID/), { target: { value: "MAG1" } });
    fireEvent.click(screen.getByRole("button", { name: "Create Account" }));
    const alert = await screen.findByRole("alert");
    expect(alert.getAttribute("data-code")).toBe("mage_id_malformed");
    expect(document.querySelector(".admin__field._error #f-mage-id")).not.toBeNull();
    expect(onCreated).not.toHaveBeenCalled();
  });

  it("sends the typed values and reports the created account", async () => {
    const sent: unknown[] = [];
    mockIPC((cmd, args) => {
      sent.push({ cmd, args });
      return { id: "a1", name: "Acme", mage_id: "MAG012345678" };
    });
    const onCreated = renderForm();
    fireEvent.change(screen.getByLabelText(/MageID/), { target: { value: "MAG012345678" } });
    fireEvent.change(screen.getByLabelText(/Account Name/), { target: { value: "Acme" } });
    fireEvent.change(screen.getByLabelText(/Operating Model/), { target: { value: "ecosystem" } });
    fireEvent.click(screen.getByRole("button", { name: "Create Account" }));
    await waitFor(() => expect(onCreated).toHaveBeenCalled());
    expect(sent).toEqual([
      {
        cmd: "create_account",
        args: { input: { mage_id: "MAG012345678", name: "Acme", edition: "adobe_commerce", operating_model: "ecosystem" } },
      },
    ]);
    expect(screen.getByText(/scoped keys|merchants of their own/)).toBeTruthy();
  });
});
