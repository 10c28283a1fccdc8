import { zValidator } from "@hono/zod-validator";
import type { Context, ValidationTargets } from "hono";
import type { z } from "zod";
import { AppError, type FieldError, type FieldErrorCode, isFieldErrorCode } from "./errors.ts";

/** Options for a refinement whose failure has a code of its own (and a bound, if it is about one). */
export function refusal(
  code: FieldErrorCode,
  message: string,
  bounds: { minimum?: number; maximum?: number } = {},
): { message: string; params: Record<string, unknown> } {
  return { message, params: { code, ...bounds } };
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>(
    (value, key) => (value !== null && typeof value === "object" ? Reflect.get(value, key) : undefined),
    input,
  );
}

/** What a zod issue means, in the API's field-error codes. */
function describeIssue(issue: z.core.$ZodIssue, input: unknown): Omit<FieldError, "path" | "message"> {
  switch (issue.code) {
    case "too_small": {
      const minimum = Number(issue.minimum);
      if (issue.origin === "string") return minimum <= 1 ? { code: "required" } : { code: "too_short", minimum };
      return { code: "too_small", minimum };
    }
    case "too_big":
      return { code: issue.origin === "string" ? "too_long" : "too_big", maximum: Number(issue.maximum) };
    case "invalid_format":
      return {
        code: issue.format === "email" ? "invalid_email" : issue.format === "url" ? "invalid_url" : "invalid_format",
      };
    case "invalid_value":
      return { code: "invalid_choice" };
    case "invalid_type":
      return { code: valueAt(input, issue.path) === undefined ? "required" : "invalid_type" };
    case "unrecognized_keys":
      return { code: "unknown_field" };
    case "custom": {
      const { code, minimum, maximum } = issue.params ?? {};
      return {
        code: isFieldErrorCode(code) ? code : "invalid",
        ...(typeof minimum === "number" ? { minimum } : {}),
        ...(typeof maximum === "number" ? { maximum } : {}),
      };
    }
    default:
      return { code: "invalid" };
  }
}

/** One entry per issue, with its code; `input` is what was parsed, to tell a missing field from a wrong one. */
export function fieldErrors(error: { issues: readonly z.core.$ZodIssue[] }, input: unknown): FieldError[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join(".") || "body",
    ...describeIssue(issue, input),
    message: issue.message,
  }));
}

/** Postgres text holds neither NUL nor UTF-16 halves without their pair (UTF-8 cannot spell them). */
export function isStorableText(value: string): boolean {
  return !value.includes("\u0000") && value.isWellFormed();
}

const UNSTORABLE = "must not contain NUL characters or unpaired surrogates";

/** Every string in a parsed input that Postgres could not store, wherever in the value it sits. */
export function unstorableFields(value: unknown, path: string[] = []): FieldError[] {
  if (typeof value === "string") {
    return isStorableText(value)
      ? []
      : [{ path: path.join(".") || "body", code: "unstorable_text", message: UNSTORABLE }];
  }
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, item]) => [
    ...(isStorableText(key)
      ? []
      : [{ path: path.join(".") || "body", code: "unstorable_text" as const, message: UNSTORABLE }]),
    ...unstorableFields(item, [...path, key]),
  ]);
}

/**
 * The edge rule for every route's input: the schema, then the text rule over
 * whatever the schema let through, so no field (present or future) can carry
 * text to Postgres that it refuses.
 */
export function parseInput<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
): { success: true; data: z.output<Schema> } | { success: false; errors: FieldError[] } {
  const result = schema.safeParse(value);
  if (!result.success) return { success: false, errors: fieldErrors(result.error, value) };
  const unstorable = unstorableFields(result.data);
  return unstorable.length > 0 ? { success: false, errors: unstorable } : { success: true, data: result.data };
}

/** zValidator with the API's error shape and text rule: every failure is 422 validation_failed, one entry per field. */
export function validate<Target extends keyof ValidationTargets, Schema extends z.ZodType>(
  target: Target,
  schema: Schema,
) {
  return zValidator(target, schema, (result) => {
    if (!result.success) throw AppError.validation(fieldErrors(result.error, result.data));
    const unstorable = unstorableFields(result.data);
    if (unstorable.length > 0) throw AppError.validation(unstorable);
  });
}

/** For endpoints whose body is optional (the cookie or a header carries what matters): empty is `{}`, anything else must be JSON. */
export async function optionalJsonBody(c: Context): Promise<{ raw: string; value: unknown }> {
  const raw = await c.req.text();
  if (raw.trim() === "") return { raw, value: {} };
  try {
    return { raw, value: JSON.parse(raw) };
  } catch {
    throw new AppError(400, "invalid_json", "The request body is not valid JSON.");
  }
}
