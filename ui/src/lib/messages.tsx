// The Admin's message area: success, error, warning and notice messages
// under the page header. Errors show the engine's code for support.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { toKeyportError } from "./api";

export type MessageKind = "success" | "error" | "warning" | "notice";

export interface Message {
  id: number;
  kind: MessageKind;
  text: string;
  code?: string;
}

interface MessagesApi {
  messages: Message[];
  success(text: string): void;
  error(e: unknown): void;
  warning(text: string): void;
  notice(text: string): void;
  dismiss(id: number): void;
  clear(): void;
}

const MessagesContext = createContext<MessagesApi | null>(null);

let nextId = 1;

export function MessagesProvider({ children }: { children: ReactNode }) {
  const [messages, setMessages] = useState<Message[]>([]);
  const push = useCallback((kind: MessageKind, text: string, code?: string) => {
    // One message per kind: a new result replaces the previous one.
    setMessages((all) => [...all.filter((m) => m.kind !== kind), { id: nextId++, kind, text, code }]);
  }, []);
  const api = useMemo<MessagesApi>(
    () => ({
      messages,
      success: (text) => {
        setMessages((all) => all.filter((m) => m.kind !== "error"));
        push("success", text);
      },
      error: (e) => {
        const err = toKeyportError(e);
        setMessages((all) => all.filter((m) => m.kind !== "success"));
        push("error", err.message, err.code);
      },
      warning: (text) => push("warning", text),
      notice: (text) => push("notice", text),
      dismiss: (id) => setMessages((all) => all.filter((m) => m.id !== id)),
      clear: () => setMessages([]),
    }),
    [messages, push],
  );
  return <MessagesContext.Provider value={api}>{children}</MessagesContext.Provider>;
}

export function useMessages(): MessagesApi {
  const ctx = useContext(MessagesContext);
  if (!ctx) throw new Error("useMessages outside MessagesProvider");
  return ctx;
}

export function Messages({ sticky = [] }: { sticky?: Message[] }) {
  const { messages, dismiss } = useMessages();
  const ref = useRef<HTMLDivElement>(null);
  const newest = messages.at(-1)?.id;
  // A new message may answer a button far down the page: bring it into view.
  useEffect(() => {
    if (newest !== undefined) ref.current?.scrollIntoView?.({ block: "nearest" });
  }, [newest]);
  const all = [...sticky, ...messages];
  if (all.length === 0) return null;
  return (
    <div className="messages" ref={ref}>
      {all.map((m) => (
        <div
          key={m.id}
          className={`message message-${m.kind} ${m.kind}`}
          role={m.kind === "error" ? "alert" : "status"}
          data-code={m.code}
        >
          <div className="message-text">{m.text}</div>
          {m.code && <span className="message-code">{m.code}</span>}
          {m.id > 0 && (
            <button type="button" className="message-close" aria-label="Dismiss" onClick={() => dismiss(m.id)}>
              ×
            </button>
          )}
        </div>
      ))}
    </div>
  );
}
