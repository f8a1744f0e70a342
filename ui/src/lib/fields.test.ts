import { describe, expect, it } from "vitest";
import { fieldForCode, formatDate } from "./fields";

describe("fieldForCode", () => {
  const fields = ["mage_id", "name"] as const;
  it("maps MageID codes to the MageID field", () => {
    for (const code of ["mage_id_empty", "mage_id_malformed", "mage_id_taken"]) {
      expect(fieldForCode(code, fields)).toBe("mage_id");
    }
  });
  it("maps name codes to the name field", () => {
    expect(fieldForCode("name_taken", fields)).toBe("name");
    expect(fieldForCode("value_too_long", fields)).toBe("name");
  });
  it("ignores codes of fields the form does not have, and unknown codes", () => {
    expect(fieldForCode("unknown_edition", fields)).toBeNull();
    expect(fieldForCode("database_error", fields)).toBeNull();
    expect(fieldForCode(undefined, fields)).toBeNull();
  });
});

describe("formatDate", () => {
  it("formats ISO times and keeps what it cannot read", () => {
    expect(formatDate("2026-11-22T15:55:09.185Z")).toMatch(/2026/);
    expect(formatDate("not a date")).toBe("not a date");
    expect(formatDate(null)).toBe("");
  });
});
