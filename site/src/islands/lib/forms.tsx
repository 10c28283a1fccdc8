import type { ComponentProps } from "preact";
import { useEffect, useState } from "preact/hooks";
import { ApiError } from "./api.ts";
import { errorMessage } from "./query.tsx";

type InputProps = ComponentProps<"input">;

interface FieldProps extends Omit<InputProps, "id" | "name"> {
  name: string;
  label: string;
  hint?: string;
  /** The failed submission, whose 422 may name this field. */
  failure?: unknown;
}

/** A labelled input whose hint and server-side error are announced with it. */
export function Field({ name, label, hint, failure, ...input }: FieldProps) {
  const id = `field-${name}`;
  const error = failure instanceof ApiError ? failure.fieldError(name) : undefined;
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

/** The submission's error as an alert, unless it is only about fields shown next to them. */
export function FormError({ failure }: { failure: unknown }) {
  if (failure === undefined) return null;
  if (failure instanceof ApiError && failure.status === 422 && failure.errors.length > 0) return null;
  return <p class="alert error" role="alert">{errorMessage(failure)}</p>;
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
