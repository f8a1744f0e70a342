import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";
import { Checkbox, TextField } from "./Field";
import { Select } from "./Select";

function describedBy(el: HTMLElement): string {
  return (el.getAttribute("aria-describedby") ?? "")
    .split(" ")
    .map((id) => document.getElementById(id)?.textContent ?? "")
    .join(" | ");
}

describe("TextField", () => {
  it("wires label, note, error and the required state for assistive technology", () => {
    const { container } = render(
      <TextField
        label="MageID"
        name="mage_id"
        isRequired
        value="MAG1"
        onChange={vi.fn()}
        error="Not a MageID"
        note="MAG + 9 digits"
      />,
    );
    const input = screen.getByRole("textbox", { name: "MageID" });
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(input.getAttribute("aria-required")).toBe("true");
    expect(describedBy(input)).toContain("Not a MageID");
    expect(describedBy(input)).toContain("MAG + 9 digits");
    expect(container.querySelector(".admin__field._required._error")).not.toBeNull();
  });

  it("is valid without an error and reports typing", async () => {
    const user = userEvent.setup();
    function Controlled() {
      const [value, setValue] = useState("");
      return <TextField label="Name" name="label" value={value} onChange={setValue} />;
    }
    render(<Controlled />);
    const input = screen.getByRole("textbox", { name: "Name" });
    expect(input.getAttribute("aria-invalid")).toBeNull();
    await user.type(input, "staging CI");
    expect(input).toHaveProperty("value", "staging CI");
  });
});

describe("Select", () => {
  const options = [
    { value: "production", label: "Production" },
    { value: "sandbox", label: "Sandbox" },
  ] as const;

  it("opens with the keyboard, moves with arrows and picks with Enter", async () => {
    const user = userEvent.setup();
    const onChange = vi.fn();
    render(<Select label="Environment" name="environment" options={options} value="production" onChange={onChange} />);
    const button = screen.getByRole("button", { name: /Environment/ });
    expect(button.textContent).toContain("Production");
    button.focus();
    await user.keyboard("{ArrowDown}");
    const listbox = await screen.findByRole("listbox");
    expect(within(listbox).getAllByRole("option")).toHaveLength(2);
    await user.keyboard("{ArrowDown}{Enter}");
    expect(onChange).toHaveBeenCalledWith("sandbox");
  });

  it("finds an option by typing its first letters", async () => {
    const user = userEvent.setup();
    const onChange = vi.fn();
    render(<Select label="Environment" name="environment" options={options} value="production" onChange={onChange} />);
    screen.getByRole("button", { name: /Environment/ }).focus();
    await user.keyboard("s");
    expect(onChange).toHaveBeenCalledWith("sandbox");
  });

  it("keeps numeric values numeric", async () => {
    const user = userEvent.setup();
    const onChange = vi.fn();
    const sizes = [2048, 4096].map((n) => ({ value: n, label: `${n} bits` }));
    render(<Select label="Key Size" name="bits" options={sizes} value={2048} onChange={onChange} />);
    await user.click(screen.getByRole("button", { name: /Key Size/ }));
    await user.click(await screen.findByRole("option", { name: "4096 bits" }));
    expect(onChange).toHaveBeenCalledWith(4096);
  });
});

describe("Checkbox", () => {
  it("toggles with Space", async () => {
    const user = userEvent.setup();
    const onChange = vi.fn();
    render(
      <Checkbox isSelected={false} onChange={onChange}>
        Keep it
      </Checkbox>,
    );
    screen.getByRole("checkbox", { name: "Keep it" }).focus();
    await user.keyboard(" ");
    expect(onChange).toHaveBeenCalledWith(true);
  });
});
