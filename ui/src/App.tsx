// The app: loads the overview, shows the first-run form on a fresh home and
// the Admin shell's pages (a lazily loaded chunk) afterwards.
import { lazy, Suspense, useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import type { ErrorBody } from "./bindings/ErrorBody";
import type { Overview } from "./bindings/Overview";
import { MessageBox } from "./components/Messages";
import { api, toKeyportError } from "./lib/api";
import { AppContext } from "./lib/app";
import { MessagesProvider, useMessages } from "./lib/messages";
import { navigate } from "./lib/router";
import { reportPainted } from "./lib/startup";
import { FirstRun } from "./pages/FirstRun";

// Everything behind the first-run form: parsed only when an account exists.
const Pages = lazy(() => import("./Pages"));

/** `first`: the overview already asked for at start (main.tsx), used once. */
export function App({ first }: { first?: Promise<Overview> }) {
  return (
    <MessagesProvider>
      <Root first={first} />
    </MessagesProvider>
  );
}

function Root({ first }: { first?: Promise<Overview> }) {
  const [overview, setOverview] = useState<Overview | null>(null);
  const [fatal, setFatal] = useState<ErrorBody | null>(null);
  const messages = useMessages();
  const early = useRef(first);

  const refresh = useCallback(() => {
    const asked = early.current ?? api.overview();
    early.current = undefined;
    return asked.then(setOverview, (e: unknown) => {
      setFatal(toKeyportError(e));
    });
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  // The first screen is on the glass: what start-up deferred may begin.
  // A layout effect: it runs as soon as the DOM holds the first screen, so
  // the two frames reportPainted waits for are the ones that paint it. The
  // Admin pages report it themselves, once their chunk has rendered.
  const ownScreen = fatal !== null || (overview !== null && !overview.accounts.some((a) => a.is_current));
  useLayoutEffect(() => {
    if (ownScreen) void reportPainted();
  }, [ownScreen]);

  if (fatal) {
    return (
      <main className="fatal" data-code={fatal.code}>
        <h1>Keyport cannot open its home</h1>
        <MessageBox kind="error" text={fatal.message} code={fatal.code} />
      </main>
    );
  }
  if (!overview) return null;

  const current = overview.accounts.find((a) => a.is_current) ?? null;
  if (!current) {
    return (
      <FirstRun
        catalog={overview.catalog}
        onCreated={async () => {
          messages.clear();
          await refresh();
          navigate("/api-portal");
        }}
        onImported={async () => {
          await refresh();
          navigate("/api-portal");
        }}
      />
    );
  }
  return (
    <AppContext.Provider value={{ overview, current, refresh }}>
      <Suspense fallback={null}>
        <Pages />
      </Suspense>
    </AppContext.Provider>
  );
}
