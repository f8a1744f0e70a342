// App-wide state: the overview (accounts, keychain, catalog) and the
// current account, refreshed after every change.
import { createContext, useContext } from "react";
import type { Account } from "../bindings/Account";
import type { Overview } from "../bindings/Overview";

export interface AppContextValue {
  overview: Overview;
  current: Account | null;
  refresh: () => Promise<void>;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const ctx = useContext(AppContext);
  if (!ctx) throw new Error("useApp outside AppContext");
  return ctx;
}

export function labelOf<T extends string>(choices: { value: T; label: string }[], value: T): string {
  return choices.find((c) => c.value === value)?.label ?? value;
}
