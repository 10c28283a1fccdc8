import { and, eq, isNull, sql } from "drizzle-orm";
import type { Executor } from "../../db/client.ts";
import { refreshTokenFamilies, refreshTokens, users } from "../../db/schema/index.ts";
import type { Config } from "../env.ts";
import type { Deps } from "../deps.ts";
import { base64url, hmacSha256, randomToken, sha256Hex } from "../lib/crypto.ts";
import { AppError } from "../lib/errors.ts";
import { hashPassword, verifyPassword } from "../lib/password.ts";
import { signAccessToken, type SigningKeys } from "./access-token.ts";
import { findUser, meView, type UserView, userView } from "./accounts.ts";
import { issueDeviceToken, knownDevice } from "./device-token.ts";
import { assertMayTrySignIn, recordFailedSignIn, recordSignIn, type SignInAttempt } from "./sign-in-throttle.ts";

const DAY_MS = 86_400_000;

type UserRow = typeof users.$inferSelect;

export const ACCESS_AUDIENCE = "lectern-api";

export function signingKeys(config: Config): SigningKeys {
  return {
    current: config.auth.jwtSecret,
    previous: config.auth.jwtSecretPrevious,
    issuer: config.publicUrl,
    audience: ACCESS_AUDIENCE,
    ttlSeconds: config.auth.accessTokenTtlSeconds,
  };
}

export interface Session {
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  /** When the refresh cookie should expire: the earlier of the idle timeout and the family's absolute end. */
  refreshExpiresAt: Date;
}

let dummyHash: Promise<string> | undefined;

/** A real hash to verify against for unknown emails, so they take as long as wrong passwords. */
function hashForUnknownEmail(): Promise<string> {
  dummyHash ??= hashPassword(randomToken());
  return dummyHash;
}

/**
 * The child of a refresh token is derived from it (HMAC with the server key)
 * rather than drawn at random. Only hashes are stored, yet a client that lost
 * the answer to a refresh can be handed the very same child again within the
 * reuse interval.
 */
async function childOf(config: Config, parentToken: string): Promise<string> {
  return base64url(await hmacSha256(config.auth.jwtSecret, `refresh-child:${parentToken}`));
}

async function accessTokenFor(deps: Deps, user: { id: string; role: UserView["role"] }) {
  const accessToken = await signAccessToken(
    signingKeys(deps.config),
    { userId: user.id, role: user.role },
    deps.clock.now(),
  );
  return { accessToken, expiresIn: deps.config.auth.accessTokenTtlSeconds };
}

function refreshExpiry(config: Config, family: { expiresAt: Date }, now: Date): Date {
  return new Date(Math.min(family.expiresAt.getTime(), now.getTime() + config.auth.refreshIdleTimeoutDays * DAY_MS));
}

const invalidCredentials = () => new AppError(401, "invalid_credentials", "The email or password is incorrect.");

export interface LoginRequest {
  userAgent: string | undefined;
  /** The caller's rate-limit key (api/lib/ratelimit/client-key.ts). */
  clientKey: string;
  /** The device token this browser or app got at an earlier sign-in, if any. */
  deviceToken: string | undefined;
}

export type SignedInSession = Session & { user: UserView; deviceToken: string };

/**
 * Starts a refresh-token family for the user inside the caller's transaction, so the session exists exactly
 * when what earned it (a password check, a verified email) is committed.
 */
export async function openSession(
  tx: Executor,
  deps: Pick<Deps, "config">,
  userId: string,
  userAgent: string | undefined,
  now: Date,
): Promise<{ refreshToken: string; refreshExpiresAt: Date }> {
  const refreshToken = randomToken();
  const [family] = await tx
    .insert(refreshTokenFamilies)
    .values({
      userId,
      expiresAt: new Date(now.getTime() + deps.config.auth.refreshLifetimeDays * DAY_MS),
      lastUsedAt: now,
      userAgent: userAgent?.slice(0, 300),
    })
    .returning();
  await tx.insert(refreshTokens).values({ familyId: family!.id, tokenHash: await sha256Hex(refreshToken) });
  return { refreshToken, refreshExpiresAt: refreshExpiry(deps.config, family!, now) };
}

/** What a browser or app gets when a session starts: tokens, the user, and a device token for its next sign-in. */
export async function signedIn(
  deps: Deps,
  user: UserRow,
  opened: { refreshToken: string; refreshExpiresAt: Date },
  now: Date,
): Promise<SignedInSession> {
  return {
    ...(await accessTokenFor(deps, user)),
    ...opened,
    user: userView(user),
    deviceToken: await issueDeviceToken(deps.config, user.id, now),
  };
}

/** A session, and a fresh device token for the next sign-in from here (./sign-in-throttle.ts). */
export async function login(
  deps: Deps,
  input: { email: string; password: string },
  request: LoginRequest,
): Promise<SignedInSession> {
  const [user] = await deps.db.select().from(users).where(eq(users.email, input.email));
  const attempt: SignInAttempt = {
    email: input.email,
    clientKey: request.clientKey,
    deviceId: user ? await knownDevice(deps.config, request.deviceToken, user.id, deps.clock.now()) : undefined,
  };
  await assertMayTrySignIn(deps, attempt);
  const check = await verifyPassword(input.password, user?.passwordHash ?? (await hashForUnknownEmail()));
  if (!user || !check.valid) {
    await recordFailedSignIn(deps, attempt);
    throw invalidCredentials();
  }
  deps.defer(recordSignIn(deps, attempt));

  const now = deps.clock.now();
  const newHash = check.needsRehash ? await hashPassword(input.password) : undefined;
  const opened = await deps.db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ lastSeenAt: now, ...(newHash ? { passwordHash: newHash } : {}) })
      .where(eq(users.id, user.id));
    return openSession(tx, deps, user.id, request.userAgent, now);
  });
  return signedIn(deps, user, opened, now);
}

