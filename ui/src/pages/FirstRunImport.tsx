// The first run's "Import a key bundle instead": a chunk of its own, as the
// bundle import pulls in the Key Bundles page's script.
import type { Catalog } from "../bindings/Catalog";
import { IdentityFieldset, ImportBundle } from "./KeyBundles";

export default function FirstRunImport({ catalog, onImported }: { catalog: Catalog; onImported: () => void }) {
  return (
    <>
      <IdentityFieldset replaceable={false} />
      <div className="first-run-open">
        <ImportBundle catalog={catalog} onImported={onImported} />
      </div>
    </>
  );
}
