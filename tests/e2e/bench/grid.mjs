// The key grid and the Activity Log at scale (issue 13), in the real window:
// a home with 10,000 keys across two accounts and both environments and
// 100,000 activity entries (crates/engine/examples/bench_fixture.rs), opened
// in the debug app; the page's Performance API measures (ui/src/lib/perf.ts:
// from the navigation, keystroke or page change until the result is
// painted) are read back over WebDriver. Not a test: make bench prints it.
//   node bench/grid.mjs HOME
import { By, findText, startDriver } from "../lib/app.mjs";

const home = process.argv[2];
const ROUNDS = Number(process.env.KEYPORT_BENCH_ROUNDS ?? 10);

const measures = (app, name) =>
  app.executeScript(`return performance.getEntriesByName(${JSON.stringify(name)}, "measure").map((e) => e.duration);`);

async function waitForMeasures(app, name, count) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const all = await measures(app, name);
    if (all.length >= count) return all;
    if (Date.now() > deadline) throw new Error(`${name}: ${all.length} of ${count} measures`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const ms = (v) => `${v.toFixed(1)} ms`;

const driver = await startDriver();
try {
  const app = await driver.session(home);
  await findText(app, ".page-title", "API Portal");

  // Opening the API Portal: away to another page, and back.
  for (let i = 1; i <= ROUNDS; i++) {
    await app.executeScript("window.location.hash = '#/instances'");
    await findText(app, ".page-title", "Instances");
    await app.executeScript("window.location.hash = '#/api-portal'");
    await waitForMeasures(app, "api-portal-open", i);
  }

  // A search narrowing the grid, keystroke by keystroke.
  const input = await app.findElement(By.css("input[name=search]"));
  const term = "agency key 01";
  // A keystroke that leaves the trimmed query as it was (the space) asks
  // nothing, so it adds no measure.
  let typed = "";
  let searches = 0;
  for (const ch of term) {
    await input.sendKeys(ch);
    if ((typed + ch).trim() !== typed.trim()) await waitForMeasures(app, "api-portal-search", ++searches);
    typed += ch;
  }
  const rows = await app.findElements(By.css("[data-key-id]"));

  // Paging through the whole (unfiltered) list.
  await input.clear();
  await app.executeScript("window.location.hash = '#/instances'");
  await findText(app, ".page-title", "Instances");
  await app.executeScript("window.location.hash = '#/api-portal'");
  await waitForMeasures(app, "api-portal-open", ROUNDS + 1);
  const next = await app.findElement(By.css("[aria-label='Next page']"));
  for (let i = 1; i <= ROUNDS; i++) {
    await next.click();
    await waitForMeasures(app, "api-portal-page", i);
  }

  // The Activity Log with 100,000 entries.
  for (let i = 1; i <= ROUNDS; i++) {
    await app.executeScript("window.location.hash = '#/instances'");
    await findText(app, ".page-title", "Instances");
    await app.executeScript("window.location.hash = '#/activity'");
    await waitForMeasures(app, "activity-open", i);
  }

  // The conservative "next frame" reading lands a frame after the others.
  await new Promise((r) => setTimeout(r, 200));
  const stages = async (name) => ({
    answered: await measures(app, `${name} answered`),
    rendered: await measures(app, `${name} rendered`),
    painted: await measures(app, name),
    next: await measures(app, `${name} next frame`),
  });
  const line = async (what, name, target) => {
    const { answered, rendered, painted, next } = await stages(name);
    const data = answered.length ? `data ${ms(median(answered))}, ` : "";
    console.log(
      `  ${what.padEnd(40)} painted: median ${ms(median(painted))}, max ${ms(Math.max(...painted))}` +
        `   (${data}rendered ${ms(median(rendered))}, next frame ${ms(median(next))})${target ? `   target ${target}` : ""}`,
    );
  };
  console.log(`key grid at 10,000 keys, activity log at 100,000 entries (debug app, real window), ${ROUNDS} rounds:`);
  await line("API Portal opens (first page of 20)", "api-portal-open", "< 100 ms");
  await line(`search narrows it, per keystroke`, "api-portal-search", `< 30 ms ("${term}": ${rows.length} rows)`);
  await line("next page", "api-portal-page", "");
  await line("Activity Log opens (first page of 50)", "activity-open", "< 100 ms");
} finally {
  await driver.stop();
}
