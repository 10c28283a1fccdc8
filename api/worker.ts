import { handle } from "@astrojs/cloudflare/handler";
import type { ExecutionContext } from "hono";
import type { EmailJob } from "./deps.ts";
import type { QueueMessage } from "./notifications/email-consumer.ts";
import { handleApi, handleEmailBatch, handleScheduled, type WorkerEnv } from "./worker-api.ts";

export { withServices } from "./worker-api.ts";

const API_PATHS = /^\/(api|health)(\/|$)/;

/**
 * One Worker: the API under /api and /health, every other path rendered or
 * served by Astro; plus the email queue's consumer and the maintenance cron.
 */
export default {
  fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    if (API_PATHS.test(new URL(request.url).pathname)) return handleApi(request, env, ctx);
    return handle(request, env as never, ctx as never);
  },
  queue(batch: { messages: readonly QueueMessage<EmailJob>[] }, env: WorkerEnv): Promise<void> {
    return handleEmailBatch(batch, env);
  },
  scheduled(_controller: unknown, env: WorkerEnv, ctx: ExecutionContext): void {
    ctx.waitUntil(handleScheduled(env));
  },
};
