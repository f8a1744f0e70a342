// The app as a desktop program: Help › About with its diagnostics, a log
// file that never holds a secret, one window per Keyport home, and the
// window's size remembered.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { APP, CLI, click, createAccount, find, findText, freshHome, screenshot, startDriver } from "../lib/app.mjs";

let driver;
before(async () => {
  driver = await startDriver();
});
after(async () => {
  await driver?.stop();
});

test("Help › About shows the version, the home, the log file and the doctor's checks", async () => {
  const home = freshHome();
  createAccount(home, "MAG000000001", "Acme Corp", "primary_merchant");
  const app = await driver.session(home);
  await findText(app, ".page-title", "API Portal");
  await click(app, "[data-testid=menu-help]");
  await (await findText(app, ".admin__menu-flyout [role=menuitem]", "About Keyport")).click();
  await findText(app, ".page-title", "About Keyport");
  const version = execFileSync(CLI, ["--version"], { encoding: "utf8" }).trim().split(" ")[1];
  assert.equal(await (await find(app, "[data-testid=about-version]")).getText(), version);
  assert.equal(await (await find(app, "[data-testid=about-home]")).getText(), home);
  const checks = await (await find(app, "[data-testid=about-checks]")).getText();
  for (const name of ["home", "database", "files", "keychain", "cleanup"]) assert.match(checks, new RegExp(name));
  assert.doesNotMatch(checks, /Failed/);
  const logFile = await (await find(app, "[data-testid=about-log]")).getText();
  assert.ok(existsSync(logFile), `the log file ${logFile} exists`);
  assert.match(readFileSync(logFile, "utf8"), new RegExp(`starting; home ${home.replaceAll("/", "\\/")}`));
  // This machine has no GPU render node: the web view paints on the CPU, and says so.
  if (!existsSync("/dev/dri")) await findText(app, "main", "CPU rasterizer (no GPU render node in /dev/dri)");
  await screenshot(app, "about");
  await click(app, "[data-testid=copy-diagnostics]");
  await findText(app, ".message", "diagnostics were copied");

  // Every log file so far (the earlier specs downloaded and imported keys)
  // is free of key material.
  const dir = path.dirname(logFile);
  for (const name of readdirSync(dir)) {
    const text = readFileSync(path.join(dir, name), "utf8");
    assert.doesNotMatch(text, /PRIVATE KEY|AGE-SECRET-KEY|BEGIN AGE/, `${name} holds key material`);
  }
});

/** The visible window of process `pid` (xdotool), once it is mapped. */
async function windowOf(pid) {
  for (let i = 0; i < 100; i++) {
    try {
      const id = execFileSync("xdotool", ["search", "--onlyvisible", "--pid", String(pid)], { encoding: "utf8" })
        .trim()
        .split("\n")[0];
      if (id) return id;
    } catch {
      /* not mapped yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`process ${pid} shows no window`);
}

/** The window's geometry once it has settled on `expected` (the saved state
 *  is applied just after the window maps), or what it is after 5 s. */
async function settledGeometry(id, expected) {
  let seen;
  for (let i = 0; i < 25; i++) {
    seen = geometry(id);
    if (Object.entries(expected).every(([k, v]) => seen[k] === v)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return seen;
}

function geometry(id) {
  const out = execFileSync("xdotool", ["getwindowgeometry", id], { encoding: "utf8" });
  const [, x, y] = /Position: (\d+),(\d+)/.exec(out);
  const [, w, h] = /Geometry: (\d+)x(\d+)/.exec(out);
  return { x: Number(x), y: Number(y), width: Number(w), height: Number(h) };
}

/** Starts the app binary itself (not through the driver) on `home`. */
function launch(home) {
  const child = spawn(APP, ["--home", home], { stdio: "ignore", env: process.env });
  const exited = new Promise((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited };
}

const within = (promise, ms) =>
  Promise.race([promise, new Promise((resolve) => setTimeout(() => resolve("running"), ms).unref())]);

test("a second launch for the same home hands over to the first window; another home opens its own", async () => {
  const home = freshHome();
  createAccount(home, "MAG000000001", "Acme Corp", "primary_merchant");
  const app = await driver.session(home);
  await findText(app, ".page-title", "API Portal");

  const again = launch(home);
  assert.equal(await within(again.exited, 20_000), 0, "the second launch for the same home exits at once");
  // The first window is still there and answers.
  await app.executeScript("window.location.hash = '#/activity'");
  await findText(app, ".page-title", "Activity Log");

  const other = freshHome();
  const second = launch(other);
  try {
    assert.equal(await within(second.exited, 8_000), "running", "another home runs its own window");
  } finally {
    second.child.kill("SIGTERM");
    await within(second.exited, 10_000);
  }
});

test("the window opens where and as large as it was closed, per home", async () => {
  const home = freshHome();
  createAccount(home, "MAG000000001", "Acme Corp", "primary_merchant");
  const first = launch(home);
  const id = await windowOf(first.child.pid);
  await new Promise((r) => setTimeout(r, 1500)); // the page loads and the state is restored
  execFileSync("xdotool", ["windowsize", id, "1100", "700"]);
  execFileSync("xdotool", ["windowmove", id, "40", "30"]);
  await new Promise((r) => setTimeout(r, 800));
  // The title bar's close button, as a window manager sends it.
  execFileSync("python3", [fileURLToPath(new URL("../lib/close_window.py", import.meta.url)), id]);
  assert.equal(await within(first.exited, 15_000), 0, "closing the window ends the app cleanly");
  assert.ok(existsSync(path.join(home, "window-state.json")), "the window state is kept in the home");
  assert.ok(!existsSync(path.join(home, "sandbox.json")), "a closed app withdraws its sandbox record");

  const again = launch(home);
  try {
    const saved = { x: 40, y: 30, width: 1100, height: 700 };
    assert.deepEqual(await settledGeometry(await windowOf(again.child.pid), saved), saved);
  } finally {
    again.child.kill("SIGTERM");
    await within(again.exited, 10_000);
  }
  // Another home opens at the default size.
  const other = launch(freshHome());
  try {
    const fresh = await settledGeometry(await windowOf(other.child.pid), { width: 1280, height: 820 });
    assert.deepEqual([fresh.width, fresh.height], [1280, 820]);
  } finally {
    other.child.kill("SIGTERM");
    await within(other.exited, 10_000);
  }
});
