// Help › About Keyport: the version, where the home and the log are, the
// keychain and the sandbox, and the `keyport doctor` checks; Copy
// diagnostics puts all of it (no secret is among it) on the clipboard for
// a support request.
import { useEffect, useState } from "react";
import type { About } from "../bindings/About";
import { Badge } from "../components/Badge";
import { Button } from "../components/Button";
import { ReadOnlyField } from "../components/Field";
import { Fieldset } from "../components/Fieldset";
import { api } from "../lib/api";
import { copyText } from "../lib/clipboard";
import { useMessages } from "../lib/messages";

export function AboutPage() {
  const messages = useMessages();
  const { error: showError } = messages;
  const [about, setAbout] = useState<About | null>(null);
  useEffect(() => {
    let live = true;
    api.about().then(
      (a) => {
        if (!live) return;
        setAbout(a);
      },
      (e: unknown) => {
        if (live) showError(e);
      },
    );
    return () => {
      live = false;
    };
  }, [showError]);
  if (!about) return <p aria-busy="true">Checking Keyport…</p>;
  return (
    <>
      <Fieldset title="Keyport">
        <ReadOnlyField label="Version" testId="about-version">
          {about.version}
        </ReadOnlyField>
        {about.platform.map((p) => (
          <ReadOnlyField key={p.label} label={p.label}>
            {p.value}
          </ReadOnlyField>
        ))}
        <ReadOnlyField label="Keyport home" code testId="about-home">
          {about.home}
        </ReadOnlyField>
        <ReadOnlyField
          label="Log file"
          code
          testId="about-log"
          note="A new file each day; the last 7 are kept. It never holds a private key."
        >
          {about.log_file ?? "None: there is no state folder to write it in."}
        </ReadOnlyField>
        <ReadOnlyField label="Keychain" testId="about-keychain">
          {about.keychain.available ? (
            <Badge tone="notice">Available</Badge>
          ) : (
            <Badge tone="critical">{about.keychain.message ?? "Not available"}</Badge>
          )}
        </ReadOnlyField>
        <ReadOnlyField label="Sandbox" code testId="about-sandbox">
          {about.sandbox.gateway_url ?? about.sandbox.error ?? "Not running"}
        </ReadOnlyField>
      </Fieldset>
      <Fieldset
        title="Diagnostics"
        comment="The checks keyport doctor makes. Copy diagnostics puts them, with the versions above, on the clipboard for a support request."
      >
        <ul className="doctor-checks" data-testid="about-checks">
          {about.checks.map((c) => (
            <li key={c.name}>
              <Badge tone={c.ok ? "notice" : "critical"}>{c.ok ? "OK" : "Failed"}</Badge>{" "}
              <span className="doctor-check-name">{c.name}</span> {c.detail}
            </li>
          ))}
        </ul>
        <Button
          data-testid="copy-diagnostics"
          onPress={() =>
            copyText(about.report).then(
              () => messages.notice("The diagnostics were copied to the clipboard."),
              (e: unknown) => messages.error(e),
            )
          }
        >
          Copy Diagnostics
        </Button>
      </Fieldset>
    </>
  );
}
