/// <reference types="node" />
// House style of the look: colours live in admin.css's token block only, and
// components style through classes, never inline `style` props.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const here = path.dirname(new URL(import.meta.url).pathname);
const css = readFileSync(path.join(here, "admin.css"), "utf8");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "bindings" ? [] : sources(full);
    return e.name.endsWith(".tsx") && !e.name.endsWith(".test.tsx") ? [full] : [];
  });
}

describe("admin.css", () => {
  it("uses only its own tokens after the token block", () => {
    const tokens = css.indexOf("\n}\n", css.indexOf(":root {"));
    const rules = css.slice(tokens).replace(/\/\*[\s\S]*?\*\//g, "");
    expect(rules.match(/#[0-9a-fA-F]{3,8}\b|rgba?\(|hsla?\(/g) ?? []).toEqual([]);
  });

  it("defines every token it uses", () => {
    const defined = new Set([...css.matchAll(/(--[\w-]+):/g)].map((m) => m[1]));
    const used = new Set([...css.matchAll(/var\((--[\w-]+)\)/g)].map((m) => m[1]));
    // --trigger-width is set by react-aria's popovers.
    const missing = [...used].filter((t) => t !== undefined && !defined.has(t) && t !== "--trigger-width");
    expect(missing).toEqual([]);
  });
});

describe("components", () => {
  it("have no inline style props", () => {
    const offenders = sources(path.join(here, "..")).filter((file) => /\bstyle=\{/.test(readFileSync(file, "utf8")));
    expect(offenders).toEqual([]);
  });
});
