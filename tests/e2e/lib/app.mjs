// Launches the real Keyport app (debug build) under tauri-driver and drives
// it over WebDriver. Every test gets a fresh Keyport home unless it passes one.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PNG } from "pngjs";
import { Builder, By, Key, until } from "selenium-webdriver";

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, "../../..");
const TARGET = process.env.CARGO_TARGET_DIR ?? path.join(ROOT, "target");
export const APP = process.env.KEYPORT_APP ?? path.join(TARGET, "debug/keyport-app");
export const CLI = process.env.KEYPORT_CLI ?? path.join(TARGET, "debug/keyport");
export const OUTPUT = path.join(ROOT, "test-output/e2e");
const TIMEOUT = 20_000;

export { By, Key, until };

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export function freshHome() {
  return mkdtempSync(path.join(tmpdir(), "keyport-e2e-"));
}

/** A folder for the files a person saves and opens (keys, bundles,
 *  exports): never the Keyport home. A native dialog browsing the home
 *  would open and close the database's files inside the app's process,
 *  which releases SQLite's POSIX locks (see ARCHITECTURE.md). */
export function freshFolder() {
  return mkdtempSync(path.join(tmpdir(), "keyport-e2e-files-"));
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

/** Starts tauri-driver; `session(home)` opens the app (`app`, default the
 *  debug build) on a Keyport home. */
export async function startDriver({ app = APP } = {}) {
  let driver = await spawnDriver();
  const sessions = [];
  const quitAll = async () => {
    while (sessions.length) {
      const { session, home } = sessions.pop();
      const quit = session.quit().then(
        () => true,
        () => true,
      );
      const timedOut = new Promise((resolve) => setTimeout(() => resolve(false), 15_000).unref());
      if (!(await Promise.race([quit, timedOut]))) {
        // A hung app takes its WebDriver session with it: start afresh.
        console.warn(`# the app on ${home} did not close within 15 s; the driver is restarted`);
        driver.kill();
        driver = await spawnDriver();
      }
    }
  };
  return {
    /** Opens the app on `home`. WebKitWebDriver runs one session at a time,
     *  so an app still open from an earlier step is closed first. */
    async session(home) {
      await quitAll();
      const session = await new Builder()
        .usingServer(`http://127.0.0.1:${driver.port}/`)
        .withCapabilities({
          browserName: "wry",
          "tauri:options": { application: app, args: ["--home", home] },
        })
        .build();
      await session.manage().setTimeouts({ implicit: 0, script: TIMEOUT });
      sessions.push({ session, home });
      return session;
    },
    async stop() {
      await quitAll();
      driver.kill();
    },
  };
}

/** tauri-driver in its own process group, so that killing the group ends
 *  it, WebKitWebDriver and the app together even if one of them hangs. */
async function spawnDriver() {
  const port = await freePort();
  const nativePort = await freePort();
  const log = [];
  const child = spawn("tauri-driver", ["--port", String(port), "--native-port", String(nativePort)], {
    stdio: ["ignore", "pipe", "pipe"],
    env: process.env,
    detached: true,
  });
  child.stdout.on("data", (d) => log.push(String(d)));
  child.stderr.on("data", (d) => log.push(String(d)));
  await waitForPort(port, child, log);
  return {
    port,
    kill() {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        /* already gone */
      }
      child.stdout.destroy();
      child.stderr.destroy();
    },
  };
}

export async function find(driver, css, timeout = TIMEOUT) {
  const el = await driver.wait(until.elementLocated(By.css(css)), timeout, `no element ${css}`);
  await driver.wait(until.elementIsVisible(el), timeout, `${css} not visible`);
  return el;
}

/** The first visible element matching `css` whose text contains `text`. */
export async function findText(driver, css, text, timeout = TIMEOUT) {
  return driver.wait(
    async () => {
      for (const el of await driver.findElements(By.css(css))) {
        try {
          if ((await el.getText()).includes(text) && (await el.isDisplayed())) return el;
        } catch {
          /* re-rendered while looking: look again */
        }
      }
      return false;
    },
    timeout,
    `no ${css} containing "${text}"`,
  );
}

/** Replaces a text field's value as a person does: select all, type over it. */
export async function type(driver, css, value) {
  const el = await find(driver, css);
  await el.sendKeys(Key.chord(Key.CONTROL, "a"), Key.BACK_SPACE);
  if (value) await el.sendKeys(value);
  return el;
}

export async function click(driver, css) {
  const el = await find(driver, css);
  await el.click();
  return el;
}

/** Resolves once the page has produced a frame: two animation frames after
 *  the call, so the DOM the test just found is painted, not only laid out. */
export async function painted(driver) {
  await driver.executeAsyncScript(`
    const done = arguments[arguments.length - 1];
    document.fonts.ready.then(() => requestAnimationFrame(() => requestAnimationFrame(() => done())));
  `);
}

