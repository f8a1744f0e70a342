// Stores › Instances and the Commerce Services Connector page: an
// integrator adds an instance, saves its keys (refused first when wrong),
// creates a project through the gateway, picks a data space (confirming a
// production one), renames, exports for Magento through the native folder
// dialog, and sees a revoked key mark the instance at once.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import {
  By,
  choose,
  chooseInGtkDialog,
  cli,
  createAccount,
  click,
  find,
  findText,
  freshFolder,
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

/** Types PEM text into a textarea in chunks (WebDriver types every key). */
async function pastePem(app, css, pem) {
  const area = await find(app, css);
  await app.executeScript(
    `const el = arguments[0];
     const set = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value").set;
     set.call(el, arguments[1]);
     el.dispatchEvent(new Event("input", { bubbles: true }));`,
    area,
    pem,
  );
}

test("an integrator configures an instance on the Connector page and exports it for Magento", async () => {
  const home = freshHome();
  const files = freshFolder();
  createAccount(home, "MAG000000001", "Acme Corp", "primary_merchant");
  const pemFile = path.join(files, "privateKey-sandbox.pem");
  const key = cli(home, "key", "create", "--env", "sandbox", "--label", "staging CI", "--out", pemFile);
  const pem = readFileSync(pemFile, "utf8");
  const app = await driver.session(home);

  await openPage(app, "stores", "Instances");
  await findText(app, "[data-testid=instances-grid]", "No instances yet");
  await screenshot(app, "connector-01-no-instances");

  // The instance form refuses a bad website code, on its field.
  await click(app, "[data-testid=add-instance]");
  await findText(app, ".page-title", "New Instance");
  await type(app, "input[name=name]", "shop-dev");
  await type(app, "input[name=base_url]", "https://dev.shop.test");
  await type(app, "input[name=website_codes]", "base, EU");
  await click(app, "[data-testid=save-instance]");
  await find(app, "input[name=website_codes][aria-invalid=true]");
  await find(app, ".message-error[data-code=website_code_malformed]");
  await screenshot(app, "connector-02-bad-website-code");
  assert.deepEqual(cli(home, "instance", "list"), []);
  await type(app, "input[name=website_codes]", "base, eu");
  await click(app, "[data-testid=save-instance]");

  // The Connector page of the new instance: not configured yet.
  await findText(app, ".page-title", "Commerce Services Connector");
  await find(app, "[data-testid=connector-status][data-status=not_configured]");
  await screenshot(app, "connector-03-new-instance");

  // A public key pasted as the private key: refused on its field, nothing saved.
  await type(app, "input[name=sandbox_api_key]", key.api_key);
  const publicKey = key.public_key_pem;
  await pastePem(app, "textarea[name=sandbox_private_key]", publicKey);
  await (await findText(app, "[data-testid=environment-fieldset] label", "Sandbox keys")).click();
  await click(app, "[data-testid=save-config]");
  await find(app, "textarea[name=sandbox_private_key][aria-invalid=true]");
  await find(app, ".message-error[data-code=connector_invalid]");
  await screenshot(app, "connector-04-wrong-private-key");
  assert.equal(cli(home, "instance", "show", "shop-dev").sandbox_keys, null);

  // The right key: saved, checked through the gateway, shown by fingerprint only.
  await pastePem(app, "textarea[name=sandbox_private_key]", pem);
  await click(app, "[data-testid=save-config]");
  await findText(app, ".message-success", "You saved the configuration.");
  await find(app, "[data-testid=connector-status][data-status=connected]");
  await findText(app, "[data-testid=sandbox-fingerprint]", key.fingerprint);
  assert.equal((await app.findElements(By.css("textarea[name=sandbox_private_key]"))).length, 0);
  assert.ok(!(await app.getPageSource()).includes(pem.split("\n")[1]), "the PEM is gone from the page");
  await screenshot(app, "connector-05-keys-saved");
  const saved = cli(home, "instance", "show", "shop-dev");
  assert.equal(saved.sandbox_keys.api_key, key.api_key);
  assert.equal(saved.active_environment, "sandbox");

  // SaaS identifier: create a project through the gateway, pick a testing data space.
  await click(app, "[data-testid=create-project]");
  await type(app, "[data-testid=create-project-dialog] input[name=new_name]", "Storefront");
  await click(app, "[data-testid=create-project-dialog] [data-testid=save-name]");
  await findText(app, ".message-success", "You created the project");
  await choose(app, "[data-testid=data-space-select]", "Testing 1 (Testing)");
  await click(app, "[data-testid=save-config]");
  await findText(app, ".message-success", "You saved the configuration.");
  assert.equal(cli(home, "instance", "show", "shop-dev").saas.data_space_name, "Testing 1");

  // Rename it through the gateway.
  await (await findText(app, "[data-testid=saas-fieldset] button", "Rename Data Space")).click();
  await type(app, "[data-testid=rename-space-dialog] input[name=new_name]", "QA");
  await click(app, "[data-testid=rename-space-dialog] [data-testid=save-name]");
  await findText(app, ".message-success", "You renamed the data space");
  await app.wait(async () => cli(home, "instance", "show", "shop-dev").saas.data_space_name === "QA", 5000);
  await screenshot(app, "connector-06-saas-identifier");

  // A production data space on a development instance asks first.
  await choose(app, "[data-testid=data-space-select]", "Production (Production)");
  await click(app, "[data-testid=save-config]");
  await findText(app, "[data-testid=confirm-dialog]", "production data space");
  await screenshot(app, "connector-07-confirm-production-data");
  assert.equal(cli(home, "instance", "show", "shop-dev").saas.data_space_name, "QA", "nothing saved before confirming");
  await click(app, "[data-testid=confirm-dialog] [data-testid=confirm]");
  await findText(app, ".message-success", "You saved the configuration.");
  assert.equal(cli(home, "instance", "show", "shop-dev").saas.data_space_type, "Production");

  // The production pair from its file, through the native open dialog:
  // the window holds a token for the file, the app reads it on Save Config.
  const prodFile = path.join(files, "privateKey-production.pem");
  const prodKey = cli(home, "key", "create", "--env", "production", "--label", "live", "--out", prodFile);
  await type(app, "input[name=production_api_key]", prodKey.api_key);
  await (await findText(app, "[data-testid=production-keys] label", "Open its file")).click();
  await click(app, "[data-testid=production-open-file]");
  await chooseInGtkDialog("Open a private key", prodFile);
  await findText(app, "[data-testid=production-keys]", prodFile);
  await screenshot(app, "connector-08-production-key-file");
  await click(app, "[data-testid=save-config]");
  // (The previous save's success message is still up: wait for the pair itself.)
  await findText(app, "[data-testid=production-fingerprint]", prodKey.fingerprint);
  assert.equal(cli(home, "instance", "show", "shop-dev").production_keys.api_key, prodKey.api_key);

  // Export for Magento through the native folder dialog.
  const parent = path.join(files, "exports");
  mkdirSync(parent);
  await app.executeScript("arguments[0].scrollIntoView()", await find(app, "[data-testid=export]"));
  await click(app, "[data-testid=export]");
  await chooseInGtkDialog("Export the Connector configuration", parent, { folder: true });
  await findText(app, ".message-success", "Exported to");
  const folder = path.join(parent, "shop-dev-connector");
  assert.equal(statSync(folder).mode & 0o777, 0o700);
  assert.equal(statSync(path.join(folder, "privateKey-sandbox.pem")).mode & 0o777, 0o600);
  assert.equal(readFileSync(path.join(folder, "privateKey-sandbox.pem"), "utf8"), pem);
  assert.equal(readFileSync(path.join(folder, "privateKey-production.pem"), "utf8"), readFileSync(prodFile, "utf8"));
  assert.match(readFileSync(path.join(folder, "apply.sh"), "utf8"), /config:set -- "\$1" "\$2"/);
  await screenshot(app, "connector-09-exported");

  // Revoking the key in the API Portal marks the instance at once.
  cli(home, "key", "revoke", key.api_key, "--reason", "leaked in a CI log");
  await openPage(app, "stores", "Instances");
  const row = await findText(app, "[data-testid=instances-grid] tbody tr", "shop-dev");
  assert.match(await row.getText(), /Keys no longer valid/);
  await screenshot(app, "connector-10-keys-no-longer-valid");
  await (await row.findElement(By.css("td"))).click();
  await find(app, "[data-testid=connector-status][data-status=keys_revoked]");
  await findText(app, "[data-testid=connector-status]", "leaked in a CI log");
  await screenshot(app, "connector-11-page-keys-revoked");
});
