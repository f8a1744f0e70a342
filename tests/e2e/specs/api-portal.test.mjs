// Account › API Portal: Add New, the one-time download through the real GTK
// save dialog, the key list, cancel/discard and revoke.
import assert from "node:assert/strict";
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import {
  By,
  Key,
  cancelGtkDialog,
  choose,
  cli,
  createAccount,
  click,
  find,
  findText,
  freshFolder,
  freshHome,
  press,
  saveInGtkDialog,
  screenshot,
  selectEnvironment,
  startDriver,
  type,
} from "../lib/app.mjs";

let driver;
before(async () => {
  driver = await startDriver();
});
after(async () => {
  await driver?.stop();
});

/** Where the person saves files in these tests (never the Keyport home). */
const files = freshFolder();

function homeWithAccount() {
  const home = freshHome();
  createAccount(home, "MAG000000001", "Acme Corp", "primary_merchant");
  return home;
}

test("Add New → one-time download through the GTK save dialog → the list shows the key", async () => {
  const home = homeWithAccount();
  const app = await driver.session(home);
  await findText(app, ".page-title", "API Portal");
  await find(app, "[data-testid=account-header]");
  await selectEnvironment(app, "production");

  // A bad name is refused before anything is generated.
  await click(app, "[data-testid=add-key]");
  await find(app, ".message-error[data-code=empty_value]");

  await type(app, "input[name=label]", "staging CI");
  await click(app, "[data-testid=add-key]");
  await find(app, "[data-testid=download-dialog]");
  await findText(
    app,
    "[data-testid=download-dialog]",
    "This is the only opportunity you have to save this private key.",
  );
  const apiKey = await (await find(app, "[data-testid=download-api-key]")).getText();
  assert.match(apiKey, /^kp_prod_/);
  await screenshot(app, "api-portal-01-download-dialog");

  const target = path.join(files, "privateKey-production.pem");
  await click(app, "[data-testid=download-key]");
  await saveInGtkDialog(target);
  await findText(app, ".message-success", "was saved to");
  assert.ok(readFileSync(target, "utf8").startsWith("-----BEGIN PRIVATE KEY-----"));
  assert.equal(statSync(target).mode & 0o777, 0o600);

  const row = await findText(app, "[data-testid=keys-grid] tbody tr", "staging CI");
  assert.match(await row.getText(), new RegExp(apiKey));
  assert.match(await row.getText(), /Active/);
  await screenshot(app, "api-portal-02-key-listed");
  const [stored] = cli(home, "key", "list");
  assert.equal(stored.api_key, apiKey);
  assert.ok(stored.delivered_at);
  // No way to download it again: the row's actions offer no Download.
  await (await row.findElement(By.css("[data-testid=row-actions]"))).click();
  await findText(app, "[role=menu] [role=menuitem]", "Revoke");
  const items = [];
  for (const item of await app.findElements(By.css("[role=menu] [role=menuitem]"))) items.push(await item.getText());
  assert.deepEqual(items, ["View Details", "Rename", "Revoke"]);
  // The grid's one menu opened from this row's trigger, focus on its first item.
  assert.equal(
    await (await row.findElement(By.css("[data-testid=row-actions]"))).getAttribute("aria-expanded"),
    "true",
  );
  assert.equal(await (await app.switchTo().activeElement()).getText(), "View Details");
  await screenshot(app, "api-portal-02-row-actions-menu");
  await press(app, Key.ESCAPE);
  assert.equal(await (await app.switchTo().activeElement()).getAttribute("data-testid"), "row-actions");
});

test("cancel in the save dialog keeps the key pending; discarding revokes it", async () => {
  const home = homeWithAccount();
  const app = await driver.session(home);
  await selectEnvironment(app, "sandbox");
  await type(app, "input[name=label]", "agency X");
  await click(app, "[data-testid=add-key]");
  await find(app, "[data-testid=download-dialog]");
  assert.match(await (await find(app, "[data-testid=download-api-key]")).getText(), /^kp_sbox_/);

  await click(app, "[data-testid=download-key]");
  await cancelGtkDialog();
  await find(app, "[data-testid=download-dialog] [data-code=save_cancelled]");
  assert.equal(cli(home, "key", "pending").length, 1);
  await screenshot(app, "api-portal-03-save-cancelled");

  await click(app, "[data-testid=cancel-download]");
  await find(app, "[data-testid=discard-dialog]");
  await screenshot(app, "api-portal-04-confirm-discard");
  await click(app, "[data-testid=confirm-discard]");
  await findText(app, ".message-notice", "was discarded and the key was revoked");
  const [key] = cli(home, "key", "list");
  assert.equal(key.status, "revoked");
  assert.equal(key.revoke_reason, "private key discarded");
  await findText(app, "[data-testid=keys-grid] tbody tr", "Revoked");
});

