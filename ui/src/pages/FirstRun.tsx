// A fresh install: the license holder creates their account; an integrator
// instead imports the key bundle a license holder sent (the bundle's account
// becomes this workstation's client account).
import { lazy, Suspense, useState } from "react";
import type { Catalog } from "../bindings/Catalog";
import { Button } from "../components/Button";
import { Messages } from "../components/Messages";
import logo from "../logo.svg";
import { AccountForm } from "./AccountForm";

const FirstRunImport = lazy(() => import("./FirstRunImport"));

export function FirstRun({
  catalog,
  onCreated,
  onImported,
}: {
  catalog: Catalog;
  onCreated: () => Promise<void>;
  onImported: () => Promise<void>;
}) {
  const [importing, setImporting] = useState(false);
  return (
    <main className="first-run">
      <div
        className={importing ? "first-run-panel first-run-wide" : "first-run-panel"}
        data-testid={importing ? "first-run-import" : "first-run"}
      >
        <div className="logo">
          <img src={logo} alt="" />
          Keyport
        </div>
        {importing ? (
          <>
            <h1>Import keys you received</h1>
            <p className="intro">
              An integrator receives keys from the license holder as a key bundle. Send the license holder this
              workstation&apos;s public key, then open the bundle they made for it.
            </p>
            <Messages />
            <Suspense fallback={<p className="admin__field-note">Loading…</p>}>
              <FirstRunImport catalog={catalog} onImported={() => void onImported()} />
            </Suspense>
            <p className="first-run-switch">
              License holder?{" "}
              <Button variant="tertiary" onPress={() => setImporting(false)} data-testid="first-run-create">
                Create your account instead
              </Button>
            </p>
          </>
        ) : (
          <>
            <h1>Create your account</h1>
            <p className="intro">
              Keyport creates and guards the Commerce Services API keys of a Commerce account. Start with the account of
              the license holder, identified by its MageID.
            </p>
            <Messages />
            <AccountForm catalog={catalog} formId="first-run-form" onCreated={onCreated} />
            <p className="first-run-switch">
              Received keys from a license holder?{" "}
              <Button variant="tertiary" onPress={() => setImporting(true)} data-testid="first-run-import-bundle">
                Import a key bundle instead
              </Button>
            </p>
          </>
        )}
      </div>
    </main>
  );
}
