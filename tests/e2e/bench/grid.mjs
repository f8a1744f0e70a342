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
  const open = await measures(app, "api-portal-open");

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
  const search = await measures(app, "api-portal-search");
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
  const paging = await measures(app, "api-portal-page");

  // The Activity Log with 100,000 entries.
  for (let i = 1; i <= ROUNDS; i++) {
    await app.executeScript("window.location.hash = '#/instances'");
    await findText(app, ".page-title", "Instances");
    await app.executeScript("window.location.hash = '#/activity'");
    await waitForMeasures(app, "activity-open", i);
  }
  const activity = await measures(app, "activity-open");

  console.log(`key grid at 10,000 keys, activity log at 100,000 entries (debug app, real window), ${ROUNDS} rounds:`);
  console.log(
    `  API Portal opens (first page painted)   median ${ms(median(open))}   max ${ms(Math.max(...open))}   (target < 100 ms)`,
  );
  console.log(
    `  search narrows it (per keystroke)       median ${ms(median(search))}   max ${ms(Math.max(...search))}   (target < 30 ms; "${term}": ${rows.length} rows)`,
  );
  console.log(
    `  next page                               median ${ms(median(paging))}   max ${ms(Math.max(...paging))}`,
  );
  console.log(
    `  Activity Log opens (first page painted) median ${ms(median(activity))}   max ${ms(Math.max(...activity))}   (target < 100 ms)`,
  );
} finally {
  await driver.stop();
}
