// The Admin's collapsible configuration section, on react-aria-components'
// Disclosure: the title is a button that shows and hides its content.
import type { ReactNode } from "react";
import { Button as AriaButton, Disclosure, DisclosurePanel, Heading } from "react-aria-components";

export function Fieldset({
  title,
  children,
  initiallyOpen = true,
  comment,
  id,
  testId,
}: {
  title: string;
  children: ReactNode;
  initiallyOpen?: boolean;
  comment?: ReactNode;
  id?: string;
  testId?: string;
}) {
  return (
    <Disclosure className="admin__collapsible-block" defaultExpanded={initiallyOpen} id={id} data-testid={testId}>
      <Heading level={2} className="admin__collapsible-heading">
        <AriaButton slot="trigger" className="admin__collapsible-title">
          {title}
        </AriaButton>
      </Heading>
      <DisclosurePanel className="admin__collapsible-content">
        {comment && <p className="fieldset-comment">{comment}</p>}
        {children}
      </DisclosurePanel>
    </Disclosure>
  );
}