type RotationOutcome =
  | { kind: "rotated"; userId: string; refreshToken: string; family: { expiresAt: Date } }
  | { kind: "invalid" }
  | { kind: "reused" };

/**
 * Rotation with reuse detection (RFC 9700 §4.14.2). The family row is locked
 * for the whole exchange, so concurrent refreshes of one token serialize:
 * the first rotates, the rest fall in the reuse interval and get the same
 * child. A retired token outside that grace — or any older ancestor — revokes
 * the family, and that revocation commits even though the request fails.
 */
export async function refresh(deps: Deps, token: string): Promise<Session> {
  const now = deps.clock.now();
  const tokenHash = await sha256Hex(token);
  const { auth } = deps.config;

  const outcome = await deps.db.transaction(async (tx): Promise<RotationOutcome> => {
    // Lock the family first, then read the token: a statement that started
    // after the lock sees what a concurrent refresh committed before it.
    const [owner] = await tx
      .select({ familyId: refreshTokens.familyId })
      .from(refreshTokens)
      .where(eq(refreshTokens.tokenHash, tokenHash));
    if (!owner) return { kind: "invalid" };
    const [family] = await tx
      .select()
      .from(refreshTokenFamilies)
      .where(eq(refreshTokenFamilies.id, owner.familyId))
      .for("update");
    const [presented] = await tx.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, tokenHash));
    if (!family || !presented || family.revokedAt) return { kind: "invalid" };

    const revoke = (reason: string) =>
      tx.update(refreshTokenFamilies).set({ revokedAt: now, revokedReason: reason }).where(
        eq(refreshTokenFamilies.id, family.id),
      );
    const idleSince = now.getTime() - family.lastUsedAt.getTime();
    if (family.expiresAt <= now || idleSince > auth.refreshIdleTimeoutDays * DAY_MS) {
      await revoke("expired");
      return { kind: "invalid" };
    }

    const child = await childOf(deps.config, token);
    if (presented.retiredAt) {
      const [live] = await tx
        .select()
        .from(refreshTokens)
        .where(and(eq(refreshTokens.familyId, family.id), isNull(refreshTokens.retiredAt)));
      const withinGrace = now.getTime() - presented.retiredAt.getTime() <= auth.refreshReuseIntervalSeconds * 1000;
      if (withinGrace && live?.parentId === presented.id && live.tokenHash === (await sha256Hex(child))) {
        return { kind: "rotated", userId: family.userId, refreshToken: child, family };
      }
      await revoke("reuse");
      return { kind: "reused" };
    }

    await tx.update(refreshTokens).set({ retiredAt: now }).where(eq(refreshTokens.id, presented.id));
    await tx.insert(refreshTokens).values({
      familyId: family.id,
      parentId: presented.id,
      tokenHash: await sha256Hex(child),
    });
    await tx.update(refreshTokenFamilies).set({ lastUsedAt: now }).where(eq(refreshTokenFamilies.id, family.id));
    return { kind: "rotated", userId: family.userId, refreshToken: child, family };
  });

  if (outcome.kind === "reused") {
    deps.logger.log("warn", "refresh token reuse: family revoked", { tokenHash: tokenHash.slice(0, 12) });
    throw new AppError(401, "refresh_token_reused", "This session was ended because its refresh token was reused.");
  }
  if (outcome.kind === "invalid") {
    throw new AppError(401, "refresh_token_invalid", "The refresh token is invalid or expired; sign in again.");
  }
  const user = await findUser(deps, outcome.userId);
  await deps.db.update(users).set({ lastSeenAt: now }).where(eq(users.id, user.id));
  return {
    ...(await accessTokenFor(deps, user)),
    refreshToken: outcome.refreshToken,
    refreshExpiresAt: refreshExpiry(deps.config, outcome.family, now),
  };
}

/** Ends the session the token belongs to, whichever generation it is. Unknown tokens are silently ignored. */
export async function logout(deps: Deps, token: string): Promise<void> {
  const tokenHash = await sha256Hex(token);
  await deps.db
    .update(refreshTokenFamilies)
    .set({ revokedAt: deps.clock.now(), revokedReason: "logout" })
    .where(
      and(
        isNull(refreshTokenFamilies.revokedAt),
        sql`${refreshTokenFamilies.id} = (select ${refreshTokens.familyId} from ${refreshTokens} where ${refreshTokens.tokenHash} = ${tokenHash})`,
      ),
    );
}

/**
 * A learner who wants to teach becomes a teacher at once (teachers and
 * admins stay what they are). The answer carries an access token with the new
 * role, so the studio opens without waiting for the next refresh.
 */
export async function becomeTeacher(deps: Deps, userId: string) {
  const [promoted] = await deps.db.update(users).set({ role: "teacher" })
    .where(and(eq(users.id, userId), eq(users.role, "student"))).returning();
  const user = promoted ?? await findUser(deps, userId);
  return { user: meView(user), ...await accessTokenFor(deps, user) };
}
