import { Hono } from "hono";
import type { AppEnv } from "../deps.ts";
import { problemBody } from "../lib/errors.ts";
import { readiness } from "./service.ts";

export const healthRoutes = new Hono<AppEnv>()
  .get("/live", (c) => c.json({ status: "ok" as const }))
  .get("/ready", async (c) => {
    c.header("Cache-Control", "no-store");
    const result = await readiness(c.var.deps);
    if (result.ready) return c.json({ status: "ok" as const, checks: result.checks });
    const failed = Object.entries(result.checks)
      .filter(([, status]) => status === "failed")
      .map(([name]) => name);
    const problem = problemBody(
      {
        status: 503,
        code: "service_unavailable",
        message: `Not ready: ${failed.join(" and ")} unreachable.`,
        errors: undefined,
      },
      c.var.requestId,
    );
    return c.json({ ...problem, failed, checks: result.checks }, 503, { "Content-Type": "application/problem+json" });
  });
