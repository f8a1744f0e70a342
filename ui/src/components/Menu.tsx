// Menus on react-aria-components: a trigger button and a popover menu with
// arrow keys, Home/End, typeahead and Escape. Items either act (onAction)
// or navigate (href).
import type { ReactNode } from "react";
import {
  Button as AriaButton,
  Header,
  Menu as AriaMenu,
  MenuItem as AriaMenuItem,
  MenuSection as AriaMenuSection,
  MenuTrigger,
  Popover,
  Separator,
  type Key,
  type PopoverProps,
} from "react-aria-components";

export function Menu({
  trigger,
  label,
  title,
  children,
  onAction,
  triggerClassName,
  popoverClassName = "admin__menu-popover",
  menuClassName = "admin__menu-list",
  placement = "bottom end",
  testId,
  isOpen,
  onOpenChange,
  triggerLabel,
}: {
  trigger: ReactNode;
  /** The trigger's accessible name, when its text alone is not enough. */
  triggerLabel?: string;
  /** Names the menu for assistive technology. */
  label: string;
  /** A heading at the top of the popover (the Admin's flyout title). */
  title?: string;
  children: ReactNode;
  onAction?: (key: Key) => void;
  triggerClassName?: string;
  popoverClassName?: string;
  menuClassName?: string;
  placement?: PopoverProps["placement"];
  testId?: string;
  isOpen?: boolean;
  onOpenChange?: (open: boolean) => void;
}) {
  return (
    <MenuTrigger isOpen={isOpen} onOpenChange={onOpenChange}>
      <AriaButton className={triggerClassName} data-testid={testId} aria-label={triggerLabel}>
        {trigger}
      </AriaButton>
      <Popover className={popoverClassName} placement={placement} offset={0}>
        {title && (
          <strong className="admin__menu-title" aria-hidden="true">
            {title}
          </strong>
        )}
        <AriaMenu className={menuClassName} aria-label={label} onAction={onAction}>
          {children}
        </AriaMenu>
      </Popover>
    </MenuTrigger>
  );
}

export function MenuItem({
  id,
  children,
  href,
  textValue,
  isCurrent,
}: {
  id: string;
  children: ReactNode;
  href?: string;
  textValue?: string;
  isCurrent?: boolean;
}) {
  return (
    <AriaMenuItem
      id={id}
      href={href}
      textValue={textValue}
      className={isCurrent ? "admin__menu-item _current" : "admin__menu-item"}
      aria-current={isCurrent ? "page" : undefined}
    >
      {children}
    </AriaMenuItem>
  );
}

export function MenuSection({ title, children }: { title?: string; children: ReactNode }) {
  return (
    <AriaMenuSection className="admin__menu-section">
      {title && <Header className="admin__menu-section-title">{title}</Header>}
      {children}
    </AriaMenuSection>
  );
}

export function MenuSeparator() {
  return <Separator className="admin__menu-separator" />;
}

/** The Admin grid's per-row "Select ▾" action menu. */
export function RowActions({
  label,
  actions,
  testId = "row-actions",
}: {
  /** Names the row, e.g. "Actions for staging CI". */
  label: string;
  actions: { id: string; label: string; onAction: () => void }[];
  testId?: string;
}) {
  if (actions.length === 0) return null;
  return (
    <Menu
      label={label}
      testId={testId}
      trigger={
        <>
          Select
          <span className="row-actions-arrow" aria-hidden="true" />
        </>
      }
      triggerClassName="row-actions"
      placement="bottom end"
      onAction={(key) => actions.find((a) => a.id === key)?.onAction()}
    >
      {actions.map((a) => (
        <MenuItem key={a.id} id={a.id}>
          {a.label}
        </MenuItem>
      ))}
    </Menu>
  );
}
