import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import { api, KeyportError, toKeyportError } from "./api";

afterEach(() => clearMocks());

describe("toKeyportError", () => {
  it("keeps the engine's code and message", () => {
    const e = toKeyportError({ code: "mage_id_malformed", message: "bad" });
    expect(e).toBeInstanceOf(KeyportError);
    expect(e.code).toBe("mage_id_malformed");
    expect(e.message).toBe("bad");
  });

  it("turns Tauri's plain-string failures into ipc_error", () => {
    const e = toKeyportError("invalid args `input` for command `create_account`");
    expect(e.code).toBe("ipc_error");
    expect(e.message).toContain("create_account");
  });

  it("handles anything else", () => {
    expect(toKeyportError(new Error("boom")).message).toBe("boom");
    expect(toKeyportError(undefined).code).toBe("ipc_error");
  });
});

describe("api", () => {
  it("sends camelCase arguments to the named command", async () => {
    const seen: Array<[string, unknown]> = [];
    mockIPC((cmd, args) => {
      seen.push([cmd, args]);
      return { id: "m1", name: "Shop", created_at: "2026-01-01T00:00:00.000Z" };
    });
    const merchant = await api.renameMerchant("acc", "m1", "Shop");
    expect(merchant.name).toBe("Shop");
    expect(seen).toEqual([["rename_merchant", { accountId: "acc", merchantId: "m1", name: "Shop" }]]);
  });

  it("rejects with a KeyportError carrying the code", async () => {
    mockIPC(() => {
      throw { code: "name_taken", message: 'A merchant named "Shop" already exists' };
    });
    await expect(api.addMerchant("acc", "Shop")).rejects.toMatchObject({ code: "name_taken" });
  });
});
