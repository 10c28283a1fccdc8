/**
 * The overhead benchmark's baseline: a bare Hono handler that answers a
 * course request — the API's or the page's — with the very bytes the app sent
 * for it (BODY_BASE64, as CONTENT_TYPE), and nothing else — no middleware, no
 * cache, no database. The same module is a
 * Worker (bundled by wrangler, run by workerd) and, under Deno, a Deno.serve
 * entry, so each runtime is compared with itself.
 */
import { type Context, Hono } from "hono";

interface Bindings {
  BODY_BASE64?: string;
  CONTENT_TYPE?: string;
}

/** The part of Deno's API used here (tsc checks this file without Deno's types). */
interface DenoRuntime {
  env: { get(name: string): string | undefined };
  serve(options: { hostname: string; port: number }, handler: (request: Request) => Response | Promise<Response>): void;
}

let body: Uint8Array<ArrayBuffer> | undefined;

const decode = (base64: string) => Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));

const send = (c: Context<{ Bindings: Bindings }>) => {
  body ??= decode(c.env.BODY_BASE64 ?? "");
  return c.body(body, 200, { "Content-Type": c.env.CONTENT_TYPE ?? "application/json" });
};

const app = new Hono<{ Bindings: Bindings }>()
  .get("/health/ready", (c) => c.text("ok"))
  .get("/api/v1/courses/:idOrSlug", send)
  .get("/courses/:slug", send);

export default app;

const deno = (globalThis as { Deno?: DenoRuntime }).Deno;
if (deno) {
  const env: Bindings = { BODY_BASE64: deno.env.get("BODY_BASE64"), CONTENT_TYPE: deno.env.get("CONTENT_TYPE") };
  const port = Number(deno.env.get("PORT") ?? 8000);
  deno.serve({ hostname: deno.env.get("HOST") ?? "127.0.0.1", port }, (request) => app.fetch(request, env));
}
