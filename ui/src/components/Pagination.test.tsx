import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { Pagination, pageCount } from "./Pagination";

describe("Pagination", () => {
  it("counts pages, with at least one", () => {
    expect(pageCount(0, 20)).toBe(1);
    expect(pageCount(20, 20)).toBe(1);
    expect(pageCount(21, 20)).toBe(2);
    expect(pageCount(5000, 200)).toBe(25);
  });

  it("disables moves past either end", async () => {
    const user = userEvent.setup();
    const onPage = vi.fn();
    render(<Pagination total={45} page={1} pageSize={20} onPage={onPage} onPageSize={vi.fn()} />);
    expect(screen.getByRole("button", { name: "Previous page" })).toBeDisabled();
    await user.click(screen.getByRole("button", { name: "Next page" }));
    expect(onPage).toHaveBeenCalledWith(2);
    expect(screen.getByText("of 3", { exact: false })).toBeTruthy();
  });

  it("changes the page size", async () => {
    const user = userEvent.setup();
    const onPageSize = vi.fn();
    render(<Pagination total={45} page={3} pageSize={20} onPage={vi.fn()} onPageSize={onPageSize} />);
    expect(screen.getByRole("button", { name: "Next page" })).toBeDisabled();
    await user.selectOptions(screen.getByRole("combobox", { name: "Per page" }), "50");
    expect(onPageSize).toHaveBeenCalledWith(50);
  });
});
