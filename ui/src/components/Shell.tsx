// The Admin frame: dark left menu with flyout panels, page header with the
// account switcher, the actions bar and the message area.
import { useEffect, useRef, useState, type ReactNode } from "react";
import type { Account } from "../bindings/Account";
import { Messages, type Message } from "../lib/messages";
import { navigate, useRoute } from "../lib/router";
import { AccountIcon, SystemIcon } from "./Icons";
import logo from "../logo.svg";

interface MenuItem {
  id: string;
  label: string;
  icon: ReactNode;
  groups: { title?: string; links: { label: string; route: string }[] }[];
}

/** Only features that exist have entries. */
export const MENU: MenuItem[] = [
  {
    id: "account",
    label: "Account",
    icon: <AccountIcon />,
    groups: [
      {
        links: [
          { label: "API Portal", route: "/api-portal" },
          { label: "Account Settings", route: "/account/settings" },
          { label: "All Accounts", route: "/accounts" },
        ],
      },
    ],
  },
  {
    id: "system",
    label: "System",
    icon: <SystemIcon />,
    groups: [
      { title: "Commerce Services", links: [{ label: "Services Sandbox", route: "/sandbox" }] },
      { title: "Action Logs", links: [{ label: "Activity Log", route: "/activity" }] },
    ],
  },
];

export function menuItemFor(route: string): MenuItem | undefined {
  const path = route === "/" ? "/api-portal" : route;
  return MENU.find((item) => item.groups.some((g) => g.links.some((l) => path === l.route || path.startsWith(l.route + "/"))));
}

function Menu() {
  const route = useRoute();
  const [open, setOpen] = useState<string | null>(null);
  const active = menuItemFor(route)?.id;
  const openItem = MENU.find((m) => m.id === open);
  return (
    <nav className="admin__menu" aria-label="Main menu">
      <a className="logo" href="#/" title="Keyport">
        <img src={logo} alt="Keyport" />
      </a>
      <ul style={{ listStyle: "none", margin: 0, padding: 0 }}>
        {MENU.map((item) => (
          <li
            key={item.id}
            className={`level-0 item-${item.id}${active === item.id ? " _active" : ""}${open === item.id ? " _show" : ""}`}
          >
            <button type="button" aria-expanded={open === item.id} onClick={() => setOpen(open === item.id ? null : item.id)}>
              {item.icon}
              {item.label}
            </button>
          </li>
        ))}
      </ul>
      {openItem && (
        <div className="submenu" role="menu" aria-label={openItem.label}>
          <strong className="submenu-title">{openItem.label}</strong>
          <button type="button" className="action-close" aria-label="Close menu" onClick={() => setOpen(null)}>
            ×
          </button>
          {openItem.groups.map((group, i) => (
            <div key={i} style={{ marginBottom: "2rem" }}>
              {group.title && <strong className="submenu-group-title">{group.title}</strong>}
              {group.links.map((link) => (
                <a
                  key={link.route}
                  role="menuitem"
                  href={`#${link.route}`}
                  className={route === link.route || (route === "/" && link.route === "/api-portal") ? "_current" : undefined}
                  onClick={() => setOpen(null)}
                >
                  {link.label}
                </a>
              ))}
            </div>
          ))}
        </div>
      )}
    </nav>
  );
}

function AccountSwitcher({ accounts, onUse }: { accounts: Account[]; onUse: (id: string) => void }) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const current = accounts.find((a) => a.is_current);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => ref.current && !ref.current.contains(e.target as Node) && setOpen(false);
    document.addEventListener("mousedown", close);
    return () => document.removeEventListener("mousedown", close);
  }, [open]);
  if (!current) return null;
  const go = (route: string) => {
    setOpen(false);
    navigate(route);
  };
  return (
    <div className={`admin-user${open ? " _active" : ""}`} ref={ref}>
      <button
        type="button"
        className="admin__action-dropdown"
        aria-haspopup="menu"
        aria-expanded={open}
        data-testid="account-switcher"
        onClick={() => setOpen(!open)}
      >
        <AccountIcon />
        <span>
          <span className="account-name">{current.name}</span>
          <span className="account-mage-id">{current.mage_id}</span>
        </span>
      </button>
      {open && (
        <ul className="admin__action-dropdown-menu" role="menu">
          <li className="dropdown-caption">Switch account</li>
          {accounts.map((a) => (
            <li key={a.id} className={a.is_current ? "_current" : undefined}>
              <button
                type="button"
                role="menuitem"
                onClick={() => {
                  setOpen(false);
                  if (!a.is_current) onUse(a.id);
                }}
              >
                {a.name} <span style={{ color: "#666" }}>· {a.mage_id}</span>
              </button>
            </li>
          ))}
          <li className="divider" />
          <li>
            <button type="button" role="menuitem" onClick={() => go("/account/settings")}>
              Account Settings
            </button>
          </li>
          <li>
            <button type="button" role="menuitem" onClick={() => go("/accounts/new")}>
              Add New Account…
            </button>
          </li>
        </ul>
      )}
    </div>
  );
}

export function Shell({
  title,
  actions,
  accounts,
  onUseAccount,
  sticky,
  children,
}: {
  title: string;
  actions?: ReactNode;
  accounts: Account[];
  onUseAccount: (id: string) => void;
  sticky?: Message[];
  children: ReactNode;
}) {
  return (
    <div className="admin-layout">
      <Menu />
      <main className="page-wrapper">
        <header className="page-header">
          <h1 className="page-title">{title}</h1>
          <AccountSwitcher accounts={accounts} onUse={onUseAccount} />
        </header>
        {actions && (
          <div className="page-main-actions">
            <div className="page-actions-buttons">{actions}</div>
          </div>
        )}
        <div className="page-content">
          <Messages sticky={sticky} />
          {children}
        </div>
      </main>
    </div>
  );
}
