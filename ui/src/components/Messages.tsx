// The message area under the page header: the current page's messages plus
// sticky ones (e.g. "the keychain is not reachable"). Errors show the
// engine's code for support.
import { useEffect, useRef } from "react";
import type { ErrorCode } from "../bindings/ErrorCode";
import { useMessages, type MessageKind } from "../lib/messages";
import { usePage } from "../lib/router";
import { Button } from "./Button";

export interface StickyMessage {
  id: string;
  kind: MessageKind;
  text: string;
}

export function Messages({ sticky = [] }: { sticky?: StickyMessage[] }) {
  const { messages, dismiss } = useMessages();
  const route = usePage();
  const ref = useRef<HTMLDivElement>(null);
  const shown = messages.filter((m) => m.route === route);
  const newest = shown.at(-1)?.id;
  // A new message may answer a button far down the page: bring it into view.
  useEffect(() => {
    if (newest !== undefined) ref.current?.scrollIntoView({ block: "nearest" });
  }, [newest]);
  if (shown.length === 0 && sticky.length === 0) return null;
  return (
    <div className="messages" ref={ref}>
      {sticky.map((m) => (
        <MessageBox key={m.id} kind={m.kind} text={m.text} />
      ))}
      {shown.map((m) => (
        <MessageBox key={m.id} kind={m.kind} text={m.text} code={m.code} onDismiss={() => dismiss(m.id)} />
      ))}
    </div>
  );
}

/** One message, also used inside dialogs. */
export function MessageBox({
  kind,
  text,
  code,
  onDismiss,
}: {
  kind: MessageKind;
  text: string;
  code?: ErrorCode;
  onDismiss?: () => void;
}) {
  return (
    <div className={`message message-${kind}`} role={kind === "error" ? "alert" : "status"} data-code={code}>
      <div className="message-text">{text}</div>
      {code && <span className="message-code">{code}</span>}
      {onDismiss && (
        <Button variant="close" className="message-close" aria-label="Dismiss message" onPress={onDismiss}>
          ×
        </Button>
      )}
    </div>
  );
}