/** The share of pixels of the most common colour: ~1 means a blank frame. */
function uniformity(png) {
  const counts = new Map();
  for (let i = 0; i < png.data.length; i += 4 * 7) {
    const key = png.data.readUInt32BE(i);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return Math.max(...counts.values()) / (png.data.length / (4 * 7));
}

/** Counts the pixels of an exact `#rrggbb` colour in a PNG. */
export function countColour(file, hex) {
  const png = PNG.sync.read(readFileSync(file));
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let n = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    if (png.data[i] === r && png.data[i + 1] === g && png.data[i + 2] === b) n++;
  }
  return n;
}

/** The app window as the X server shows it (xwd, cut to the window's
 *  rectangle), as a PNG: what a person sees, a GTK dialog over it included.
 *  Not WebKitWebDriver's screenshot: without WebKit's DMA-BUF renderer
 *  (Keyport's choice without a GPU, as here) that one never returns while
 *  the page does not scroll (WebKitGTK 2.50). */
async function windowPixels(driver) {
  const { x, y, width, height } = await driver.manage().window().getRect();
  // The frame the page just painted reaches the X server a moment later.
  await new Promise((r) => setTimeout(r, 50));
  const xwd = execFileSync("xwd", ["-root", "-silent"], { maxBuffer: 256 << 20 });
  return xwdToPng(xwd, { x: Math.max(0, x), y: Math.max(0, y), width, height });
}

