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

  it("is a native select named by its label, with note, error and required state", () => {
    render(
      <Select
        label="Environment"
        name="environment"
        options={options}
        value="production"
        onChange={vi.fn()}
        isRequired
        error="Pick one"
        note="Which keys"
      />,
    );
    const select = screen.getByRole("combobox", { name: "Environment" });
    expect(select.tagName).toBe("SELECT");
    expect(select).toHaveProperty("value", "production");
    expect(
      within(select)
        .getAllByRole("option")
        .map((o) => o.textContent),
    ).toEqual(["Production", "Sandbox"]);
    expect(select.getAttribute("aria-invalid")).toBe("true");
    expect(select).toBeRequired();
    expect(describedBy(select)).toContain("Pick one");
    expect(describedBy(select)).toContain("Which keys");
  });

  it("reports the chosen option and shows it", async () => {
    const user = userEvent.setup();
    function Controlled({ onChange }: { onChange: (v: string) => void }) {
      const [value, setValue] = useState<string>("production");
      return (
        <Select
          label="Environment"
          name="environment"
          options={options}
          value={value}
          onChange={(v) => {
            setValue(v);
            onChange(v);
          }}
        />
      );
    }
    const onChange = vi.fn();
    render(<Controlled onChange={onChange} />);
    const select = screen.getByRole("combobox", { name: "Environment" });
    await user.selectOptions(select, "Sandbox");
    expect(onChange).toHaveBeenCalledWith("sandbox");
    expect(select).toHaveProperty("value", "sandbox");
  });

  it("keeps numeric values numeric", async () => {
    const user = userEvent.setup();
    const onChange = vi.fn();
    const sizes = [2048, 4096].map((n) => ({ value: n, label: `${n} bits` }));
    render(<Select label="Key Size" name="bits" options={sizes} value={2048} onChange={onChange} />);
    await user.selectOptions(screen.getByRole("combobox", { name: "Key Size" }), "4096 bits");
    expect(onChange).toHaveBeenCalledWith(4096);
  });

  it("a hidden label still names it", () => {
    render(<Select label="Status" labelHidden name="status" options={options} value="sandbox" onChange={vi.fn()} />);
    expect(screen.getByRole("combobox", { name: "Status" })).toHaveProperty("value", "sandbox");
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
