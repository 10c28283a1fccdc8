/**
 * The rule that turns an API field error (`path` and `code`, api/lib/errors.ts) into a whole sentence that names
 * the field, in the words of site/src/i18n/validation.ts: `validation.<path>.<code>` when a field needs words of its
 * own, else `validation.<code>` with the field's name (`field.<path>`) in it, else `validation.invalid`. The API's
 * own `message` is a note for developers and is never shown.
 */
import { fill } from "../../i18n/en.ts";
import { validation, type ValidationKey } from "../../i18n/validation.ts";
import { ApiError, type FieldError } from "./api.ts";
import { errorMessage } from "./query.tsx";

type Vars = Record<string, string | number>;

function isValidationKey(key: string): key is ValidationKey {
  return Object.hasOwn(validation, key);
}

/** The field a path points into: "modules.0.id" and "modules/<id>" are about the curriculum, "modules". */
function topField(path: string): string {
  return path.split(/[./]/)[0]!;
}

/** The field's name as it reads inside a sentence ("password", "email address"). */
export function fieldName(path: string): string {
  const key = `field.${topField(path)}`;
  return validation[isValidationKey(key) ? key : "field.unknown"];
}

/** A template whose bound (`{minimum}`) the error did not carry would show the placeholder: the next one is used. */
function fillsEveryPlaceholder(template: string, vars: Vars): boolean {
  return [...template.matchAll(/\{(\w+)\}/g)].every(([, name]) => name! in vars);
}

export function fieldErrorSentence(error: FieldError): string {
  const vars: Vars = { field: fieldName(error.path) };
  if (error.minimum !== undefined) vars.minimum = error.minimum;
  if (error.maximum !== undefined) vars.maximum = error.maximum;
  const key = [`validation.${topField(error.path)}.${error.code}`, `validation.${error.code}`].find(
    (candidate): candidate is ValidationKey =>
      isValidationKey(candidate) && fillsEveryPlaceholder(validation[candidate], vars),
  );
  return fill(validation[key ?? "validation.invalid"], vars);
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

/** `errorMessage`, with each refused field's sentence for a 422 that names fields. */
export function failureMessage(failure: unknown): string {
  const fields = fieldErrorsOf(failure);
  return fields.length > 0 ? fields.map(fieldErrorSentence).join(" ") : errorMessage(failure);
}
