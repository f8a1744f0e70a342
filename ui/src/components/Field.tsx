// Form fields in the Admin's layout (label | control with note and error |
// scope). react-aria-components wires the label, `aria-describedby` for the
// note and the error, `aria-invalid` and `aria-required`.
import { useId, type ReactNode } from "react";
import {
  CheckboxButton,
  CheckboxField,
  FieldError,
  Input,
  Label,
  SearchField as AriaSearchField,
  Text,
  TextArea as AriaTextArea,
  TextField as AriaTextField,
} from "react-aria-components";

/** `row`: the Admin's label | control | scope grid; `inline`: label beside a compact control. */
export type FieldLayout = "row" | "inline";

interface FieldFrame {
  label: string;
  note?: ReactNode;
  /** The error to show under the control; marks the field invalid. */
  error?: string | null;
  /** The configuration scope, e.g. "Default Config" (rows only). */
  scope?: string;
  isRequired?: boolean;
  layout?: FieldLayout;
}

export function fieldClass(layout: FieldLayout, isRequired?: boolean, error?: string | null): string {
  const base = layout === "row" ? "admin__field" : "admin__field-inline";
  return `${base}${isRequired ? " _required" : ""}${error ? " _error" : ""}`;
}

function Scope({ scope, layout }: { scope?: string; layout: FieldLayout }) {
  if (layout !== "row") return null;
  return scope ? <div className="admin__field-scope">[{scope}]</div> : <div />;
}

function Help({ note, error }: { note?: ReactNode; error?: string | null }) {
  return (
    <>
      {error && <FieldError className="admin__field-error">{error}</FieldError>}
      {note && (
        <Text slot="description" className="admin__field-note">
          {note}
        </Text>
      )}
    </>
  );
}

export interface TextFieldProps extends FieldFrame {
  name: string;
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
  type?: "text" | "password" | "url";
  autoFocus?: boolean;
  isDisabled?: boolean;
  /** Monospace, no spell checking: keys, ids, URLs. */
  code?: boolean;
  multiline?: boolean;
}

export function TextField({
  label,
  note,
  error,
  scope,
  isRequired,
  layout = "row",
  name,
  value,
  onChange,
  placeholder,
  type = "text",
  autoFocus,
  isDisabled,
  code,
  multiline,
}: TextFieldProps) {
  const control = code ? "admin__control-text mono" : "admin__control-text";
  return (
    <AriaTextField
      className={fieldClass(layout, isRequired, error)}
      name={name}
      value={value}
      onChange={onChange}
      type={type}
      isRequired={isRequired}
      isInvalid={Boolean(error)}
      isDisabled={isDisabled}
      validationBehavior="aria"
      autoFocus={autoFocus}
    >
      <Label className="admin__field-label">{label}</Label>
      <div className="admin__field-control">
        {multiline ? (
          <AriaTextArea className={control} placeholder={placeholder} spellCheck={!code} rows={6} />
        ) : (
          <Input className={control} placeholder={placeholder} spellCheck={!code} autoComplete="off" />
        )}
        <Help note={note} error={error} />
      </div>
      <Scope scope={scope} layout={layout} />
    </AriaTextField>
  );
}

/** The grid's search box: Escape clears it. */
export function SearchField({
  label,
  value,
  onChange,
  onSubmit,
  placeholder,
  name = "search",
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  onSubmit?: (value: string) => void;
  placeholder?: string;
  name?: string;
}) {
  return (
    <AriaSearchField
      className="data-grid-search"
      aria-label={label}
      name={name}
      value={value}
      onChange={onChange}
      onSubmit={onSubmit}
    >
      <Input className="admin__control-text" placeholder={placeholder} />
    </AriaSearchField>
  );
}

export function Checkbox({
  children,
  isSelected,
  onChange,
  name,
  isDisabled,
}: {
  children: ReactNode;
  isSelected: boolean;
  onChange: (selected: boolean) => void;
  name?: string;
  isDisabled?: boolean;
}) {
  return (
    <CheckboxField
      className="admin__field-option"
      isSelected={isSelected}
      onChange={onChange}
      name={name}
      isDisabled={isDisabled}
    >
      <CheckboxButton className="admin__field-option-button">
        <span className="checkbox-box" aria-hidden="true" />
        <span>{children}</span>
      </CheckboxButton>
    </CheckboxField>
  );
}

/** A value that cannot be edited here, in the field layout. */
export function ReadOnlyField({
  label,
  children,
  note,
  error,
  scope,
  code,
  testId,
}: {
  label: string;
  children: ReactNode;
  note?: ReactNode;
  /** A problem with the value (e.g. a chosen file that cannot be used). */
  error?: string | null;
  scope?: string;
  code?: boolean;
  testId?: string;
}) {
  const id = useId();
  return (
    <div className={error ? "admin__field _error" : "admin__field"}>
      <span className="admin__field-label" id={`${id}-label`}>
        {label}
      </span>
      <div className="admin__field-control">
        <span
          className={code ? "readonly-value mono" : "readonly-value"}
          data-testid={testId}
          role="group"
          aria-labelledby={`${id}-label`}
          aria-describedby={error ? `${id}-error` : undefined}
        >
          {children}
        </span>
        {error && (
          <div className="admin__field-error" id={`${id}-error`} role="alert">
            {error}
          </div>
        )}
        {note && <div className="admin__field-note">{note}</div>}
      </div>
      <Scope scope={scope} layout="row" />
    </div>
  );
}

/** Buttons (or a checkbox) under a field's control, aligned with it. */
export function FieldActions({ children }: { children: ReactNode }) {
  return (
    <div className="admin__field admin__field-actions">
      <span />
      <div className="field-actions">{children}</div>
      <span />
    </div>
  );
}
