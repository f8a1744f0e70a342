// The Admin's modal, on react-aria-components: focus moves into the dialog
// (to the element marked autoFocus, else the dialog), stays there, and
// returns to what opened it; the page behind is hidden from assistive
// technology. Escape and × close it only when `onClose` is given and the
// dialog is not `locked` (the one-time download must be answered).
import type { ReactNode } from "react";
import { Dialog as AriaDialog, FormContext, Heading, Modal, ModalOverlay } from "react-aria-components";
import { Button } from "./Button";

export interface DialogProps {
  title: string;
  children: ReactNode;
  footer?: ReactNode;
  /** Escape and × call this; leave it out for a dialog that must be answered. */
  onClose?: () => void;
  /** Escape and × stay off even with onClose (e.g. while busy). */
  locked?: boolean;
  testId?: string;
  role?: "dialog" | "alertdialog";
}

export function Dialog({ title, children, footer, onClose, locked, testId, role = "dialog" }: DialogProps) {
  const closable = Boolean(onClose) && !locked;
  return (
    <ModalOverlay
      className="modals-overlay"
      isOpen
      isDismissable={false}
      isKeyboardDismissDisabled={!closable}
      onOpenChange={(open) => {
        if (!open && closable) onClose?.();
      }}
    >
      <Modal className="modal-popup">
        {/* A Form passes all its props (onSubmit too) to the Forms inside it,
            portals included: a dialog opened from a page form starts afresh,
            so submitting the dialog's form does not submit the page. */}
        <FormContext.Provider value={null}>
          <AriaDialog className="modal-dialog" role={role} data-testid={testId}>
            <header className="modal-header">
              <Heading slot="title" className="modal-title">
                {title}
              </Heading>
              {closable && (
                <Button variant="close" aria-label="Close" onPress={onClose}>
                  ×
                </Button>
              )}
            </header>
            <div className="modal-content">{children}</div>
            {footer && <footer className="modal-footer">{footer}</footer>}
          </AriaDialog>
        </FormContext.Provider>
      </Modal>
    </ModalOverlay>
  );
}
