import { errors, jwtVerify, SignJWT } from "jose";
import { sha256Hex } from "../lib/crypto.ts";
import { AppError } from "../lib/errors.ts";

export type Role = "student" | "teacher" | "admin";

export interface AccessClaims {
  userId: string;
  role: Role;
}

export interface SigningKeys {
  /** Signs new tokens. */
  current: string;
  /** Still accepted while tokens signed with it can be alive (one access-token lifetime after a rotation). */
  previous: string | undefined;
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

const ALGORITHM = "HS256";
/** Between the isolates that sign and verify, clocks may disagree by this much. */
const CLOCK_SKEW_SECONDS = 5;
const encoder = new TextEncoder();

async function keyId(secret: string): Promise<string> {
  return (await sha256Hex(`kid:${secret}`)).slice(0, 16);
}

export async function signAccessToken(keys: SigningKeys, claims: AccessClaims, now: Date): Promise<string> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  return new SignJWT({ role: claims.role })
    .setProtectedHeader({ alg: ALGORITHM, typ: "JWT", kid: await keyId(keys.current) })
    .setSubject(claims.userId)
    .setIssuer(keys.issuer)
    .setAudience(keys.audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + keys.ttlSeconds)
    .setJti(crypto.randomUUID())
    .sign(encoder.encode(keys.current));
}

const unauthorized = (detail: string) =>
  new AppError(401, "unauthorized", detail, { headers: { "WWW-Authenticate": 'Bearer error="invalid_token"' } });

/**
 * Only HS256 is accepted (no `none`, no algorithm confusion); issuer, audience
 * and expiry are required; the key is chosen by `kid` among current and previous.
 * A token may live no longer than the configured lifetime, whatever its `exp`
 * says: one minted with the real key (a leaked key, a bug, an old build with a
 * longer TTL) cannot outlive the policy, and one issued "in the future" is refused.
 */
export async function verifyAccessToken(keys: SigningKeys, token: string, now: Date): Promise<AccessClaims> {
  const secrets = [keys.current, keys.previous].filter((secret): secret is string => Boolean(secret));
  const byKid = new Map(await Promise.all(secrets.map(async (secret) => [await keyId(secret), secret] as const)));
  try {
    const { payload } = await jwtVerify(
      token,
      (header) => {
        const secret = header.kid ? byKid.get(header.kid) : undefined;
        if (!secret) throw unauthorized("The access token was signed with an unknown key.");
        return encoder.encode(secret);
      },
      {
        algorithms: [ALGORITHM],
        issuer: keys.issuer,
        audience: keys.audience,
        requiredClaims: ["sub", "exp", "iat"],
        maxTokenAge: keys.ttlSeconds,
        clockTolerance: CLOCK_SKEW_SECONDS,
        currentDate: now,
      },
    );
    if (payload.exp! - payload.iat! > keys.ttlSeconds) {
      throw unauthorized("The access token outlives the maximum lifetime.");
    }
    const role = payload.role;
    if (typeof payload.sub !== "string" || (role !== "student" && role !== "teacher" && role !== "admin")) {
      throw unauthorized("The access token is malformed.");
    }
    return { userId: payload.sub, role };
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (error instanceof errors.JWTExpired) throw unauthorized("The access token has expired.");
    throw unauthorized("The access token is invalid.");
  }
}
