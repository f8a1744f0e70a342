// Every page of the menu, with content on it, opened in the real window:
// each is photographed, and so audited by axe-core.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, test } from "node:test";
import { cli, createAccount, find, findText, freshFolder, freshHome, screenshot, startDriver } from "../lib/app.mjs";

let driver;
before(async () => {
  driver = await startDriver();
});
after(async () => {
  await driver?.stop();
});

const PAGES = [
  ["/api-portal", "API Portal"],
  ["/bundles", "Key Bundles"],
  ["/account/settings", "Account Settings"],
  ["/accounts", "All Accounts"],
  ["/accounts/new", "New Account"],
  ["/instances", "Instances"],
  ["/instances/new", "New Instance"],
  ["/connector", "Commerce Services Connector"],
  ["/sandbox", "Services Sandbox"],
  ["/activity", "Activity Log"],
  ["/about", "About Keyport"],
  ["/nowhere", "Page not found"],
];

test("every page opens, shows its content and passes the accessibility audit", async () => {
  const home = freshHome();
  const files = freshFolder();
  createAccount(home, "MAG000000001", "Eco Ltd", "ecosystem");
  cli(home, "merchant", "add", "--name", "Shop One");
  cli(home, "key", "create", "--env", "production", "--label", "staging CI", "--out", path.join(files, "k.pem"));
  cli(home, "project", "create", "--name", "Storefront");
  cli(home, "instance", "add", "--name", "shop-dev", "--url", "https://dev.shop.test", "--type", "development");
  const app = await driver.session(home);
  await findText(app, ".page-title", "API Portal");
  for (const [route, title] of PAGES) {
    await app.executeScript(`window.location.hash = ${JSON.stringify(route)}`);
    await findText(app, ".page-title", title);
    await find(app, ".page-content");
    const name = route.slice(1).replaceAll("/", "-");
    await screenshot(app, `pages-${name}`);
  }
  assert.equal(cli(home, "account", "list").length, 1);
});

// Least privilege, checked in the running window: the page may call
// Keyport's own commands, and every core plugin command (window, menu, tray,
// webview, …) is refused by the capability.
test("the window may call Keyport's commands and nothing of Tauri's core", async () => {
  const home = freshHome();
  const app = await driver.session(home);
  await find(app, "[data-testid=first-run]");
  const call = (command, args) =>
    app.executeAsyncScript(
      `const done = arguments[arguments.length - 1];
       window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1]).then(
         () => done({ ok: true }),
         (e) => done({ ok: false, error: String(e?.message ?? JSON.stringify(e)) }));`,
      command,
      args,
    );
  assert.deepEqual(await call("key_sizes", {}), { ok: true });
  for (const [command, args] of [
    ["plugin:window|set_title", { label: "main", value: "pwned" }],
    ["plugin:window|close", { label: "main" }],
    ["plugin:webview|internal_toggle_devtools", {}],
    ["plugin:tray|new", { options: {} }],
    ["plugin:menu|new", { kind: "Menu", options: {} }],
    ["plugin:event|emit", { event: "x", payload: null }],
    ["plugin:path|resolve_directory", { directory: 1 }],
    // The plugins the app uses from Rust only grant the window nothing.
    ["plugin:window-state|save_window_state", { flags: 1 }],
    ["plugin:window-state|filename", {}],
  ]) {
    const result = await call(command, args);
    assert.equal(result.ok, false, `${command} was allowed`);
    assert.match(result.error, /not allowed|denied|permission/i, `${command}: ${result.error}`);
  }
  assert.equal(await app.getTitle(), "Keyport", "the title is unchanged");
});
