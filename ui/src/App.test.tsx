import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { App } from "./App";
import { api } from "./lib/api";
import { overview } from "./test/fixtures";

afterEach(() => clearMocks());

const fresh = { ...overview, accounts: [] };

describe("App", () => {
  it("uses the overview asked for at start instead of asking again", async () => {
    const asked: string[] = [];
    mockIPC((cmd) => {
      asked.push(cmd);
      return cmd === "overview" ? fresh : null;
    });
    render(<App first={Promise.resolve(fresh)} />);
    expect(await screen.findByTestId("first-run")).toBeInTheDocument();
    expect(asked).not.toContain("overview");
  });

  it("shows why the home cannot open when the early overview failed", async () => {
    mockIPC(() => {
      throw { code: "home_not_writable", message: "The Keyport home /tmp/home is not writable." };
    });
    const failed = api.overview();
    failed.catch(() => undefined);
    render(<App first={failed} />);
    expect(await screen.findByText("Keyport cannot open its home")).toBeInTheDocument();
    expect(screen.getByText(/is not writable/)).toBeInTheDocument();
  });

  it("asks for the overview itself when none was asked for", async () => {
    const asked: string[] = [];
    mockIPC((cmd) => {
      asked.push(cmd);
      return cmd === "overview" ? fresh : null;
    });
    render(<App />);
    expect(await screen.findByTestId("first-run")).toBeInTheDocument();
    expect(asked).toContain("overview");
  });
});
