import type { ComponentChildren, ComponentProps } from "preact";
import { useEffect, useState } from "preact/hooks";
import { t } from "../../i18n/en.ts";
import { ErrorAlert } from "./error-alert.tsx";
import { fieldErrorFor, fieldErrorSentence, fieldErrorsOf } from "./validation-messages.ts";

type InputProps = ComponentProps<"input">;

/** The id of a `Field`'s control, which the error summary links to. */
export function fieldId(name: string): string {
  return `field-${name}`;
}

interface FieldProps extends Omit<InputProps, "id" | "name"> {
  name: string;
  label: string;
  hint?: string;
  /** The failed submission, whose 422 may name this field. */
  failure?: unknown;
}

/** A labelled input whose hint and server-side error are announced with it. */
export function Field({ name, label, hint, failure, ...input }: FieldProps) {
  const id = fieldId(name);
  const error = fieldErrorFor(failure, name);
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ") || undefined;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input id={id} name={name} aria-invalid={error ? "true" : undefined} aria-describedby={describedBy} {...input} />
      {hint && <small id={`${id}-hint`} class="muted">{hint}</small>}
      {error && <span id={`${id}-error`} class="field-error">{error}</span>}
    </div>
  );
}

/** A problem that links to its field's control, when the control is on the page; following it focuses the control. */
function ProblemLink({ controlId, children }: { controlId: string; children: string }) {
  if (typeof document === "undefined" || !document.getElementById(controlId)) return <>{children}</>;
  const focusControl = (event: MouseEvent) => {
    const control = document.getElementById(controlId);
    if (!control) return;
    event.preventDefault();
    control.focus();
    control.scrollIntoView({ block: "center" });
  };
  return <a href={`#${controlId}`} onClick={focusControl}>{children}</a>;
}

interface ErrorSummaryProps {
  /** What the submission failed with; nothing is shown while it is undefined. */
  failure: unknown;
  /** A sentence saying what did not happen, before the problems. */
  lead?: string;
  /** Controls of fields that are not a `Field` (whose id is `fieldId(path)`), by the API's path. */
  controlIds?: Record<string, string>;
  /** Words of the form's own for a failure that names no field, instead of the API's. */
  children?: ComponentChildren;
}

/**
 * Every form's error summary: the focused alert of `ErrorAlert`, listing the refused fields in whole sentences,
 * each linking to its field.
 */
export function ErrorSummary({ failure, lead, controlIds = {}, children }: ErrorSummaryProps) {
  const problems = fieldErrorsOf(failure);
  return (
    <ErrorAlert failure={failure} lead={lead}>
      {problems.length === 0 ? children && <p>{children}</p> : (
        <>
          <p>{t("forms.problems", { count: problems.length })}</p>
          <ul>
            {problems.map((problem, index) => (
              <li key={index}>
                <ProblemLink controlId={controlIds[problem.path] ?? fieldId(problem.path)}>
                  {fieldErrorSentence(problem)}
                </ProblemLink>
              </li>
            ))}
          </ul>
        </>
      )}
    </ErrorAlert>
  );
}

/**
 * Runs a form's submission: the form's values in, busy state and the failure
 * (if any) out. `ready` stays false until the island has hydrated, so a click
 * before that cannot submit the form natively (with a password in the URL).
 */
export function useSubmit(action: (values: Record<string, string>) => Promise<void>) {
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<unknown>(undefined);
  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (submitting) return;
    const form = event.currentTarget as HTMLFormElement;
    const values = Object.fromEntries(
      [...new FormData(form).entries()].map(([key, value]) => [key, typeof value === "string" ? value : ""]),
    );
    setSubmitting(true);
    setFailure(undefined);
    try {
      await action(values);
    } catch (error) {
      setFailure(error);
    } finally {
      setSubmitting(false);
    }
  };
  return { busy: submitting || !ready, failure, onSubmit };
}

/**
 * Where to go after signing in: `raw` resolved against this site, if it stays
 * on this site's origin; anything else (other hosts, `//evil`, `/<tab>/evil`,
 * `/\\evil`, `javascript:`) falls back to `fallback`. The browser's own URL
 * parser decides, so characters it drops cannot smuggle a host past the check.
 * The answer is the absolute URL that was checked, never a path to be parsed
 * again: `/.//evil.example` normalizes to the path `//evil.example`, which on
 * its own would name another host.
 */
export function safeNextPath(raw: string | null, fallback = "/my", origin = location.origin): string {
  if (!raw) return fallback;
  try {
    const target = new URL(raw, origin);
    return target.origin === new URL(origin).origin ? target.href : fallback;
  } catch {
    return fallback;
  }
}
