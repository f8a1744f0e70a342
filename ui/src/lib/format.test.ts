import { describe, expect, it } from "vitest";
import { age, formatDate } from "./format";

describe("format", () => {
  const now = new Date("2026-11-23T12:00:00.000Z");

  it("gives ages in the largest whole unit", () => {
    expect(age("2026-11-23T11:59:30.000Z", now)).toBe("less than a minute");
    expect(age("2026-11-23T11:00:00.000Z", now)).toBe("1 hour");
    expect(age("2026-11-20T12:00:00.000Z", now)).toBe("3 days");
    expect(age("2024-11-20T12:00:00.000Z", now)).toBe("2 years");
  });

  it("keeps what it cannot read", () => {
    expect(formatDate(null)).toBe("");
    expect(formatDate("soon")).toBe("soon");
    expect(age("soon", now)).toBe("");
  });
});
