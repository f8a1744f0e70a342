// Key bundles between two Keyport homes (two workstations), in the real
// window: the license holder saves a new key encrypted for the integrator's
// public key from the one-time download dialog, and exports a kept key with
// a passphrase from Account › Key Bundles; the integrator, on a fresh
// workstation, imports the first bundle from the first-run screen, the
// second from the Key Bundles page (a wrong passphrase first), and uses a
// received key on the Commerce Services Connector page.
import assert from "node:assert/strict";
import { statSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import {
  By,
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

const MAG = "MAG000000042";
const PASSPHRASE = "copper-lantern-harbour-9";

test("a license holder hands keys to an integrator in bundles, who imports and uses them", async () => {
  const holder = freshHome();
  const integrator = freshHome();
  const files = freshFolder();
  createAccount(holder, MAG, "Acme Corp", "primary_merchant");
  cli(holder, "project", "create", "--name", "Storefront");
  const kept = cli(
    holder,
    "key",
    "create",
    "--env",
    "production",
    "--label",
    "live",
    "--keep-in-keychain",
    "--out",
    path.join(files, "live.pem"),
  );
  const recipient = cli(integrator, "identity", "show").recipient;
  assert.match(recipient, /^age1/);

  // The license holder: a new key, saved encrypted for the integrator from the one-time dialog.
  let app = await driver.session(holder);
  await findText(app, ".page-title", "API Portal");
  await type(app, "input[name=label]", "staging CI");
  await click(app, "[data-testid=add-key]");
  await find(app, "[data-testid=download-dialog]");
  const apiKey = await (await find(app, "[data-testid=download-api-key]")).getText();
  await click(app, "[data-testid=encrypt-key]");
  await find(app, "[data-testid=download-encryption]");
  // A malformed public key is refused on its field, and the key stays pending.
  await type(app, "[data-testid=download-dialog] input[name=recipient]", "age1notakey");
  await click(app, "[data-testid=save-bundle]");
  await find(app, "[data-testid=download-dialog] input[name=recipient][aria-invalid=true]");
  await screenshot(app, "bundles-01-download-encrypted-refused");
  await type(app, "[data-testid=download-dialog] input[name=recipient]", recipient);
  await screenshot(app, "bundles-02-download-encrypted");
  const handover = path.join(files, "staging-ci.keyport");
  await click(app, "[data-testid=save-bundle]");
  await chooseInGtkDialog("Save the key", handover, { location: false });
  await findText(app, ".message-success", "saved encrypted to");
  assert.equal(statSync(handover).mode & 0o777, 0o600);
  const delivered = cli(holder, "key", "show", apiKey);
  assert.equal(delivered.download_pending, false);

  // The Key Bundles page: the identity, and an export of the kept key with a passphrase.
  await openPage(app, "account", "Key Bundles");
  await findText(app, ".page-title", "Key Bundles");
  await findText(app, "[data-testid=identity-recipient]", "age1");
  const keys = await find(app, "[data-testid=export-keys]");
  assert.match(await keys.getText(), /Cannot be exported: Keyport no longer holds its private key/);
  await (await findText(app, "[data-testid=export-keys] .key-choice[data-key=live] label", "live")).click();
  await (await findText(app, "[data-testid=export-bundle] label", "A passphrase")).click();
  await type(app, "input[name=passphrase]", PASSPHRASE);
  await type(app, "input[name=confirm_passphrase]", PASSPHRASE);
  await screenshot(app, "bundles-03-export");
  const locked = path.join(files, "acme-live.keyport");
  await click(app, "[data-testid=export-bundle-button]");
  await chooseInGtkDialog("Save the key bundle", locked, { location: false });
  await findText(app, ".message-success", "encrypted");
  assert.equal(statSync(locked).mode & 0o777, 0o600);
  await screenshot(app, "bundles-04-exported");

  // The integrator's fresh workstation: import from the first-run screen.
  app = await driver.session(integrator);
  await find(app, "[data-testid=first-run]");
  await click(app, "[data-testid=first-run-import-bundle]");
  await find(app, "[data-testid=first-run-import]");
  await findText(app, "[data-testid=first-run-import] [data-testid=identity-recipient]", recipient);
  await screenshot(app, "bundles-05-first-run");
  await click(app, "[data-testid=open-bundle]");
  await chooseInGtkDialog("Open a key bundle", handover);
  await find(app, "[data-testid=bundle-preview]");
  await findText(app, "[data-testid=preview-account]", `Acme Corp (${MAG})`);
  await findText(app, "[data-testid=preview-keys]", "staging CI");
  await findText(app, "[data-testid=preview-projects]", "Storefront");
  await app.executeScript("arguments[0].scrollIntoView()", await find(app, "[data-testid=bundle-preview]"));
  await screenshot(app, "bundles-06-preview");
  assert.deepEqual(cli(integrator, "account", "list"), [], "nothing is written before Import");
  await click(app, "[data-testid=import-bundle-button]");
  await findText(app, ".page-title", "API Portal");
  await findText(app, "[data-testid=account-header]", "Client account");
  await findText(app, ".message-success", "You imported 1 key(s)");
  const row = await findText(app, "[data-testid=keys-grid] tbody tr", "staging CI");
  assert.match(await row.getText(), /Received/);
  assert.equal((await app.findElements(By.css("[data-testid=add-key]"))).length, 0, "no Add New on a client account");
  await screenshot(app, "bundles-07-received-keys");

  // The passphrase bundle from the Key Bundles page: a wrong passphrase first.
  await openPage(app, "account", "Key Bundles");
  await click(app, "[data-testid=open-bundle]");
  await chooseInGtkDialog("Open a key bundle", locked);
  await type(app, "input[name=bundle_passphrase]", "not the passphrase");
  await click(app, "[data-testid=unlock-bundle]");
  await find(app, "input[name=bundle_passphrase][aria-invalid=true]");
  await screenshot(app, "bundles-08-wrong-passphrase");
  await type(app, "input[name=bundle_passphrase]", PASSPHRASE);
  await click(app, "[data-testid=unlock-bundle]");
  await findText(app, "[data-testid=preview-keys]", "live");
  await app.executeScript("arguments[0].scrollIntoView()", await find(app, "[data-testid=bundle-preview]"));
  await screenshot(app, "bundles-09-passphrase-preview");
  await click(app, "[data-testid=import-bundle-button]");
  await findText(app, ".message-success", "You imported 1 key(s)");
  assert.equal(cli(integrator, "key", "list").length, 2);

  // A received key on the Connector page, from this workstation's keychain.
  cli(integrator, "instance", "add", "--name", "shop-dev", "--url", "https://dev.shop.test", "--type", "development");
  await openPage(app, "stores", "Commerce Services Connector");
  await type(app, "input[name=production_api_key]", kept.api_key);
  await (await findText(app, "[data-testid=production-keys] label", "From this workstation's keychain")).click();
  await click(app, "[data-testid=save-config]");
  await findText(app, "[data-testid=production-fingerprint]", kept.fingerprint);
  await find(app, "[data-testid=connector-status][data-status=connected]");
  await screenshot(app, "bundles-10-received-key-on-connector");
  assert.equal(cli(integrator, "instance", "show", "shop-dev").production_keys.api_key, kept.api_key);
});
