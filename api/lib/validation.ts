import { zValidator } from "@hono/zod-validator";
import type { Context, ValidationTargets } from "hono";
import type { z } from "zod";
import { AppError, type FieldError } from "./errors.ts";

export function fieldErrors(error: { issues: readonly z.core.$ZodIssue[] }): FieldError[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join(".") || "body",
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
    return isStorableText(value) ? [] : [{ path: path.join(".") || "body", message: UNSTORABLE }];
  }
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, item]) => [
    ...(isStorableText(key) ? [] : [{ path: path.join(".") || "body", message: UNSTORABLE }]),
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
  if (!result.success) return { success: false, errors: fieldErrors(result.error) };
  const unstorable = unstorableFields(result.data);
  return unstorable.length > 0 ? { success: false, errors: unstorable } : { success: true, data: result.data };
}

/** zValidator with the API's error shape and text rule: every failure is 422 validation_failed, one entry per field. */
export function validate<Target extends keyof ValidationTargets, Schema extends z.ZodType>(
  target: Target,
  schema: Schema,
) {
  return zValidator(target, schema, (result) => {
    if (!result.success) throw AppError.validation(fieldErrors(result.error));
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
