import { describe, expect, it } from "vitest";
import { MENU, menuItemFor } from "./Shell";

describe("menu", () => {
  it("marks the top-level item of the current page", () => {
    expect(menuItemFor("/account/settings")?.id).toBe("account");
    expect(menuItemFor("/accounts/new")?.id).toBe("account");
    expect(menuItemFor("/activity")?.id).toBe("system");
    expect(menuItemFor("/nowhere")).toBeUndefined();
  });

  it("has no entry without a page behind it", () => {
    for (const item of MENU) {
      expect(item.groups.flatMap((g) => g.links).length).toBeGreaterThan(0);
    }
  });
});
