import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { fireEvent, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import { apiKey, renderWithApp } from "../test/fixtures";
import { DownloadsProvider } from "./downloads";

afterEach(() => clearMocks());

describe("the one-time download dialog", () => {
  it("comes back on start for a key still waiting for its download", async () => {
    mockIPC((cmd) => (cmd === "pending_downloads" ? [apiKey({ label: "left over" })] : null));
    renderWithApp(<DownloadsProvider>{null}</DownloadsProvider>);
    expect(await screen.findByText("left over")).toBeTruthy();
    expect(screen.getByText("This is the only opportunity you have to save this private key.")).toBeTruthy();
  });

  it("cannot be dismissed with Escape: the key must be saved or discarded", async () => {
    const user = userEvent.setup();
    mockIPC((cmd) => (cmd === "pending_downloads" ? [apiKey()] : null));
    renderWithApp(<DownloadsProvider>{null}</DownloadsProvider>);
    const dialog = await screen.findByRole("dialog", { name: "Download private key" });
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "Download" }));
    await user.keyboard("{Escape}");
    expect(dialog).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Close" })).toBeNull();
  });

  it("keeps the key pending when the save dialog is cancelled, and passes the keychain choice", async () => {
    const calls: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "pending_downloads") return [apiKey()];
      if (cmd === "download_private_key") {
        calls.push(args);
        throw { code: "save_cancelled", message: "You cancelled the save dialog." };
      }
      return null;
    });
    renderWithApp(<DownloadsProvider>{null}</DownloadsProvider>);
    fireEvent.click(await screen.findByRole("checkbox", { name: /Also keep this key/ }));
    fireEvent.click(screen.getByRole("button", { name: "Download" }));
    const warning = await screen.findByText("You cancelled the save dialog.");
    expect(warning.closest("[data-code]")?.getAttribute("data-code")).toBe("save_cancelled");
    expect(calls).toEqual([{ keyId: "key-1", keepInKeychain: true }]);
    expect(screen.getByRole("dialog", { name: "Download private key" })).toBeTruthy();
  });

  it("asks before discarding, then reports the revoked key", async () => {
    const commands: string[] = [];
    mockIPC((cmd) => {
      commands.push(cmd);
      if (cmd === "pending_downloads") return [apiKey()];
      if (cmd === "discard_key") return apiKey({ status: "revoked", revoke_reason: "private key discarded" });
      return null;
    });
    renderWithApp(<DownloadsProvider>{null}</DownloadsProvider>);
    fireEvent.click(await screen.findByRole("button", { name: "Cancel" }));
    expect(screen.getByRole("alertdialog", { name: "Discard this private key?" })).toBeTruthy();
    // Going back returns to the download.
    fireEvent.click(screen.getByRole("button", { name: "Go Back" }));
    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    fireEvent.click(screen.getByRole("button", { name: "Discard and Revoke Key" }));
    await screen.findByText(/was discarded and the key was revoked/);
    expect(commands).toContain("discard_key");
    await waitFor(() => expect(screen.queryByRole("alertdialog")).toBeNull());
    expect(screen.queryByRole("dialog")).toBeNull();
  });

  it("closes with the success message once the file is saved", async () => {
    mockIPC((cmd) => {
      if (cmd === "pending_downloads") return [apiKey()];
      if (cmd === "download_private_key")
        return {
          ...apiKey({ download_pending: false }),
          private_key_file: "/home/me/privateKey-production.pem",
          warnings: [],
        };
      return null;
    });
    renderWithApp(<DownloadsProvider>{null}</DownloadsProvider>);
    fireEvent.click(await screen.findByRole("button", { name: "Download" }));
    await screen.findByText(/was saved to \/home\/me\/privateKey-production.pem/);
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
  });

  it("adds the warning when the saved file is readable by others", async () => {
    const text = "/media/stick/k.pem is readable by others (mode 0755, not 0600): …";
    mockIPC((cmd) => {
      if (cmd === "pending_downloads") return [apiKey()];
      if (cmd === "download_private_key")
        return {
          ...apiKey({ download_pending: false }),
          private_key_file: "/media/stick/k.pem",
          warnings: [{ code: "file_not_private", message: text }],
        };
      return null;
    });
    renderWithApp(<DownloadsProvider>{null}</DownloadsProvider>);
    fireEvent.click(await screen.findByRole("button", { name: "Download" }));
    await screen.findByText(/was saved to \/media\/stick\/k.pem/);
    await screen.findByText(text);
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
  });
});
