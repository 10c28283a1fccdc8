import { handle } from "@astrojs/cloudflare/handler";
import { env as bindings } from "cloudflare:workers";
import type { ExecutionContext } from "hono";
import { headerPolicy, SITE_SECURITY_HEADERS } from "../site/src/lib/security-headers.ts";
import type { AppDeps, EmailJob } from "./deps.ts";
import { environmentWarning } from "./env.ts";
import { withHeaders } from "./lib/response-cache/http.ts";
import { responseCacheFor, sharedCacheFront } from "./lib/response-cache/serve.ts";
import type { QueueMessage } from "./notifications/email-consumer.ts";
import { handleApi, handleEmailBatch, handleScheduled, isolateDeps } from "./worker-api.ts";

export { withServices } from "./worker-api.ts";

const API_PATHS = /^\/(api|health)(\/|$)/;

/** Isolates that have said what they run as: once each, at their first request (a Worker has no startup hook). */
const announced = new WeakSet<AppDeps>();

function announceEnvironment(deps: AppDeps): void {
  if (announced.has(deps)) return;
  announced.add(deps);
  const warning = environmentWarning(deps.config);
  if (warning) deps.logger.log("warn", warning);
}

/** The isolate's own front, built once: without Workers Cache every request goes through it. */
const inProcessFronts = new WeakMap<AppDeps, ReturnType<typeof sharedCacheFront>>();

function frontFor(deps: AppDeps, ctx: ExecutionContext): ReturnType<typeof sharedCacheFront> {
  const cache = responseCacheFor(ctx, deps.responseCache);
  if (cache !== deps.responseCache) return sharedCacheFront(cache, deps.config.publicUrl);
  let front = inProcessFronts.get(deps);
  if (!front) inProcessFronts.set(deps, front = sharedCacheFront(cache, deps.config.publicUrl));
  return front;
}

/** The reason phrases of the errors the site answers with. */
const REASONS: Readonly<Record<number, string>> = {
  400: "Bad Request",
  404: "Not Found",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/**
 * Astro answers a missing page with its prerendered 404 page's answer re-labelled 404, reason phrase and all:
 * "404 OK". The phrase follows the status here.
 */
function withReasonPhrase(response: Response): Response {
  if (response.ok || response.statusText !== "OK") return response;
  const { status, headers, body } = response;
  return new Response(body, { status, statusText: REASONS[status] ?? "", headers });
}

/** Before the cache stores the answer: Workers Cache hands it out again without running the Worker. */
function withSiteSecurityHeaders(response: Response): Response {
  return withHeaders(withReasonPhrase(response), (headers) => {
    for (const [name, value] of Object.entries(SITE_SECURITY_HEADERS)) headers.set(name, value);
    const policy = headers.get("Content-Security-Policy");
    if (policy) headers.set("Content-Security-Policy", headerPolicy(policy));
  });
}

/**
 * One Worker: the API under /api and /health, every other path rendered or
 * served by Astro, both behind the shared response cache (Workers Cache where
 * the platform has it, the isolate's own otherwise); plus the email queue's
 * consumer and the maintenance cron.
 *
 * Every entry uses `cloudflare:workers`' env, not the handler's argument: pages
 * reach the services with it (site/src/lib/pages.ts), it is another object
 * than the one handlers get, and the isolate's dependencies (the response
 * cache among them) are built once per env object.
 */
export default {
  fetch(request: Request, _env: unknown, ctx: ExecutionContext): Promise<Response> {
    const origin = (forwarded: Request) =>
      API_PATHS.test(new URL(forwarded.url).pathname)
        ? handleApi(forwarded, bindings, ctx)
        : handle(forwarded, bindings as never, ctx as never).then(withSiteSecurityHeaders);
    const deps = isolateDeps(bindings);
    if (!deps) return origin(request);
    announceEnvironment(deps);
    return frontFor(deps, ctx).serve(request, origin, (work) => ctx.waitUntil(work));
  },
  queue(batch: { messages: readonly QueueMessage<EmailJob>[] }, _env: unknown, ctx: ExecutionContext): Promise<void> {
    return handleEmailBatch(batch, bindings, ctx);
  },
  scheduled(_controller: unknown, _env: unknown, ctx: ExecutionContext): void {
    ctx.waitUntil(handleScheduled(bindings, ctx));
  },
};
