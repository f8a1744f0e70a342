import { useEffect, type ReactNode } from "react";

/** The Admin's modal popup. Escape or × calls onClose unless it is busy. */
export function Modal({
  title,
  children,
  footer,
  onClose,
  testId,
}: {
  title: string;
  children: ReactNode;
  footer: ReactNode;
  onClose?: () => void;
  testId?: string;
}) {
  useEffect(() => {
    if (!onClose) return;
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);
  return (
    <div className="modals-overlay">
      <div className="modal-popup" role="dialog" aria-modal="true" aria-label={title} data-testid={testId}>
        <header className="modal-header">
          <h1 className="modal-title">{title}</h1>
          {onClose && (
            <button type="button" className="action-close" aria-label="Close" onClick={onClose}>
              ×
            </button>
          )}
        </header>
        <div className="modal-content">{children}</div>
        <footer className="modal-footer">{footer}</footer>
      </div>
    </div>
  );
}
