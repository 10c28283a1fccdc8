import type { MiddlewareHandler } from "hono";
import { AppError } from "../lib/errors.ts";
import { isStorableText } from "../lib/validation.ts";

function decoded(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/**
 * Path parameters reach lookups before any schema sees them. A path holding
 * text Postgres cannot store (NUL, an unpaired surrogate) names nothing that
 * could have been stored, so it is not found, whichever route it matches.
 */
export const refuseUnstorablePath: MiddlewareHandler = async function refuseUnstorablePath(c, next) {
  if (!isStorableText(decoded(c.req.path))) throw AppError.notFound("resource");
  await next();
};
