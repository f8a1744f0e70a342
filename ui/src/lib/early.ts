// The first question of a start, asked before React and the pages' modules
// evaluate (main.tsx imports this module first): the overview's round trip
// to SQLite then overlaps the rest of the script's evaluation and React's
// first render instead of following them.
import type { Overview } from "../bindings/Overview";
import { api } from "./api";

export const firstOverview: Promise<Overview> = api.overview();
// Handled where App takes it; this only keeps a failure from being
// reported as unhandled before then.
firstOverview.catch(() => undefined);
