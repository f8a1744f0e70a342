import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { Pagination, pageCount } from "./Pagination";

describe("Pagination", () => {
  it("counts pages, with at least one", () => {
    expect(pageCount(0, 20)).toBe(1);
    expect(pageCount(20, 20)).toBe(1);
    expect(pageCount(21, 20)).toBe(2);
    expect(pageCount(5000, 200)).toBe(25);
  });

  it("disables moves past either end", () => {
    const onPage = vi.fn();
    render(<Pagination total={45} page={1} pageSize={20} onPage={onPage} onPageSize={vi.fn()} />);
    expect((screen.getByLabelText("Previous page") as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByLabelText("Next page"));
    expect(onPage).toHaveBeenCalledWith(2);
    expect(screen.getByText("of 3", { exact: false })).toBeTruthy();
  });

  it("changes the page size", () => {
    const onPageSize = vi.fn();
    render(<Pagination total={45} page={3} pageSize={20} onPage={vi.fn()} onPageSize={onPageSize} />);
    expect((screen.getByLabelText("Next page") as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByLabelText("Per page"), { target: { value: "50" } });
    expect(onPageSize).toHaveBeenCalledWith(50);
  });
});
