/**
 * The overhead benchmark's baseline: a bare Hono handler that answers a
 * course request with the very bytes the API sent for it (BODY_BASE64), and
 * nothing else — no middleware, no cache, no database. The same module is a
 * Worker (bundled by wrangler, run by workerd) and, under Deno, a Deno.serve
 * entry, so each runtime is compared with itself.
 */
import { Hono } from "hono";

interface Bindings {
  BODY_BASE64?: string;
}

/** The part of Deno's API used here (tsc checks this file without Deno's types). */
interface DenoRuntime {
  env: { get(name: string): string | undefined };
  serve(options: { hostname: string; port: number }, handler: (request: Request) => Response | Promise<Response>): void;
}

let body: Uint8Array<ArrayBuffer> | undefined;

const decode = (base64: string) => Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));

const app = new Hono<{ Bindings: Bindings }>()
  .get("/health/ready", (c) => c.text("ok"))
  .get("/api/v1/courses/:idOrSlug", (c) => {
    body ??= decode(c.env.BODY_BASE64 ?? "");
    return c.body(body, 200, { "Content-Type": "application/json" });
  });

export default app;

const deno = (globalThis as { Deno?: DenoRuntime }).Deno;
if (deno) {
  const env: Bindings = { BODY_BASE64: deno.env.get("BODY_BASE64") };
  const port = Number(deno.env.get("PORT") ?? 8000);
  deno.serve({ hostname: deno.env.get("HOST") ?? "127.0.0.1", port }, (request) => app.fetch(request, env));
}
