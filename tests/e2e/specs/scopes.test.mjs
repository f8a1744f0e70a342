// Scoped keys in the real window: an Ecosystem account creates a key
// restricted to one merchant and one feature, the grid shows its badge, the
// key's details answer access checks, and removing the merchant it names
// asks for confirmation and revokes it.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, test } from "node:test";
import {
  By,
  choose,
  cli,
  click,
  createAccount,
  find,
  findText,
  freshFolder,
  freshHome,
  openPage,
  saveInGtkDialog,
  screenshot,
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

test("an ecosystem account's scoped key: created, shown, checked, and revoked with its merchant", async () => {
  const home = freshHome();
  const files = freshFolder();
  createAccount(home, "MAG000000007", "Payments Co", "ecosystem");
  cli(home, "merchant", "add", "--name", "Shop A");
  cli(home, "merchant", "add", "--name", "Shop B");

  const app = await driver.session(home);
  await findText(app, ".page-title", "API Portal");
  await type(app, "input[name=label]", "forwarder");
  await (await findText(app, "[data-testid=scope] .admin__field-option-button", "Scoped key")).click();
  await findText(app, "[data-testid=scope] .admin__field-option-button", "POST /payment-data/{id}/forward");
  // A scope without a merchant or a feature is refused; nothing is generated.
  await click(app, "[data-testid=add-key]");
  await find(app, ".message-error[data-code=scope_empty]");
  assert.equal(cli(home, "key", "list").length, 0);

  await (await findText(app, "[data-testid=scope] .admin__field-option-button", "Shop A")).click();
  await (await findText(app, "[data-testid=scope] .admin__field-option-button", "POST /forward")).click();
  await screenshot(app, "scopes-01-add-scoped-key");
  await click(app, "[data-testid=add-key]");
  await find(app, "[data-testid=download-dialog]");
  await click(app, "[data-testid=download-key]");
  await saveInGtkDialog(path.join(files, "forwarder.pem"));
  await findText(app, ".message-success", "was saved to");

  const row = await findText(app, "[data-testid=keys-grid] tbody tr", "forwarder");
  assert.match(await row.getText(), /Scoped/);
  assert.match(await row.getText(), /Shop A · 1 feature/);
  await screenshot(app, "scopes-02-grid-badge");
  const [stored] = cli(home, "key", "list");
  assert.deepEqual(stored.scope, { merchants: ["Shop A"], features: ["forward"] });

  // The key's details: its scope, and the access check.
  await (await row.findElement(By.css("[data-testid=row-actions]"))).click();
  await (await findText(app, "[role=menu] [role=menuitem]", "View Details")).click();
  await findText(app, "[data-testid=details-scope]", "Merchants: Shop A");
  await findText(app, "[data-testid=details-scope]", "POST /forward");
  await click(app, "[data-testid=run-access-check]");
  await findText(app, "[data-testid=access-check] .message-error", "name the merchant");
  await choose(app, "[data-testid=check-merchant]", "Shop A");
  await click(app, "[data-testid=run-access-check]");
  await findText(app, "[data-testid=access-check] .message-success", "Allowed");
  await screenshot(app, "scopes-03-access-allowed");
  await type(app, "input[name=check_path]", "/tokens/tok_1/payment-data");
  await choose(app, "[data-testid=check-method]", "GET");
  await click(app, "[data-testid=run-access-check]");
  await findText(app, "[data-testid=access-check] .message-error", "does not grant GET /tokens/{id}/payment-data");
  await type(app, "input[name=check_path]", "tokens/../x");
  await click(app, "[data-testid=run-access-check]");
  await findText(app, "[data-testid=access-check]", "is not a request path");
  await screenshot(app, "scopes-04-access-path-refused");
  await (await findText(app, "[data-testid=key-details] button", "Close")).click();

  // Removing the merchant the key names asks, then revokes it.
  await openPage(app, "account", "Account Settings");
  const shop = await findText(app, "[data-testid=merchants-grid] tbody tr", "Shop A");
  await (await shop.findElement(By.xpath(".//button[normalize-space()='Remove']"))).click();
  await find(app, "[data-testid=remove-merchant-dialog]");
  await (await findText(app, "[data-testid=remove-merchant-dialog] button", "Remove")).click();
  await findText(app, "[data-testid=confirm-dialog]", "forwarder");
  await screenshot(app, "scopes-05-confirm-revoke");
  assert.equal(cli(home, "key", "list")[0].status, "active", "nothing happens before the confirmation");
  await click(app, "[data-testid=confirm-dialog] [data-testid=confirm]");
  await findText(app, ".message-success", "revoked the scoped keys");
  const [revoked] = cli(home, "key", "list");
  assert.equal(revoked.status, "revoked");
  assert.match(revoked.revoke_reason, /Shop A/);
  assert.deepEqual(
    cli(home, "merchant", "list").map((m) => m.name),
    ["Shop B"],
  );
});

test("a Primary Merchant account is not offered scoped keys", async () => {
  const home = freshHome();
  createAccount(home, "MAG000000008", "Shop Owner", "primary_merchant");
  const app = await driver.session(home);
  await findText(app, ".page-title", "API Portal");
  await find(app, "[data-testid=add-key]");
  assert.equal((await app.findElements(By.css("[data-testid=scope]"))).length, 0);
});
