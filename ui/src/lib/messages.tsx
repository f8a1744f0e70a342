// The Admin's message area state: success, error, warning and notice
// messages under the page header. A message belongs to the page (route) it
// was posted on: a page shows only its own, and moving to another page
// drops the rest (in the hashchange event, never during a render).
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import type { ErrorCode } from "../bindings/ErrorCode";
import { toKeyportError } from "./api";
import { isWarning } from "./errors";
import { currentPage } from "./router";

export type MessageKind = "success" | "error" | "warning" | "notice";

export interface Message {
  id: number;
  kind: MessageKind;
  text: string;
  code?: ErrorCode;
  route: string;
}

interface MessagesApi {
  messages: Message[];
  success: (text: string) => void;
  /** Shows a failure; codes the user can simply retry show as warnings. */
  error: (e: unknown) => void;
  warning: (text: string) => void;
  notice: (text: string) => void;
  dismiss: (id: number) => void;
  clear: () => void;
}

const MessagesContext = createContext<MessagesApi | null>(null);

let nextId = 1;

export function MessagesProvider({ children }: { children: ReactNode }) {
  const [messages, setMessages] = useState<Message[]>([]);
  const push = useCallback((kind: MessageKind, text: string, code?: ErrorCode, replaces: MessageKind[] = []) => {
    const route = currentPage();
    // One message per kind on a page: a new result replaces the previous one.
    setMessages((all) => [
      ...all.filter((m) => m.route === route && m.kind !== kind && !replaces.includes(m.kind)),
      { id: nextId++, kind, text, code, route },
    ]);
  }, []);
  useEffect(() => {
    const dropOthers = () => {
      const route = currentPage();
      setMessages((all) => (all.every((m) => m.route === route) ? all : all.filter((m) => m.route === route)));
    };
    window.addEventListener("hashchange", dropOthers);
    return () => window.removeEventListener("hashchange", dropOthers);
  }, []);
  // The actions never change, so effects may depend on them.
  const actions = useMemo<Omit<MessagesApi, "messages">>(
    () => ({
      success: (text) => push("success", text, undefined, ["error", "warning"]),
      error: (e) => {
        const err = toKeyportError(e);
        push(isWarning(err.code) ? "warning" : "error", err.message, err.code, ["success"]);
      },
      warning: (text) => push("warning", text),
      notice: (text) => push("notice", text),
      dismiss: (id) => setMessages((all) => all.filter((m) => m.id !== id)),
      clear: () => setMessages([]),
    }),
    [push],
  );
  const api = useMemo<MessagesApi>(() => ({ ...actions, messages }), [actions, messages]);
  return <MessagesContext.Provider value={api}>{children}</MessagesContext.Provider>;
}

export function useMessages(): MessagesApi {
  const ctx = useContext(MessagesContext);
  if (!ctx) throw new Error("useMessages outside MessagesProvider");
  return ctx;
}
