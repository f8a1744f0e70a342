// Menus on react-aria-components: a trigger button and a popover menu with
// arrow keys, Home/End, typeahead and Escape. Items either act (onAction)
// or navigate (href).
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
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

interface RowMenu {
  /** The row's trigger the menu opens from (and gives the focus back to). */
  trigger: HTMLElement;
  label: string;
  actions: RowAction[];
  focus: "first" | "last";
}

export interface RowAction {
  id: string;
  label: string;
  onAction: () => void;
}

const OpenRowMenu = createContext<((menu: RowMenu) => void) | null>(null);
const OpenRowTrigger = createContext<HTMLElement | null>(null);

/** One action menu for all the rows of a grid (DataGrid hosts it). Each row
 *  holds only a light trigger, a native button, and this popover opens from
 *  whichever was pressed: twenty react-aria menu triggers cost ~10 ms of
 *  every page of a grid in WebKit (issue 13). */
export function RowActionsHost({ children }: { children: ReactNode }) {
  const [menu, setMenu] = useState<RowMenu | null>(null);
  const triggerRef = useMemo(() => ({ current: menu?.trigger ?? null }), [menu]);
  const close = useCallback(() => setMenu(null), []);
  return (
    <OpenRowMenu.Provider value={setMenu}>
      <OpenRowTrigger.Provider value={menu?.trigger ?? null}>{children}</OpenRowTrigger.Provider>
      {menu && (
        <Popover
          className="admin__menu-popover"
          // Named like the menu it holds, as react-aria's MenuTrigger names its popover.
          aria-label={menu.label}
          trigger="MenuTrigger"
          triggerRef={triggerRef}
          isOpen
          onOpenChange={(open) => {
            if (!open) close();
          }}
          placement="bottom end"
          offset={0}
        >
          <AriaMenu
            className="admin__menu-list"
            aria-label={menu.label}
            autoFocus={menu.focus}
            onClose={close}
            onAction={(key) => menu.actions.find((a) => a.id === key)?.onAction()}
          >
            {menu.actions.map((a) => (
              <MenuItem key={a.id} id={a.id}>
                {a.label}
              </MenuItem>
            ))}
          </AriaMenu>
        </Popover>
      )}
    </OpenRowMenu.Provider>
  );
}

/** The Admin grid's per-row "Select ▾" action menu: Enter, Space, a click or
 *  Arrow Down opens it on its first item, Arrow Up on its last; Escape
 *  closes it and gives the focus back. Inside a DataGrid only. */
export function RowActions({
  label,
  actions,
  testId = "row-actions",
}: {
  /** Names the row, e.g. "Actions for staging CI". */
  label: string;
  actions: RowAction[];
  testId?: string;
}) {
  const open = useContext(OpenRowMenu);
  const openTrigger = useContext(OpenRowTrigger);
  const [self, setSelf] = useState<HTMLButtonElement | null>(null);
  if (actions.length === 0 || !open) return null;
  const show = (trigger: HTMLElement, focus: RowMenu["focus"]) => open({ trigger, label, actions, focus });
  return (
    <button
      ref={setSelf}
      type="button"
      className="row-actions"
      data-testid={testId}
      aria-haspopup="menu"
      aria-expanded={self !== null && openTrigger === self}
      onClick={(e) => show(e.currentTarget, "first")}
      onKeyDown={(e) => {
        // On the key going down, as react-aria's own menu triggers open (a
        // click would follow with the key's release).
        const focus = { Enter: "first", " ": "first", ArrowDown: "first", ArrowUp: "last" }[e.key];
        if (focus === "first" || focus === "last") {
          e.preventDefault();
          show(e.currentTarget, focus);
        }
      }}
    >
      Select
      <span className="row-actions-arrow" aria-hidden="true" />
    </button>
  );
}
