import type { ComponentChildren } from "preact";

/**
 * Label, control, hint and error for the studio's controlled fields (autosaved, with errors that come from the
 * save queue rather than a form submission). The control inside points at `${id}-hint` / `${id}-error` itself.
 */
export function LabelledField(
  { id, label, hint, error, children }: {
    id: string;
    label: string;
    hint?: string;
    error?: string | undefined;
    children: ComponentChildren;
  },
) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children}
      {hint && <small id={`${id}-hint`} class="muted">{hint}</small>}
      {error && <span id={`${id}-error`} class="field-error">{error}</span>}
    </div>
  );
}

/** The aria-describedby value for a control with an optional hint and error. */
export function describedBy(id: string, hint: boolean, error: string | undefined): string | undefined {
  return [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ") || undefined;
}
