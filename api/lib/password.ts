import { scrypt, timingSafeEqual } from "node:crypto";

/** Current cost. Stored hashes carry their own parameters, so raising these rehashes users at their next login. */
export const SCRYPT = { N: 2 ** 15, r: 8, p: 3, keyLength: 32 } as const;

const LIMITS = { minLogN: 14, maxLogN: 20, maxR: 32, maxP: 16 };
const FORMAT = /^scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]{22,}={0,2})\$([A-Za-z0-9+/]{43,}={0,2})$/;

interface Params {
  N: number;
  r: number;
  p: number;
}

function derive(password: string, salt: Buffer, params: Params, keyLength: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize("NFKC"),
      salt,
      keyLength,
      { ...params, maxmem: 256 * params.N * params.r + 1024 * 1024 },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

/** `scrypt$ln=15,r=8,p=3$<salt>$<key>`: self-describing, so parameters can change without a migration. */
export async function hashPassword(password: string): Promise<string> {
  const salt = Buffer.from(crypto.getRandomValues(new Uint8Array(16)));
  const key = await derive(password, salt, SCRYPT, SCRYPT.keyLength);
  return `scrypt$ln=${Math.log2(SCRYPT.N)},r=${SCRYPT.r},p=${SCRYPT.p}$${salt.toString("base64")}$${
    key.toString("base64")
  }`;
}

export interface Verification {
  valid: boolean;
  /** The hash was made with other parameters than today's: store a fresh one. */
  needsRehash: boolean;
}

/**
 * Rejects malformed hashes and out-of-range parameters before deriving
 * anything, so a tampered row cannot make the server burn memory or CPU.
 */
export async function verifyPassword(password: string, stored: string): Promise<Verification> {
  const match = FORMAT.exec(stored);
  if (!match) return { valid: false, needsRehash: false };
  const [logN, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (logN < LIMITS.minLogN || logN > LIMITS.maxLogN || r < 1 || r > LIMITS.maxR || p < 1 || p > LIMITS.maxP) {
    return { valid: false, needsRehash: false };
  }
  const salt = Buffer.from(match[4]!, "base64");
  const expected = Buffer.from(match[5]!, "base64");
  const actual = await derive(password, salt, { N: 2 ** logN, r, p }, expected.length);
  const valid = timingSafeEqual(actual, expected);
  const current = logN === Math.log2(SCRYPT.N) && r === SCRYPT.r && p === SCRYPT.p &&
    expected.length === SCRYPT.keyLength;
  return { valid, needsRehash: valid && !current };
}
