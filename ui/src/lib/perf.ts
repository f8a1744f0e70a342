// Timings `make bench` reads back over WebDriver (issue 13): from a
// navigation, a search or a page change until the grid has painted its
// result. They are Performance API entries, kept in this window only.

/** Marks the start of something the user waits for. */
export function mark(name: string) {
  performance.mark(name);
}

/** Measures `name` from the latest `from` mark to the frame that paints
 *  what was just rendered (two animation frames later); each mark is
 *  measured once. */
export function measurePainted(name: string, from: string) {
  if (performance.getEntriesByName(from, "mark").length === 0) return;
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      if (performance.getEntriesByName(from, "mark").length === 0) return;
      performance.measure(name, from);
      performance.clearMarks(from);
    }),
  );
}
