// The Admin frame: dark left menu whose items open flyout menus, the page
// header with the account menu, the actions bar and the message area.
import type { ReactNode } from "react";
import type { Account } from "../bindings/Account";
import { navigate, useRoute } from "../lib/router";
import logo from "../logo.svg";
import { AccountIcon, HelpIcon, StoresIcon, SystemIcon } from "./Icons";
import { Menu, MenuItem, MenuSection, MenuSeparator } from "./Menu";
import { Messages, type StickyMessage } from "./Messages";

interface MenuEntry {
  id: string;
  label: string;
  icon: ReactNode;
  groups: { title?: string; links: { label: string; route: string }[] }[];
}

/** Only features that exist have entries. */
export const MENU: MenuEntry[] = [
  {
    id: "account",
    label: "Account",
    icon: <AccountIcon />,
    groups: [
      {
        links: [
          { label: "API Portal", route: "/api-portal" },
          { label: "Key Bundles", route: "/bundles" },
          { label: "Account Settings", route: "/account/settings" },
          { label: "All Accounts", route: "/accounts" },
        ],
      },
    ],
  },
  {
    id: "stores",
    label: "Stores",
    icon: <StoresIcon />,
    groups: [
      { title: "Settings", links: [{ label: "Instances", route: "/instances" }] },
      { title: "Configuration", links: [{ label: "Commerce Services Connector", route: "/connector" }] },
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
  {
    id: "help",
    label: "Help",
    icon: <HelpIcon />,
    groups: [{ links: [{ label: "About Keyport", route: "/about" }] }],
  },
];

function normalised(route: string): string {
  return route === "/" ? "/api-portal" : route;
}

export function menuEntryFor(route: string): MenuEntry | undefined {
  const path = normalised(route);
  return MENU.find((item) =>
    item.groups.some((g) => g.links.some((l) => path === l.route || path.startsWith(l.route + "/"))),
  );
}

function MainMenu() {
  const route = useRoute();
  const active = menuEntryFor(route)?.id;
  return (
    <nav className="admin__menu" aria-label="Main menu">
      <a className="logo" href="#/">
        <img src={logo} alt="Keyport, API Portal" />
      </a>
      <ul className="admin__menu-items">
        {MENU.map((item) => (
          <li key={item.id} className={`level-0 item-${item.id}${active === item.id ? " _active" : ""}`}>
            <Menu
              label={item.label}
              title={item.label}
              trigger={
                <>
                  {item.icon}
                  {item.label}
                </>
              }
              triggerClassName="admin__menu-trigger"
              popoverClassName="admin__menu-flyout"
              menuClassName="admin__menu-flyout-list"
              placement="end top"
              testId={`menu-${item.id}`}
            >
              {item.groups.map((group, i) => (
                <MenuSection key={group.title ?? i} title={group.title}>
                  {group.links.map((link) => (
                    <MenuItem
                      key={link.route}
                      id={link.route}
                      href={`#${link.route}`}
                      isCurrent={normalised(route) === link.route}
                    >
                      {link.label}
                    </MenuItem>
                  ))}
                </MenuSection>
              ))}
            </Menu>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function AccountMenu({ accounts, onUse }: { accounts: Account[]; onUse: (id: string) => void }) {
  const current = accounts.find((a) => a.is_current);
  if (!current) return null;
  return (
    <Menu
      label="Account menu"
      testId="account-switcher"
      triggerClassName="admin__action-dropdown"
      trigger={
        <>
          <AccountIcon />
          <span>
            <span className="account-name">{current.name}</span>
            <span className="account-mage-id">{current.mage_id}</span>
          </span>
        </>
      }
      onAction={(key) => {
        const action = String(key);
        if (action.startsWith("use:")) onUse(action.slice(4));
        else if (action.startsWith("current:")) navigate("/account/settings");
        else navigate(action);
      }}
    >
      <MenuSection title="Switch account">
        {accounts.map((a) => (
          <MenuItem
            key={a.id}
            id={a.is_current ? `current:${a.id}` : `use:${a.id}`}
            textValue={a.name}
            isCurrent={a.is_current}
          >
            {a.name}{" "}
            <span className="menu-item-note">
              · {a.mage_id}
              {a.relation === "client" ? " · client" : ""}
            </span>
          </MenuItem>
        ))}
      </MenuSection>
      <MenuSeparator />
      <MenuSection>
        <MenuItem id="/account/settings">Account Settings</MenuItem>
        <MenuItem id="/accounts/new">Add New Account…</MenuItem>
      </MenuSection>
    </Menu>
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
  sticky?: StickyMessage[];
  children: ReactNode;
}) {
  return (
    <div className="admin-layout">
      <MainMenu />
      <main className="page-wrapper">
        <header className="page-header">
          <h1 className="page-title">{title}</h1>
          <div className="admin-user">
            <AccountMenu accounts={accounts} onUse={onUseAccount} />
          </div>
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
