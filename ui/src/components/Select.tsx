// The Admin's select, as a react-aria-components Select: a button showing
// the value and a listbox popover (arrow keys, typeahead, Escape).
import type { Key, ReactNode } from "react";
import {
  Button as AriaButton,
  FieldError,
  Label,
  ListBox,
  ListBoxItem,
  Popover,
  Select as AriaSelect,
  SelectValue,
  Text,
} from "react-aria-components";
import { fieldClass, type FieldLayout } from "./Field";

export interface Option<T extends string | number> {
  value: T;
  label: string;
}

export interface SelectProps<T extends string | number> {
  label: string;
  /** Hide the label visually (it still names the control). */
  labelHidden?: boolean;
  name: string;
  options: readonly Option<T>[];
  value: T;
  onChange: (value: T) => void;
  note?: ReactNode;
  error?: string | null;
  isRequired?: boolean;
  isDisabled?: boolean;
  layout?: FieldLayout;
  scope?: string;
  testId?: string;
}

export function Select<T extends string | number>({
  label,
  labelHidden,
  name,
  options,
  value,
  onChange,
  note,
  error,
  isRequired,
  isDisabled,
  layout = "row",
  scope,
  testId,
}: SelectProps<T>) {
  const byKey = new Map<Key, T>(options.map((o) => [String(o.value), o.value]));
  return (
    <AriaSelect
      className={fieldClass(layout, isRequired, error)}
      name={name}
      value={String(value)}
      onChange={(key) => {
        const next = key === null ? undefined : byKey.get(key);
        if (next !== undefined) onChange(next);
      }}
      isRequired={isRequired}
      isInvalid={Boolean(error)}
      isDisabled={isDisabled}
      validationBehavior="aria"
      data-testid={testId}
    >
      <Label className={labelHidden ? "visually-hidden" : "admin__field-label"}>{label}</Label>
      <div className="admin__field-control">
        <AriaButton className="admin__select">
          <SelectValue className="admin__select-value" />
          <span className="admin__select-arrow" aria-hidden="true" />
        </AriaButton>
        {error && <FieldError className="admin__field-error">{error}</FieldError>}
        {note && (
          <Text slot="description" className="admin__field-note">
            {note}
          </Text>
        )}
      </div>
      {layout === "row" && (scope ? <div className="admin__field-scope">[{scope}]</div> : <div />)}
      <Popover className="admin__select-popover" offset={2}>
        <ListBox className="admin__select-list" items={options.map((o) => ({ id: String(o.value), label: o.label }))}>
          {(item) => (
            <ListBoxItem className="admin__select-option" id={item.id} textValue={item.label}>
              {item.label}
            </ListBoxItem>
          )}
        </ListBox>
      </Popover>
    </AriaSelect>
  );
}
