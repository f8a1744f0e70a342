import { act, render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { Messages } from "../components/Messages";
import { MessagesProvider, useMessages } from "./messages";

function Poster() {
  const messages = useMessages();
  return (
    <button type="button" onClick={() => messages.success("Saved.")}>
      post
    </button>
  );
}

async function go(hash: string) {
  await act(async () => {
    window.location.hash = hash;
    window.dispatchEvent(new HashChangeEvent("hashchange"));
    await Promise.resolve();
  });
}

describe("messages", () => {
  it("belong to their page: leaving it drops them, and they do not come back", async () => {
    await go("/api-portal");
    render(
      <MessagesProvider>
        <Messages />
        <Poster />
      </MessagesProvider>,
    );
    act(() => screen.getByRole("button", { name: "post" }).click());
    expect(screen.getByText("Saved.")).toBeInTheDocument();
    await go("/activity");
    expect(screen.queryByText("Saved.")).toBeNull();
    await go("/api-portal");
    expect(screen.queryByText("Saved.")).toBeNull();
  });

  it("treat / as the API Portal", async () => {
    await go("/");
    render(
      <MessagesProvider>
        <Messages />
        <Poster />
      </MessagesProvider>,
    );
    act(() => screen.getByRole("button", { name: "post" }).click());
    await go("/api-portal");
    expect(screen.getByText("Saved.")).toBeInTheDocument();
  });
});
