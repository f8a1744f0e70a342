// The app's start, in two steps: the first screen is painted from SQLite
// alone, then the app tells the Rust side (which starts the key pool and
// the keychain's clean-up only now) and asks for the keychain's status.
import { useEffect, useState } from "react";
import type { KeychainStatus } from "../bindings/KeychainStatus";
import { api } from "./api";

let painted: Promise<void> | null = null;

/** Reports, once, that the first screen is on the glass: two animation
 *  frames after the call, so the DOM just rendered has been painted. */
export function reportPainted(): Promise<void> {
  painted ??= new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())))
    .then(() => api.painted())
    .then(
      () => undefined,
      () => undefined,
    );
  return painted;
}

/** The keychain's status, asked once the first screen is painted (null until then). */
export function useKeychainStatus(): KeychainStatus | null {
  const [status, setStatus] = useState<KeychainStatus | null>(null);
  useEffect(() => {
    let live = true;
    void reportPainted()
      .then(() => api.keychainStatus())
      .then(
        (s) => {
          if (live) setStatus(s);
        },
        (e: unknown) => {
          if (live) setStatus({ available: false, message: e instanceof Error ? e.message : String(e) });
        },
      );
    return () => {
      live = false;
    };
  }, []);
  return status;
}
