// The grid's status badges (the Admin's grid-severity styles).
import type { ReactNode } from "react";

export type BadgeTone = "notice" | "minor" | "critical" | "neutral";

export function Badge({ tone, children, title }: { tone: BadgeTone; children: ReactNode; title?: string }) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}
