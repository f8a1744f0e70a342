import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { Fieldset } from "./Fieldset";

describe("Fieldset", () => {
  it("collapses and expands like the Admin's sections, by mouse or keyboard", async () => {
    const user = userEvent.setup();
    render(
      <Fieldset title="Sandbox API Keys">
        <p>inside</p>
      </Fieldset>,
    );
    const title = screen.getByRole("button", { name: "Sandbox API Keys" });
    expect(title.getAttribute("aria-expanded")).toBe("true");
    expect(screen.getByText("inside")).toBeVisible();
    await user.click(title);
    expect(title.getAttribute("aria-expanded")).toBe("false");
    expect(screen.queryByText("inside")).not.toBeVisible();
    title.focus();
    await user.keyboard("{Enter}");
    expect(title.getAttribute("aria-expanded")).toBe("true");
  });

  it("can start closed", () => {
    render(
      <Fieldset title="IMS Organization (optional)" initiallyOpen={false}>
        <p>later</p>
      </Fieldset>,
    );
    expect(screen.getByRole("button").getAttribute("aria-expanded")).toBe("false");
  });
});
