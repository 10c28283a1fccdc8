import { RETAINED_304_HEADERS } from "hono/etag";

/**
 * Edits a response's headers in place, or on a copy when they are immutable
 * (a `fetch` answer, such as a static asset's). The body is handed over, not read.
 */
export function withHeaders(response: Response, edit: (headers: Headers) => void): Response {
  try {
    edit(response.headers);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    edit(copy.headers);
    return copy;
  }
}

/** Whether `If-None-Match` names `etag` (weak comparison, as for GET: RFC 9110 §13.1.2). */
export function ifNoneMatchHits(request: Request, etag: string | null | undefined): boolean {
  const condition = request.headers.get("if-none-match");
  if (!condition || !etag) return false;
  if (condition.trim() === "*") return true;
  const opaque = etag.replace(/^W\//, "");
  return condition.match(/"[^"]*"/g)?.some((candidate) => candidate === opaque) ?? false;
}

/** The 304 for a 200 with `headers`: only the fields RFC 9110 §15.4.5 asks for, plus `extra`. */
export function notModified(headers: Headers, extra: Record<string, string>): Response {
  const kept = new Headers(extra);
  for (const name of RETAINED_304_HEADERS) {
    const value = headers.get(name);
    if (value !== null) kept.set(name, value);
  }
  return new Response(null, { status: 304, headers: kept });
}
