/**
 * The rule that turns an API field error (`path` and `code`, api/lib/errors.ts) into a whole sentence that names
 * the field, in the words of site/src/i18n/en.ts: `validation.<path>.<code>` when a field needs words of its own,
 * else `validation.<code>` with the field's name (`field.<path>`) in it, else `validation.invalid`. The API's own
 * `message` is a note for developers and is never shown.
 */
import { en, type MessageKey, t } from "../../i18n/en.ts";
import { ApiError, type FieldError } from "./api.ts";

function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

/** The field a path points into: "modules.0.id" is about the curriculum, "modules". */
function topField(path: string): string {
  return path.split(".")[0]!;
}

/** The field's name as it reads inside a sentence ("password", "email address"). */
export function fieldName(path: string): string {
  const key = `field.${topField(path)}`;
  return isMessageKey(key) ? t(key) : t("field.unknown");
}

export function fieldErrorSentence(error: FieldError): string {
  const vars: Record<string, string | number> = { field: fieldName(error.path) };
  if (error.minimum !== undefined) vars.minimum = error.minimum;
  if (error.maximum !== undefined) vars.maximum = error.maximum;
  const key = [`validation.${topField(error.path)}.${error.code}`, `validation.${error.code}`].find(
    (candidate): candidate is MessageKey => isMessageKey(candidate) && fillsEveryPlaceholder(en[candidate], vars),
  );
  return t(key ?? "validation.invalid", vars);
}

/** A template whose bound (`{minimum}`) the error did not carry would show the placeholder: the next one is used. */
function fillsEveryPlaceholder(message: unknown, vars: Record<string, string | number>): boolean {
  return typeof message === "string" && [...message.matchAll(/\{(\w+)\}/g)].every(([, name]) => name! in vars);
}

/** The field errors of a failure: a 422's, or none. */
export function fieldErrorsOf(failure: unknown): FieldError[] {
  return failure instanceof ApiError && failure.status === 422 ? failure.errors : [];
}

/** The sentence for one field of a failed submission, if the API named that field. */
export function fieldErrorFor(failure: unknown, fieldPath: string): string | undefined {
  const error = fieldErrorsOf(failure).find((candidate) => candidate.path === fieldPath);
  return error && fieldErrorSentence(error);
}
