// The app as the Debian package installs it: make test builds the .deb,
// unpacks it into a throwaway root (scripts/package-check.sh) and names
// that root in KEYPORT_INSTALLED_ROOT; the installed binary opens its
// window here, with the UI it carries inside.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { after, before, test } from "node:test";
import { find, findText, freshHome, screenshot, startDriver } from "../lib/app.mjs";

const root = process.env.KEYPORT_INSTALLED_ROOT;
const skip = root ? false : "needs KEYPORT_INSTALLED_ROOT (make test's package stage sets it)";

let driver;
before(async () => {
  if (root) driver = await startDriver({ app: path.join(root, "usr/bin/keyport-app") });
});
after(async () => {
  await driver?.stop();
});

test("the installed app opens its window on a fresh home", { skip }, async () => {
  const app = await driver.session(freshHome());
  await find(app, "[data-testid=first-run]");
  await findText(app, "h1", "Create your account");
  await screenshot(app, "installed-first-run");
  // The window's class is what the menu entry's StartupWMClass names.
  const ids = execFileSync("xdotool", ["search", "--onlyvisible", "--classname", "^keyport-app$"], {
    encoding: "utf8",
  }).trim();
  assert.ok(ids.length > 0, "a window of class keyport-app");
});
