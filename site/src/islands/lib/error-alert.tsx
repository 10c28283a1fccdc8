import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { errorMessage } from "./query.tsx";

interface ErrorAlertProps {
  /** What a submission or a button's action failed with; nothing is shown while it is undefined. */
  failure: unknown;
  /** A sentence saying what did not happen, before the problem. */
  lead?: string | undefined;
  /** Words of the form's own about the failure, instead of the API's message. */
  children?: ComponentChildren;
}

/**
 * What every failed action shows (forms use it through `ErrorSummary` in ./forms.tsx, which adds their fields):
 * an alert that takes focus whenever a new failure arrives (each is a new object), so the problem is read out and
 * the next Tab leads on from it. Kept apart from the forms' helpers so a page whose only action is a button loads
 * nothing about fields.
 */
export function ErrorAlert({ failure, lead, children }: ErrorAlertProps) {
  const alert = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (failure !== undefined) alert.current?.focus();
  }, [failure]);
  if (failure === undefined) return null;
  return (
    <div ref={alert} class="alert error error-summary" role="alert" tabIndex={-1}>
      {lead && <p>{lead}</p>}
      {children || <p>{errorMessage(failure)}</p>}
    </div>
  );
}
