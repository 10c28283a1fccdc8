import type { Deps } from "../deps.ts";
import { AppError } from "../lib/errors.ts";
import { type BackoffRule, backoffSeconds } from "../lib/ratelimit/backoff.ts";
import type { RateLimitRule } from "../lib/ratelimit/ratelimit.ts";
import { limiterUnavailable } from "./accounts.ts";

/**
 * Failed sign-ins are throttled where they come from, so that an attacker
 * cannot lock the owner out:
 *
 * - per account and source, exponential backoff: five failures in a row are
 *   free, then each further one doubles the wait before the next attempt from
 *   that source (1 s, 2 s, 4 s … at most 15 minutes). The source is the
 *   device, for a device that signed in to the account before and presents
 *   its device token (./device-token.ts); otherwise the client address (an
 *   IPv6 client by its /64). A success ends the source's streak.
 * - per account, at most 100 failures an hour from devices the account has
 *   never signed in on (ASVS V6.3 against guessing from many addresses).
 *   Known devices are neither held by this limit nor counted in it.
 *
 * So an attacker slows only himself, and the owner gets through on a device
 * of theirs even from the attacker's address. A password reset clears both
 * for the account. Accounts are keyed by the email as typed (normalized), so
 * unknown addresses are throttled alike.
 */
export const LOGIN_BACKOFF_RULE: BackoffRule = {
  name: "login-backoff",
  freeFailures: 5,
  baseSeconds: 1,
  maxSeconds: 900,
  forgetAfterSeconds: 86_400,
};

export const LOGIN_FAILURE_RULE: RateLimitRule = { name: "login-failures", limit: 100, windowSeconds: 3600 };

/** The account-wide window only says that it is spent; by then a quarter of its hour lets some attempts back in. */
const ACCOUNT_LIMIT_RETRY_SECONDS = 900;

export interface SignInAttempt {
  email: string;
  clientKey: string;
  /** The device's id when it presented a valid device token of this account. */
  deviceId: string | undefined;
}

/** Who a streak belongs to: the known device, else the address. */
const sourceOf = (attempt: SignInAttempt) =>
  attempt.deviceId ? `device:${attempt.deviceId}` : `ip:${attempt.clientKey}`;

const tooMany = (detail: string, retryAfter: number) =>
  new AppError(429, "rate_limited", detail, { headers: { "Retry-After": String(retryAfter) } });

/** Refuses the attempt (429, Retry-After) while its address must wait or the account is shut to new devices. */
export async function assertMayTrySignIn(deps: Pick<Deps, "limiter" | "logger" | "clock">, attempt: SignInAttempt) {
  const now = deps.clock.now().getTime();
  const [streak, accountRemaining] = await Promise.all([
    deps.limiter.streak(LOGIN_BACKOFF_RULE, attempt.email, sourceOf(attempt), now).catch((error) => {
      throw limiterUnavailable(deps, LOGIN_BACKOFF_RULE, error);
    }),
    attempt.deviceId ? undefined : deps.limiter.remaining(LOGIN_FAILURE_RULE, attempt.email).catch((error) => {
      throw limiterUnavailable(deps, LOGIN_FAILURE_RULE, error);
    }),
  ]);
  const wait = backoffSeconds(LOGIN_BACKOFF_RULE, streak, now);
  if (wait > 0) throw tooMany("Too many failed sign-ins from here; wait before trying again.", wait);
  if (accountRemaining !== undefined && accountRemaining <= 0) {
    throw tooMany(
      "Too many failed sign-ins for this account from new devices; sign in where you did before, or reset your password.",
      ACCOUNT_LIMIT_RETRY_SECONDS,
    );
  }
}

/** Counts a failure; when that cannot be done the next attempt finds the limiter down too and is refused. */
export async function recordFailedSignIn(deps: Pick<Deps, "limiter" | "logger" | "clock">, attempt: SignInAttempt) {
  await Promise.all([
    deps.limiter.recordFailure(LOGIN_BACKOFF_RULE, attempt.email, sourceOf(attempt), deps.clock.now().getTime()),
    attempt.deviceId ? undefined : deps.limiter.hit(LOGIN_FAILURE_RULE, attempt.email),
  ]).catch((error) => {
    deps.logger.log("error", "could not count a failed sign-in", { error: String(error) });
  });
}

/** A success ends its source's streak; the account-wide count stays, as the attacker's attempts still happened. */
export async function recordSignIn(deps: Pick<Deps, "limiter" | "logger">, attempt: SignInAttempt) {
  await deps.limiter.clearStreaks(LOGIN_BACKOFF_RULE, attempt.email, sourceOf(attempt)).catch((error) => {
    deps.logger.log("error", "could not end a sign-in failure streak", { error: String(error) });
  });
}

/** After a password reset: whoever failed before failed against a password that is gone. */
export async function clearSignInFailures(deps: Pick<Deps, "limiter" | "logger">, email: string) {
  await Promise.all([
    deps.limiter.clearStreaks(LOGIN_BACKOFF_RULE, email),
    deps.limiter.reset(LOGIN_FAILURE_RULE, email),
  ]).catch((error) => {
    deps.logger.log("error", "could not clear failed sign-ins after a reset", { error: String(error) });
  });
}
