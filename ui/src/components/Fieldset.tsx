import { useId, useState, type ReactNode } from "react";

/** The Admin's collapsible configuration section. */
export function Fieldset({
  title,
  children,
  initiallyOpen = true,
  comment,
  id,
}: {
  title: string;
  children: ReactNode;
  initiallyOpen?: boolean;
  comment?: ReactNode;
  id?: string;
}) {
  const [open, setOpen] = useState(initiallyOpen);
  const contentId = useId();
  return (
    <section className="admin__collapsible-block" id={id}>
      <button
        type="button"
        className="admin__collapsible-title"
        aria-expanded={open}
        aria-controls={contentId}
        onClick={() => setOpen(!open)}
      >
        {title}
      </button>
      <div className="admin__collapsible-content" id={contentId} hidden={!open}>
        {comment && <p className="fieldset-comment">{comment}</p>}
        {children}
      </div>
    </section>
  );
}

/** One labelled row of a form: label | control (+ note, error) | scope. */
export function Field({
  label,
  htmlFor,
  required,
  note,
  error,
  scope,
  children,
}: {
  label: string;
  htmlFor?: string;
  required?: boolean;
  note?: ReactNode;
  error?: string | null;
  scope?: string;
  children: ReactNode;
}) {
  return (
    <div className={`admin__field${required ? " _required" : ""}${error ? " _error" : ""}`}>
      <label className="admin__field-label" htmlFor={htmlFor}>
        {label}
      </label>
      <div className="admin__field-control">
        {children}
        {error && <div className="admin__field-error">{error}</div>}
        {note && <div className="admin__field-note">{note}</div>}
      </div>
      {scope ? <div className="admin__field-scope">[{scope}]</div> : <div />}
    </div>
  );
}
