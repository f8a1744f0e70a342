// Timings `make bench` reads back over WebDriver (issue 13): from a
// navigation, a search or a page change until the grid shows its result.
// They are Performance API entries, kept in this window only.

/** Marks the start of something the user waits for (or, for `answered`
 *  below, when its data came). Only the latest mark of a name is read, so
 *  the older one goes: a long session does not pile them up. */
export function mark(name: string) {
  performance.clearMarks(name);
  performance.mark(name);
}

/** Measures `name` from the latest `from` mark, in up to four stages; call it
 *  from a layout effect, when the DOM holds the result but no frame has
 *  shown it yet. Each mark is measured once.
 *  - `${name} answered`: when the data arrived, if `answered` names the
 *    mark the caller set then;
 *  - `${name} rendered`: now (React has committed the result);
 *  - `name`: the frame that shows it is painted — a task queued from that
 *    frame's animation callback runs once the frame's rendering is done;
 *  - `${name} next frame`: the frame after (two animation frames, the
 *    most conservative reading, late by up to a frame's idle time). */
export function measurePainted(name: string, from: string, answered?: string) {
  if (performance.getEntriesByName(from, "mark").length === 0) return;
  const start = performance.getEntriesByName(from, "mark").at(-1)?.startTime ?? 0;
  performance.clearMarks(from);
  // When the Rust side's answer arrived (`answered`, marked by the caller).
  const end = answered ? performance.getEntriesByName(answered, "mark").at(-1)?.startTime : undefined;
  if (end !== undefined && end >= start) performance.measure(`${name} answered`, { start, end });
  performance.measure(`${name} rendered`, { start });
  requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => performance.measure(name, { start });
    channel.port2.postMessage(null);
    requestAnimationFrame(() => performance.measure(`${name} next frame`, { start }));
  });
}
