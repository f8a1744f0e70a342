import { describe, expect, it } from "vitest";
import { MENU, menuEntryFor } from "./Shell";

describe("menu", () => {
  it("marks the top-level item of the current page", () => {
    expect(menuEntryFor("/account/settings")?.id).toBe("account");
    expect(menuEntryFor("/accounts/new")?.id).toBe("account");
    expect(menuEntryFor("/")?.id).toBe("account");
    expect(menuEntryFor("/activity")?.id).toBe("system");
    expect(menuEntryFor("/instances/abc/edit")?.id).toBe("stores");
    expect(menuEntryFor("/connector/abc")?.id).toBe("stores");
    expect(menuEntryFor("/nowhere")).toBeUndefined();
  });

  it("has no entry without a page behind it", () => {
    for (const item of MENU) {
      expect(item.groups.flatMap((g) => g.links).length).toBeGreaterThan(0);
    }
  });
});
