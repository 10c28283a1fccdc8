import { sql } from "drizzle-orm";
import type { Deps } from "../deps.ts";
import { withTimeout } from "../lib/timeout.ts";

export type CheckStatus = "ok" | "failed";

export interface Readiness {
  ready: boolean;
  checks: { database: CheckStatus; cache: CheckStatus };
}

const CHECK_TIMEOUT_MS = 2_000;

async function check(work: () => Promise<unknown>, what: string): Promise<CheckStatus> {
  try {
    await withTimeout(work(), CHECK_TIMEOUT_MS, what);
    return "ok";
  } catch {
    return "failed";
  }
}

export async function readiness(deps: Pick<Deps, "db" | "cache">): Promise<Readiness> {
  const [database, cache] = await Promise.all([
    check(() => deps.db.execute(sql`select 1`), "database"),
    check(() => deps.cache.ping(), "cache"),
  ]);
  return { ready: database === "ok" && cache === "ok", checks: { database, cache } };
}
