// The whole first-key flow by keyboard alone: create the account, Add New,
// the one-time download (the native save dialog typed into as a person
// would), then revoke through the key's details. No mouse event is sent.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import {
  Key,
  cli,
  find,
  findText,
  freshFolder,
  freshHome,
  painted,
  press,
  saveInGtkDialog,
  screenshot,
  startDriver,
  tabTo,
} from "../lib/app.mjs";

let driver;
before(async () => {
  driver = await startDriver();
});
after(async () => {
  await driver?.stop();
});

test("keyboard only: create the account, Add New, download, revoke", async () => {
  const home = freshHome();
  const files = freshFolder();
  const app = await driver.session(home);

  // First run: the MageID field has the focus.
  await find(app, "[data-testid=first-run]");
  await tabTo(app, "input[name=mage_id]");
  await press(app, "MAG000000007", Key.TAB, "Keyboard Ltd", Key.ENTER);
  await findText(app, ".page-title", "API Portal");
  assert.equal(cli(home, "account", "show").name, "Keyboard Ltd");

  // Add New: Tab to the name field, type, Enter submits.
  await tabTo(app, "input[name=label]");
  await press(app, "keyboard CI", Key.ENTER);
  await find(app, "[data-testid=download-dialog]");
  // The one-time dialog starts on Download and does not close on Escape.
  await press(app, Key.ESCAPE);
  await painted(app);
  await find(app, "[data-testid=download-dialog]");
  await screenshot(app, "keyboard-01-download-dialog");
  const active = await app.switchTo().activeElement();
  assert.equal(await active.getAttribute("data-testid"), "download-key");
  await press(app, Key.ENTER);
  const target = path.join(files, "privateKey-production.pem");
  await saveInGtkDialog(target);
  await findText(app, ".message-success", "was saved to");
  assert.ok(readFileSync(target, "utf8").startsWith("-----BEGIN PRIVATE KEY-----"));

  // Revoke: Tab into the grid, Enter opens the key's details (focus on
  // Close, the harmless choice), Tab to Revoke; the reason field then has it.
  await tabTo(app, "[data-testid=keys-grid] tbody tr");
  await press(app, Key.ENTER);
  await find(app, "[data-testid=key-details]");
  assert.equal(await (await app.switchTo().activeElement()).getText(), "Close");
  await tabTo(app, "[data-testid=details-revoke]");
  await screenshot(app, "keyboard-02-key-details");
  await press(app, Key.ENTER);
  await find(app, "[data-testid=revoke-dialog]");
  assert.equal(await (await app.switchTo().activeElement()).getAttribute("name"), "reason");
  await press(app, "rotated by keyboard", Key.ENTER);
  await findText(app, ".message-success", "You revoked the key");
  await screenshot(app, "keyboard-03-revoked");
  const [key] = cli(home, "key", "list");
  assert.equal(key.status, "revoked");
  assert.equal(key.revoke_reason, "rotated by keyboard");

  // The grid's status filter, a native select: typing a letter picks.
  await tabTo(app, "select[name=status_filter]");
  await press(app, "r");
  await app.wait(
    async () =>
      (await app.executeScript("return document.querySelector('select[name=status_filter]').value")) === "revoked",
    20_000,
    "Revoked not chosen by typing",
  );
  await findText(app, "[data-testid=records-found]", "1 records found");
});
