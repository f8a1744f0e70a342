import { describe, expect, it } from "vitest";
import { fieldOf, isKeyGone, isWarning } from "./errors";

describe("the error-code table", () => {
  it("points at the field a code is about", () => {
    expect(fieldOf({ code: "mage_id_malformed" })).toBe("mage_id");
    expect(fieldOf({ code: "label_taken" })).toBe("key_label");
    // Free-text codes carry their field.
    expect(fieldOf({ code: "empty_value", field: "revoke_reason" })).toBe("revoke_reason");
    expect(fieldOf({ code: "disk_full" })).toBeNull();
  });

  it("treats what the user chose as a warning and knows when a key is gone", () => {
    expect(isWarning("save_cancelled")).toBe(true);
    expect(isWarning("disk_full")).toBe(false);
    expect(isKeyGone("already_delivered")).toBe(true);
    expect(isKeyGone("save_cancelled")).toBe(false);
  });
});
