// A set of choices, one at a time: react-aria-components' RadioGroup (arrow
// keys move the choice) in the Admin's field layout.
import type { ReactNode } from "react";
import { FieldError, Label, RadioButton, RadioField, RadioGroup as AriaRadioGroup, Text } from "react-aria-components";
import { fieldClass, type FieldLayout } from "./Field";

export function RadioGroup<T extends string>({
  label,
  name,
  options,
  value,
  onChange,
  note,
  error,
  layout = "row",
  scope,
}: {
  label: string;
  name: string;
  options: readonly { value: T; label: ReactNode; isDisabled?: boolean }[];
  value: T;
  onChange: (value: T) => void;
  note?: ReactNode;
  error?: string | null;
  layout?: FieldLayout;
  scope?: string;
}) {
  return (
    <AriaRadioGroup
      className={fieldClass(layout, false, error)}
      name={name}
      value={value}
      onChange={(next) => {
        const found = options.find((o) => o.value === next);
        if (found) onChange(found.value);
      }}
      isInvalid={Boolean(error)}
      validationBehavior="aria"
    >
      <Label className="admin__field-label">{label}</Label>
      <div className="admin__field-control admin__radio-group">
        {options.map((o) => (
          <RadioField key={o.value} value={o.value} isDisabled={o.isDisabled}>
            <RadioButton className="admin__field-option-button">
              <span className="radio-dot" aria-hidden="true" />
              <span>{o.label}</span>
            </RadioButton>
          </RadioField>
        ))}
        {error && <FieldError className="admin__field-error">{error}</FieldError>}
        {note && (
          <Text slot="description" className="admin__field-note">
            {note}
          </Text>
        )}
      </div>
      {layout === "row" && (scope ? <div className="admin__field-scope">[{scope}]</div> : <div />)}
    </AriaRadioGroup>
  );
}
