import { handle } from "@astrojs/cloudflare/handler";
import type { ExecutionContext } from "hono";
import { handleApi, type WorkerEnv } from "./worker-api.ts";

export { withServices } from "./worker-api.ts";

const API_PATHS = /^\/(api|health)(\/|$)/;

/** One Worker: the API under /api and /health, every other path rendered or served by Astro. */
export default {
  fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    if (API_PATHS.test(new URL(request.url).pathname)) return handleApi(request, env, ctx);
    return handle(request, env as never, ctx as never);
  },
};
