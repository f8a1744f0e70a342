// The Admin shell's pages, routed: a chunk of its own, loaded once an
// account exists, so a first run parses only the first-run form's script.
import { useLayoutEffect } from "react";
import { Button } from "./components/Button";
import { type StickyMessage } from "./components/Messages";
import { Shell } from "./components/Shell";
import { api } from "./lib/api";
import { useApp } from "./lib/app";
import { DownloadsProvider } from "./lib/downloads";
import { useMessages } from "./lib/messages";
import { navigate, useRoute } from "./lib/router";
import { reportPainted, useKeychainStatus } from "./lib/startup";
import { AccountForm } from "./pages/AccountForm";
import { AccountSettingsForm, MerchantsFieldset } from "./pages/AccountSettings";
import { AccountsGrid } from "./pages/Accounts";
import { ActivityGrid } from "./pages/Activity";
import { ApiPortal } from "./pages/ApiPortal";
import { CONNECTOR_FORM, ConnectorPage } from "./pages/Connector";
import { InstanceEdit, InstanceForm, InstancesGrid } from "./pages/Instances";
import { KeyBundlesPage } from "./pages/KeyBundles";
import { SandboxPage } from "./pages/Sandbox";
import { AboutPage } from "./pages/About";

export default function Pages() {
  return (
    <DownloadsProvider>
      <Routes />
    </DownloadsProvider>
  );
}

function Routes() {
  const route = useRoute();
  const messages = useMessages();
  const { overview, current, refresh } = useApp();
  const keychain = useKeychainStatus();
  // The first page is in the DOM (this chunk has loaded): see startup.ts.
  useLayoutEffect(() => {
    void reportPainted();
  }, []);

  const switchAccount = async (id: string) => {
    try {
      const account = await api.useAccount(id);
      await refresh();
      messages.success(`You switched to ${account.name} (${account.mage_id}).`);
    } catch (e) {
      messages.error(e);
    }
  };

  const sticky: StickyMessage[] =
    keychain === null || keychain.available
      ? []
      : [{ id: "keychain", kind: "warning", text: keychain.message ?? "The OS keychain is not reachable." }];
  const shell = { accounts: overview.accounts, onUseAccount: switchAccount, sticky };

  const connector = /^\/connector(?:\/([\w-]+))?$/.exec(route);
  if (connector) {
    return (
      <Shell
        title="Commerce Services Connector"
        {...shell}
        actions={<BackAndSubmit back="/instances" form={CONNECTOR_FORM} testId="save-config" label="Save Config" />}
      >
        <ConnectorPage id={connector[1] ?? null} />
      </Shell>
    );
  }
  const editing = /^\/instances\/([\w-]+)\/edit$/.exec(route);
  if (editing?.[1]) {
    return (
      <Shell
        title="Edit Instance"
        {...shell}
        actions={<BackAndSubmit back="/instances" form="instance-form" testId="save-instance" label="Save Instance" />}
      >
        <InstanceEdit id={editing[1]} formId="instance-form" />
      </Shell>
    );
  }

  switch (route) {
    case "/":
    case "/api-portal":
      return (
        <Shell title="API Portal" {...shell}>
          <ApiPortal />
        </Shell>
      );
    case "/bundles":
      return (
        <Shell title="Key Bundles" {...shell}>
          <KeyBundlesPage />
        </Shell>
      );
    case "/accounts":
      return (
        <Shell
          title="All Accounts"
          {...shell}
          actions={
            <Button variant="primary" onPress={() => navigate("/accounts/new")}>
              Add New Account
            </Button>
          }
        >
          <AccountsGrid onUse={switchAccount} />
        </Shell>
      );
    case "/accounts/new":
      return (
        <Shell
          title="New Account"
          {...shell}
          actions={
            <BackAndSubmit back="/accounts" form="new-account-form" testId="create-account" label="Create Account" />
          }
        >
          <AccountForm
            catalog={overview.catalog}
            formId="new-account-form"
            showSubmit={false}
            onCreated={async (account) => {
              await refresh();
              navigate("/accounts");
              messages.success(
                `You created the account ${account.name}. Switch to it from the account menu or the grid.`,
              );
            }}
          />
        </Shell>
      );
    case "/instances":
      return (
        <Shell
          title="Instances"
          {...shell}
          actions={
            <Button variant="primary" onPress={() => navigate("/instances/new")} data-testid="add-instance">
              Add New Instance
            </Button>
          }
        >
          <InstancesGrid />
        </Shell>
      );
    case "/instances/new":
      return (
        <Shell
          title="New Instance"
          {...shell}
          actions={
            <BackAndSubmit back="/instances" form="instance-form" testId="save-instance" label="Save Instance" />
          }
        >
          <InstanceForm formId="instance-form" />
        </Shell>
      );
    case "/sandbox":
      return (
        <Shell title="Services Sandbox" {...shell}>
          <SandboxPage />
        </Shell>
      );
    case "/activity":
      return (
        <Shell title="Activity Log" {...shell}>
          <ActivityGrid />
        </Shell>
      );
    case "/about":
      return (
        <Shell title="About Keyport" {...shell}>
          <AboutPage />
        </Shell>
      );
    case "/account/settings":
      return (
        <Shell
          title="Account Settings"
          {...shell}
          actions={
            <Button variant="primary" type="submit" form="account-settings-form" data-testid="save-account">
              Save
            </Button>
          }
        >
          {current && <AccountSettingsForm key={current.id} account={current} />}
          {current &&
            overview.catalog.operating_models.find((m) => m.value === current.operating_model)?.has_merchants && (
              <MerchantsFieldset account={current} />
            )}
        </Shell>
      );
    default:
      return (
        <Shell title="Page not found" {...shell}>
          <p>
            There is no page here. <a href="#/api-portal">Go to the API Portal</a>.
          </p>
        </Shell>
      );
  }
}

/** The actions bar of a form page: Back to its list, and the form's primary submit. */
function BackAndSubmit({ back, form, testId, label }: { back: string; form: string; testId: string; label: string }) {
  return (
    <>
      <Button onPress={() => navigate(back)}>Back</Button>
      <Button variant="primary" type="submit" form={form} data-testid={testId}>
        {label}
      </Button>
    </>
  );
}