/** An XWD dump of a TrueColor screen, cut to `rect`, as PNG. */
function xwdToPng(xwd, rect) {
  const field = (i) => xwd.readUInt32BE(i * 4);
  const [headerSize, screenWidth, screenHeight, byteOrder, bitsPerPixel, bytesPerLine] = [0, 4, 5, 7, 11, 12].map(
    field,
  );
  const masks = [14, 15, 16].map(field);
  const start = headerSize + field(19) * 12;
  const size = bitsPerPixel / 8;
  if (![3, 4].includes(size)) throw new Error(`xwd: ${bitsPerPixel} bits a pixel`);
  // Each mask's lowest set bit: where its 8 bits of colour sit in the pixel.
  const shifts = masks.map((m) => Math.log2(m & -m));
  const width = Math.min(rect.width, screenWidth - rect.x);
  const height = Math.min(rect.height, screenHeight - rect.y);
  const png = new PNG({ width, height });
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      const at = start + (rect.y + row) * bytesPerLine + (rect.x + col) * size;
      let pixel = 0;
      for (let i = 0; i < size; i++) pixel += xwd[at + i] * 2 ** (8 * (byteOrder === 0 ? i : size - 1 - i));
      const to = (row * width + col) * 4;
      for (let c = 0; c < 3; c++) png.data[to + c] = Math.floor(pixel / 2 ** shifts[c]) & 0xff;
      png.data[to + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

/** Saves what the window shows under test-output/e2e/NAME.png, once it is
 *  painted (a blank frame is retried, then fails the test), and checks the
 *  page with axe-core: every state a test photographs is also audited. */
export async function screenshot(driver, name) {
  mkdirSync(OUTPUT, { recursive: true });
  const file = path.join(OUTPUT, `${name}.png`);
  let png;
  for (let attempt = 0; attempt < 10; attempt++) {
    await painted(driver);
    png = await windowPixels(driver);
    if (uniformity(PNG.sync.read(png)) < 0.97) break;
    png = null;
    await new Promise((r) => setTimeout(r, 200));
  }
  if (!png) throw new Error(`screenshot ${name}: the window stayed blank`);
  writeFileSync(file, png);
  await checkAccessibility(driver, name);
  return file;
}

/** Runs axe-core in the page; fails on serious or critical violations. */
export async function checkAccessibility(driver, where) {
  // Evaluated by the driver, not as a <script> element: the app's CSP allows no inline scripts.
  if (!(await driver.executeScript("return Boolean(window.axe)"))) await driver.executeScript(AXE_SOURCE);
  const violations = await driver.executeAsyncScript(
    `const done = arguments[arguments.length - 1];
     window.axe
       .run(document, { resultTypes: ["violations"] })
       .then((r) => done(r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
         nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " (" + n.html.slice(0, 120) + ") — " + n.failureSummary.replace(/\\s+/g, " ")) }))))
       .catch((e) => done([{ id: "axe-error", impact: "critical", help: String(e), nodes: [] }]));`,
  );
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  if (serious.length > 0) {
    const report = serious.map((v) => `${v.impact} ${v.id}: ${v.help}\n    ${v.nodes.join("\n    ")}`).join("\n  ");
    throw new Error(`accessibility (${where}):\n  ${report}`);
  }
}

/** Runs the real CLI on the same home (to check what the app stored). */
export function cli(home, ...args) {
  const out = execFileSync(CLI, ["--home", home, ...args, "--json"], { encoding: "utf8" });
  return JSON.parse(out);
}

/** Creates an Adobe Commerce account in `home` through the CLI. */
export function createAccount(home, mageId, name, operatingModel) {
  return cli(
    home,
    "account",
    "create",
    "--mage-id",
    mageId,
    "--name",
    name,
    "--edition",
    "adobe_commerce",
    "--operating-model",
    operatingModel,
  );
}

/** The native GTK dialog whose title starts with `title` (xdotool). */
async function gtkDialog(title, timeout) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    try {
      const win = execFileSync("xdotool", ["search", "--onlyvisible", "--name", `^${title}`], { encoding: "utf8" })
        .trim()
        .split("\n")[0];
      if (win) {
        // Give GTK a moment to map the dialog and focus its name entry.
        await new Promise((r) => setTimeout(r, 500));
        execFileSync("xdotool", ["windowfocus", "--sync", win]);
        return win;
      }
    } catch {
      /* not there yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the GTK dialog "${title}…" did not appear`);
}

/** Types `path` into a native GTK file dialog and confirms it, with real
 *  key presses (XTEST), as a person would type. Open and folder dialogs
 *  need Ctrl+L for their location entry; a save dialog's name entry has the
 *  focus already. */
export async function chooseInGtkDialog(title, path, { timeout = TIMEOUT, location = true, folder = false } = {}) {
  const win = await gtkDialog(title, timeout);
  if (location) execFileSync("xdotool", ["key", "--clearmodifiers", "ctrl+l"]);
  execFileSync("xdotool", ["key", "--clearmodifiers", "ctrl+a"]);
  execFileSync("xdotool", ["type", "--clearmodifiers", "--delay", "10", path]);
  // GTK checks a typed location asynchronously; Return before that is lost.
  await new Promise((r) => setTimeout(r, 700));
  execFileSync("xdotool", ["key", "Return"]);
  if (folder) {
    // The first Enter opens the folder; the second chooses it (the dialog's default button).
    await new Promise((r) => setTimeout(r, 700));
    execFileSync("xdotool", ["key", "Return"]);
  }
  return win;
}

/** Types `path` into the native GTK save dialog of the one-time download. */
export async function saveInGtkDialog(path, options = {}) {
  return chooseInGtkDialog("Save the private key", path, { ...options, location: false });
}

/** Presses Escape in the GTK save dialog (the user cancels it). */
export async function cancelGtkDialog({ timeout = TIMEOUT } = {}) {
  await gtkDialog("Save the private key", timeout);
  execFileSync("xdotool", ["key", "Escape"]);
}

/** Picks an option of a select (the Select primitive, a native select) found
 *  by CSS, by the option's visible text, as a person does with the mouse. */
export async function choose(driver, selectCss, optionText) {
  const select = await find(driver, `${selectCss} select`);
  const option = await findText(driver, `${selectCss} option`, optionText);
  await option.click();
  await driver.wait(
    async () => (await select.getAttribute("value")) === (await option.getAttribute("value")),
    TIMEOUT,
    `${optionText} not chosen`,
  );
}

/** Picks Production or Sandbox in the API Portal's Environment menu. */
export async function selectEnvironment(driver, env) {
  await choose(driver, "[data-testid=environment]", env === "production" ? "Production" : "Sandbox");
}

/** Opens a page through the left menu: MENU › ITEM (e.g. "system", "Services Sandbox"). */
export async function openPage(driver, menu, item) {
  await click(driver, `[data-testid=menu-${menu}]`);
  const link = await findText(driver, ".admin__menu-flyout [role=menuitem]", item);
  await link.click();
  await findText(driver, ".page-title", item === "API Portal" ? "API Portal" : item);
}

/** The element that has the keyboard focus. */
export function focused(driver) {
  return driver.switchTo().activeElement();
}

/** Presses Tab (Shift+Tab with `back`) until the focused element matches
 *  `css` (or sits inside an element that does); fails after `max` presses. */
export async function tabTo(driver, css, { back = false, max = 40 } = {}) {
  for (let i = 0; i < max; i++) {
    const there = await driver.executeScript(
      "const el = document.activeElement; return Boolean(el && (el.matches(arguments[0]) || el.closest(arguments[0])));",
      css,
    );
    if (there) return focused(driver);
    // Not Key.chord: WebKitWebDriver types the chord's closing NULL (U+E000)
    // into a text field as a character.
    if (back) await driver.actions().keyDown(Key.SHIFT).sendKeys(Key.TAB).keyUp(Key.SHIFT).perform();
    else await press(driver, Key.TAB);
  }
  throw new Error(`Tab never reached ${css}`);
}

/** Presses keys as a person would, into whatever has the focus. */
export async function press(driver, ...keys) {
  await driver
    .actions()
    .sendKeys(...keys)
    .perform();
}
