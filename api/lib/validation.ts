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

/** zValidator with the API's error shape: every failure is 422 validation_failed with one entry per field. */
export function validate<Target extends keyof ValidationTargets, Schema extends z.ZodType>(
  target: Target,
  schema: Schema,
) {
  return zValidator(target, schema, (result) => {
    if (!result.success) throw AppError.validation(fieldErrors(result.error));
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
