import { jwtVerify, SignJWT } from "jose";
import type { Config } from "../env.ts";

/** Never the access tokens' audience, so neither kind of token passes for the other. */
export const DEVICE_AUDIENCE = "device";
export const DEVICE_TOKEN_DAYS = 365;

const ALGORITHM = "HS256";
const encoder = new TextEncoder();

/**
 * Proof that this browser or app signed in to this account before: handed out
 * on every successful sign-in, it lets later sign-ins past the limits that an
 * attacker elsewhere can exhaust (./sign-in-throttle.ts). It grants nothing
 * else. Its `jti` names the device, so its own failures are counted apart.
 */
export async function issueDeviceToken(config: Config, userId: string, now: Date): Promise<string> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: ALGORITHM, typ: "JWT" })
    .setSubject(userId)
    .setIssuer(config.publicUrl)
    .setAudience(DEVICE_AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + DEVICE_TOKEN_DAYS * 86_400)
    .setJti(crypto.randomUUID())
    .sign(encoder.encode(config.auth.jwtSecret));
}

/** The device `token` names, if it is a live device token of this user signed with the current or previous key. */
export async function knownDevice(
  config: Config,
  token: string | undefined,
  userId: string,
  now: Date,
): Promise<string | undefined> {
  if (!token) return undefined;
  for (const secret of [config.auth.jwtSecret, config.auth.jwtSecretPrevious]) {
    if (!secret) continue;
    const verified = await jwtVerify(token, encoder.encode(secret), {
      algorithms: [ALGORITHM],
      issuer: config.publicUrl,
      audience: DEVICE_AUDIENCE,
      subject: userId,
      requiredClaims: ["sub", "exp", "iat", "jti"],
      currentDate: now,
    }).catch(() => undefined);
    if (verified) return verified.payload.jti;
  }
  return undefined;
}
