// Dates as people read them: local time, with the stored ISO value kept for
// hover titles; ages in the largest whole unit. The formatters are made
// once: toLocaleString with options builds a new Intl.DateTimeFormat on
// every call, which costs WebKit about 0.3 ms — a grid page has dozens.

const DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });
const DAY = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });

/** "2026-11-22T15:55:09.185Z" → local "Nov 22, 2026, 4:55:09 PM". */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return DATE_TIME.format(d);
}

/** "2026-11-22T15:55:09.185Z" → local "Nov 22, 2026": for grids, with the full time on hover. */
export function formatDay(iso: string | null | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return DAY.format(d);
}

const UNITS: [number, string][] = [
  [365 * 86_400, "year"],
  [86_400, "day"],
  [3_600, "hour"],
  [60, "minute"],
];

/** How long ago `iso` was: "3 days", "1 hour", "less than a minute". */
export function age(iso: string, now: Date = new Date()): string {
  const seconds = Math.max(0, (now.getTime() - new Date(iso).getTime()) / 1000);
  if (Number.isNaN(seconds)) return "";
  for (const [size, unit] of UNITS) {
    if (seconds >= size) {
      const n = Math.floor(seconds / size);
      return `${n} ${unit}${n === 1 ? "" : "s"}`;
    }
  }
  return "less than a minute";
}
