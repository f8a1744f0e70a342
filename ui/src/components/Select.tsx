// The Admin's select: a native <select> in the Admin's look, as the
// Commerce Admin's own forms use (admin__control-select). The platform
// gives it keyboard use, typeahead and its accessible role for free, and it
// costs a fraction of a scripted listbox to render (issue 13).
import { useId, type ReactNode } from "react";
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
  const id = useId();
  const described = [error ? `${id}-error` : "", note ? `${id}-note` : ""].filter(Boolean).join(" ");
  return (
    <div className={fieldClass(layout, isRequired, error)} data-testid={testId}>
      <label htmlFor={id} className={labelHidden ? "visually-hidden" : "admin__field-label"}>
        {label}
      </label>
      <div className="admin__field-control">
        <select
          id={id}
          className="admin__control-select"
          name={name}
          value={String(value)}
          onChange={(e) => {
            const next = options.find((o) => String(o.value) === e.target.value);
            if (next) onChange(next.value);
          }}
          required={isRequired}
          aria-invalid={error ? true : undefined}
          aria-describedby={described || undefined}
          disabled={isDisabled}
        >
          {options.map((o) => (
            <option key={String(o.value)} value={String(o.value)}>
              {o.label}
            </option>
          ))}
        </select>
        {error && (
          <span id={`${id}-error`} className="admin__field-error">
            {error}
          </span>
        )}
        {note && (
          <span id={`${id}-note`} className="admin__field-note">
            {note}
          </span>
        )}
      </div>
      {layout === "row" && (scope ? <div className="admin__field-scope">[{scope}]</div> : <div />)}
    </div>
  );
}
