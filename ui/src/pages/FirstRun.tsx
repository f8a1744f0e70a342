// A fresh install: the license holder creates their account first.
import type { Catalog } from "../bindings/Catalog";
import { Messages } from "../components/Messages";
import logo from "../logo.svg";
import { AccountForm } from "./AccountForm";

export function FirstRun({ catalog, onCreated }: { catalog: Catalog; onCreated: () => Promise<void> }) {
  return (
    <main className="first-run">
      <div className="first-run-panel" data-testid="first-run">
        <div className="logo">
          <img src={logo} alt="" />
          Keyport
        </div>
        <h1>Create your account</h1>
        <p className="intro">
          Keyport creates and guards the Commerce Services API keys of a Commerce account. Start with the account of the
          license holder, identified by its MageID.
        </p>
        <Messages />
        <AccountForm catalog={catalog} formId="first-run-form" onCreated={onCreated} />
      </div>
    </main>
  );
}