test("a pending download comes back after a restart", async () => {
  const home = homeWithAccount();
  let app = await driver.session(home);
  await selectEnvironment(app, "production");
  await type(app, "input[name=label]", "before restart");
  await click(app, "[data-testid=add-key]");
  await find(app, "[data-testid=download-dialog]");
  await app.quit();

  app = await driver.session(home);
  await findText(app, "[data-testid=download-label]", "before restart");
  await screenshot(app, "api-portal-05-resumed");
  const target = path.join(files, "resumed.pem");
  await click(app, "[data-testid=download-key]");
  await saveInGtkDialog(target);
  await findText(app, ".message-success", "resumed.pem");
  assert.ok(existsSync(target));
  assert.equal(cli(home, "key", "pending").length, 0);
});

test("revoke asks for a reason and a confirmation; revoked keys stay listed", async () => {
  const home = homeWithAccount();
  const out = path.join(files, "k.pem");
  cli(home, "key", "create", "--env", "production", "--label", "old CI", "--out", out);
  cli(home, "key", "create", "--env", "production", "--label", "new CI", "--out", path.join(files, "k2.pem"));
  const app = await driver.session(home);
  await selectEnvironment(app, "production");
  const row = await findText(app, "[data-testid=keys-grid] tbody tr", "old CI");
  await (await row.findElement(By.css("[data-testid=row-actions]"))).click();
  await (await findText(app, "[role=menu] [role=menuitem]", "Revoke")).click();
  await find(app, "[data-testid=revoke-dialog]");
  await click(app, "[data-testid=confirm-revoke]");
  await find(app, "[data-testid=revoke-dialog] input[name=reason][aria-invalid=true]");
  await findText(app, "[data-testid=revoke-dialog] .admin__field-error", "must not be empty");
  await type(app, "input[name=reason]", "leaked in a CI log");
  await screenshot(app, "api-portal-06-revoke-dialog");
  await click(app, "[data-testid=confirm-revoke]");
  await findText(app, ".message-success", "You revoked the key");
  const revokedRow = await findText(app, "[data-testid=keys-grid] tbody tr", "old CI");
  assert.match(await revokedRow.getText(), /Revoked/);
  assert.match(await revokedRow.getText(), /leaked in a CI log/);
  await screenshot(app, "api-portal-07-revoked");

  // Search narrows the list.
  await type(app, "input[name=search]", "new");
  await findText(app, "[data-testid=records-found]", "1 records found");
  // The status filter and a sortable column narrow and order the grid.
  await type(app, "input[name=search]", "");
  await findText(app, "[data-testid=records-found]", "2 records found");
  await choose(app, "[data-testid=status-filter]", "Revoked");
  await findText(app, "[data-testid=records-found]", "1 records found");
  await findText(app, "[data-testid=keys-grid] tbody tr", "old CI");
  await choose(app, "[data-testid=status-filter]", "All statuses");
  await findText(app, "[data-testid=records-found]", "2 records found");
  const nameHeader = await findText(app, "[data-testid=keys-grid] th", "Name");
  await nameHeader.click();
  await app.wait(async () => (await nameHeader.getAttribute("aria-sort")) === "ascending", 5000);
  await app.wait(async () => {
    const rows = await app.findElements(By.css("[data-testid=keys-grid] tbody tr[data-key-id]"));
    return rows.length === 2 && (await rows[0].getText()).startsWith("new CI");
  }, 5000);
  await screenshot(app, "api-portal-08-sorted-by-name");
  const keys = cli(home, "key", "list");
  assert.equal(keys.find((k) => k.label === "old CI").status, "revoked");
  assert.equal(keys.find((k) => k.label === "new CI").status, "active");
});
