import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { Field, Fieldset } from "./Fieldset";

describe("Fieldset", () => {
  it("collapses and expands like the Admin's sections", () => {
    render(
      <Fieldset title="Sandbox API Keys">
        <p>inside</p>
      </Fieldset>,
    );
    const title = screen.getByRole("button", { name: "Sandbox API Keys" });
    expect(title.getAttribute("aria-expanded")).toBe("true");
    expect(screen.getByText("inside").parentElement!.hidden).toBe(false);
    fireEvent.click(title);
    expect(title.getAttribute("aria-expanded")).toBe("false");
    expect(screen.getByText("inside").parentElement!.hidden).toBe(true);
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

describe("Field", () => {
  it("shows required marker, error and note", () => {
    const { container } = render(
      <Field label="MageID" htmlFor="m" required error="Not a MageID" note="MAG + 9 digits">
        <input id="m" />
      </Field>,
    );
    expect(container.querySelector(".admin__field._required._error")).not.toBeNull();
    expect(screen.getByText("Not a MageID")).toBeTruthy();
    expect(screen.getByLabelText("MageID")).toBeTruthy();
  });
});
