// Launches the real Keyport app (debug build) under tauri-driver and drives
// it over WebDriver. Every test gets a fresh Keyport home unless it passes one.
import { spawn, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Builder, By, until } from "selenium-webdriver";

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, "../../..");
const TARGET = process.env.CARGO_TARGET_DIR ?? path.join(ROOT, "target");
export const APP = process.env.KEYPORT_APP ?? path.join(TARGET, "debug/keyport-app");
export const CLI = process.env.KEYPORT_CLI ?? path.join(TARGET, "debug/keyport");
export const OUTPUT = path.join(ROOT, "test-output/e2e");
const TIMEOUT = 20_000;

export { By, until };

export function freshHome() {
  return mkdtempSync(path.join(tmpdir(), "keyport-e2e-"));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port, child, log) {
  const deadline = Date.now() + TIMEOUT;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`tauri-driver exited: ${log.join("")}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/status`);
      if (res.ok || res.status < 500) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("tauri-driver did not start listening");
}

/** Starts tauri-driver; `session(home)` opens the app on a Keyport home. */
export async function startDriver() {
  const port = await freePort();
  const nativePort = await freePort();
  const log = [];
  const child = spawn("tauri-driver", ["--port", String(port), "--native-port", String(nativePort)], {
    stdio: ["ignore", "pipe", "pipe"],
    env: process.env,
  });
  child.stdout.on("data", (d) => log.push(String(d)));
  child.stderr.on("data", (d) => log.push(String(d)));
  await waitForPort(port, child, log);
  const sessions = [];
  const quitAll = async () => {
    while (sessions.length) await sessions.pop().quit().catch(() => {});
  };
  return {
    /** Opens the app on `home`. WebKitWebDriver runs one session at a time,
     *  so an app still open from an earlier step is closed first. */
    async session(home) {
      await quitAll();
      const driver = await new Builder()
        .usingServer(`http://127.0.0.1:${port}/`)
        .withCapabilities({
          browserName: "wry",
          "tauri:options": { application: APP, args: ["--home", home] },
        })
        .build();
      await driver.manage().setTimeouts({ implicit: 0, script: TIMEOUT });
      sessions.push(driver);
      return driver;
    },
    async stop() {
      await quitAll();
      child.kill("SIGTERM");
    },
  };
}

export async function find(driver, css, timeout = TIMEOUT) {
  const el = await driver.wait(until.elementLocated(By.css(css)), timeout, `no element ${css}`);
  await driver.wait(until.elementIsVisible(el), timeout, `${css} not visible`);
  return el;
}

export async function findText(driver, css, text, timeout = TIMEOUT) {
  return driver.wait(
    async () => {
      for (const el of await driver.findElements(By.css(css))) {
        if ((await el.getText()).includes(text)) return el;
      }
      return false;
    },
    timeout,
    `no ${css} containing "${text}"`,
  );
}

export async function type(driver, css, value) {
  const el = await find(driver, css);
  await el.clear();
  await el.sendKeys(value);
  return el;
}

export async function click(driver, css) {
  const el = await find(driver, css);
  await el.click();
  return el;
}

/** Saves what the window shows under test-output/e2e/NAME.png. */
export async function screenshot(driver, name) {
  mkdirSync(OUTPUT, { recursive: true });
  const file = path.join(OUTPUT, `${name}.png`);
  writeFileSync(file, Buffer.from(await driver.takeScreenshot(), "base64"));
  return file;
}

/** Runs the real CLI on the same home (to check what the app stored). */
export function cli(home, ...args) {
  const out = execFileSync(CLI, ["--home", home, ...args, "--json"], { encoding: "utf8" });
  return JSON.parse(out);
}

/** Types `path` into the native GTK save dialog and confirms it (xdotool). */
export async function saveInGtkDialog(path, { timeout = TIMEOUT } = {}) {
  const deadline = Date.now() + timeout;
  let win = "";
  while (!win && Date.now() < deadline) {
    try {
      win = execFileSync("xdotool", ["search", "--onlyvisible", "--name", "^Save the private key"], { encoding: "utf8" })
        .trim()
        .split("\n")[0];
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  if (!win) throw new Error("the GTK save dialog did not appear");
  // Give GTK a moment to focus the name entry, then replace its text.
  await new Promise((r) => setTimeout(r, 500));
  // Real key presses (XTEST) into the focused dialog, as a person would type.
  execFileSync("xdotool", ["windowfocus", "--sync", win]);
  execFileSync("xdotool", ["key", "--clearmodifiers", "ctrl+a"]);
  execFileSync("xdotool", ["type", "--clearmodifiers", "--delay", "10", path]);
  execFileSync("xdotool", ["key", "Return"]);
  return win;
}

/** Presses Escape in the GTK save dialog (the user cancels it). */
export async function cancelGtkDialog({ timeout = TIMEOUT } = {}) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    try {
      const win = execFileSync("xdotool", ["search", "--onlyvisible", "--name", "^Save the private key"], { encoding: "utf8" })
        .trim()
        .split("\n")[0];
      await new Promise((r) => setTimeout(r, 500));
      execFileSync("xdotool", ["windowfocus", "--sync", win]);
      execFileSync("xdotool", ["key", "Escape"]);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error("the GTK save dialog did not appear");
}

/** Picks Production or Sandbox in the API Portal's Environment menu. */
export async function selectEnvironment(driver, env) {
  const select = await find(driver, "#environment");
  await select.findElement(By.css(`option[value=${env}]`)).click();
  await driver.wait(async () => (await select.getAttribute("value")) === env, TIMEOUT, `environment ${env} not selected`);
}
