// First run: create the license holder's account in the real app window.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  By,
  cli,
  createAccount,
  click,
  countColour,
  find,
  findText,
  freshHome,
  openPage,
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

test("fresh home: create-account form, invalid MageID refused, account persists across restarts", async () => {
  const home = freshHome();
  let app = await driver.session(home);

  await find(app, "[data-testid=first-run]");
  await findText(app, "h1", "Create your account");
  await screenshot(app, "accounts-01-first-run");

  // An invalid MageID shows the engine's error and saves nothing.
  await type(app, "input[name=mage_id]", "MAG12345");
  await type(app, "input[name=name]", "Acme Corp");
  await click(app, "[data-testid=create-account]");
  const error = await find(app, ".message-error[data-code=mage_id_malformed]");
  assert.match(await error.getText(), /not a MageID/);
  await find(app, "input[name=mage_id][aria-invalid=true]");
  const shot = await screenshot(app, "accounts-02-invalid-mage-id");
  // The shot shows what the test saw: the error banner's colour (--error-bg) is in it.
  assert.ok(countColour(shot, "#fae5e5") > 5000, "the error banner is not in the screenshot");
  assert.deepEqual(cli(home, "account", "list"), []);

  // A valid one creates the account and opens the Admin shell.
  await type(app, "input[name=mage_id]", "mag012345678");
  await click(app, "[data-testid=create-account]");
  const header = await find(app, "[data-testid=account-switcher]");
  await findText(app, "[data-testid=account-switcher]", "Acme Corp");
  assert.match(await header.getText(), /MAG012345678/);
  await findText(app, ".page-title", "API Portal");
  await screenshot(app, "accounts-03-shell");
  const stored = cli(home, "account", "list");
  assert.equal(stored.length, 1);
  assert.equal(stored[0].mage_id, "MAG012345678");

  // Quit and relaunch: the account is still there.
  await app.quit();
  app = await driver.session(home);
  await findText(app, "[data-testid=account-switcher]", "Acme Corp");
  await screenshot(app, "accounts-04-relaunched");
});

test("account settings and merchants are edited in the window", async () => {
  const home = freshHome();
  createAccount(home, "MAG000000001", "Eco Ltd", "ecosystem");
  const app = await driver.session(home);
  await findText(app, "[data-testid=account-switcher]", "Eco Ltd");
  // Through the Admin menu: Account › Account Settings.
  await openPage(app, "account", "Account Settings");

  // Rename with a bad (empty) name: refused, nothing saved.
  await type(app, "input[name=name]", " ");
  await click(app, "[data-testid=save-account]");
  await find(app, ".message-error[data-code=empty_value]");
  await find(app, "input[name=name][aria-invalid=true]");
  assert.equal(cli(home, "account", "show").name, "Eco Ltd");

  await type(app, "input[name=name]", "Eco Holdings");
  await click(app, "[data-testid=save-account]");
  await findText(app, ".message-success", "You saved the account.");
  await findText(app, "[data-testid=account-switcher]", "Eco Holdings");

  await type(app, "input[name=merchant_name]", "Shop One");
  await click(app, "[data-testid=add-merchant]");
  await findText(app, "[data-testid=merchants-grid]", "Shop One");
  // A duplicate merchant name is refused.
  await type(app, "input[name=merchant_name]", "shop one");
  await click(app, "[data-testid=add-merchant]");
  await find(app, ".message-error[data-code=name_taken]");
  await screenshot(app, "accounts-05-settings-merchants");
  assert.deepEqual(
    cli(home, "merchant", "list").map((m) => m.name),
    ["Shop One"],
  );
});

test("the account switcher in the header changes the current account", async () => {
  const home = freshHome();
  createAccount(home, "MAG000000001", "Acme Corp", "primary_merchant");
  cli(
    home,
    "account",
    "create",
    "--mage-id",
    "MAG000000002",
    "--name",
    "Beta GmbH",
    "--edition",
    "magento_open_source",
    "--operating-model",
    "ecosystem",
  );
  const app = await driver.session(home);
  await findText(app, "[data-testid=account-switcher]", "Acme Corp");
  await click(app, "[data-testid=account-switcher]");
  await findText(app, ".admin__menu-popover [role=menuitem]", "Beta GmbH");
  await screenshot(app, "accounts-06-switcher");
  await (await findText(app, ".admin__menu-popover [role=menuitem]", "Beta GmbH")).click();
  await findText(app, "[data-testid=account-switcher]", "Beta GmbH");
  await findText(app, ".message-success", "You switched to Beta GmbH");
  assert.equal(cli(home, "account", "show").mage_id, "MAG000000002");

  // All Accounts lists both; the grid switches back.
  await openPage(app, "account", "All Accounts");
  const row = await findText(app, "[data-testid=accounts-grid] tbody tr", "Acme Corp");
  await (await row.findElement(By.css("button"))).click();
  await findText(app, "[data-testid=account-switcher]", "Acme Corp");
  await screenshot(app, "accounts-07-all-accounts");
  assert.equal(cli(home, "account", "show").mage_id, "MAG000000001");
});
