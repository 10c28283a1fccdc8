import { eq } from "drizzle-orm";
import { users } from "../../db/schema/index.ts";
import { invalidateTeacher } from "../catalog/cache.ts";
import type { Deps } from "../deps.ts";
import { AppError } from "../lib/errors.ts";
import type { RateLimitRule } from "../lib/ratelimit/ratelimit.ts";

type UserRow = typeof users.$inferSelect;

export interface UserView {
  id: string;
  email: string;
  name: string;
  role: UserRow["role"];
  emailVerified: boolean;
}

export interface MeView extends UserView {
  createdAt: string;
}

export function userView(user: UserRow): UserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    emailVerified: user.emailVerifiedAt !== null,
  };
}

export function meView(user: UserRow): MeView {
  return { ...userView(user), createdAt: user.createdAt.toISOString() };
}

export async function findUser({ db }: Pick<Deps, "db">, userId: string): Promise<UserRow> {
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user) throw new AppError(401, "unauthorized", "This account no longer exists.");
  return user;
}

/**
 * Account-level counters fail closed: when the limiter cannot count, the
 * action it guards is refused for a minute rather than left unlimited.
 */
export function limiterUnavailable(deps: Pick<Deps, "logger">, rule: { name: string }, error: unknown): AppError {
  deps.logger.log("error", "rate limiter unavailable, refusing", { rule: rule.name, error: String(error) });
  return new AppError(503, "service_unavailable", "This is temporarily unavailable; try again in a minute.", {
    headers: { "Retry-After": "60" },
  });
}

/**
 * Per-address limits on mail-sending endpoints fail closed: if the limiter
 * cannot count, no email goes out.
 */
export async function enforceEmailLimit(
  deps: Pick<Deps, "limiter" | "logger" | "clock">,
  rule: RateLimitRule,
  email: string,
) {
  let decision;
  try {
    decision = await deps.limiter.hit(rule, email);
  } catch (error) {
    throw limiterUnavailable(deps, rule, error);
  }
  if (!decision.allowed) {
    const retryAfter = Math.max(1, Math.ceil((decision.resetAt - deps.clock.now().getTime()) / 1000));
    throw new AppError(429, "rate_limited", `At most ${rule.limit} of these per hour for one address.`, {
      headers: { "Retry-After": String(retryAfter) },
    });
  }
}

export async function updateMe(deps: Deps, userId: string, changes: { name?: string | undefined }): Promise<MeView> {
  if (changes.name === undefined) return meView(await findUser(deps, userId));
  const [user] = await deps.db.update(users).set({ name: changes.name }).where(eq(users.id, userId)).returning();
  if (!user) throw new AppError(401, "unauthorized", "This account no longer exists.");
  if (user.role !== "student") await invalidateTeacher(deps, user.id);
  return meView(user);
}
