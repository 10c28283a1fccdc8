import { handle } from "@astrojs/cloudflare/handler";
import { env as bindings } from "cloudflare:workers";
import type { ExecutionContext } from "hono";
import type { AppDeps, EmailJob } from "./deps.ts";
import { responseCacheFor, sharedCacheFront } from "./lib/response-cache/serve.ts";
import type { QueueMessage } from "./notifications/email-consumer.ts";
import { handleApi, handleEmailBatch, handleScheduled, isolateDeps } from "./worker-api.ts";

export { withServices } from "./worker-api.ts";

const API_PATHS = /^\/(api|health)(\/|$)/;

/** The isolate's own front, built once: without Workers Cache every request goes through it. */
const inProcessFronts = new WeakMap<AppDeps, ReturnType<typeof sharedCacheFront>>();

function frontFor(deps: AppDeps, ctx: ExecutionContext): ReturnType<typeof sharedCacheFront> {
  const cache = responseCacheFor(ctx, deps.responseCache);
  if (cache !== deps.responseCache) return sharedCacheFront(cache, deps.config.publicUrl);
  let front = inProcessFronts.get(deps);
  if (!front) inProcessFronts.set(deps, front = sharedCacheFront(cache, deps.config.publicUrl));
  return front;
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
        : handle(forwarded, bindings as never, ctx as never);
    const deps = isolateDeps(bindings);
    if (!deps) return origin(request);
    return frontFor(deps, ctx).serve(request, origin, (work) => ctx.waitUntil(work));
  },
  queue(batch: { messages: readonly QueueMessage<EmailJob>[] }, _env: unknown, ctx: ExecutionContext): Promise<void> {
    return handleEmailBatch(batch, bindings, ctx);
  },
  scheduled(_controller: unknown, _env: unknown, ctx: ExecutionContext): void {
    ctx.waitUntil(handleScheduled(bindings, ctx));
  },
};
