import type { FieldError } from "../lib/errors.ts";
import { PASSWORD_MIN } from "./schemas.ts";

let common: Promise<Set<string>> | undefined;

/**
 * The 49k most common leaked passwords from zxcvbn-ts' dictionary; only those
 * long enough to pass the length rule can matter. Loaded on first use so the
 * list costs nothing to requests that never set a password.
 */
function commonPasswords(): Promise<Set<string>> {
  common ??= import("@zxcvbn-ts/language-common").then(({ dictionary }) => {
    const list = dictionary["passwords-common"] as string[];
    return new Set(list.filter((entry) => [...entry].length >= PASSWORD_MIN).map((entry) => entry.toLowerCase()));
  });
  return common;
}

/**
 * NIST 800-63B / ASVS V6: length and a blocklist, no composition rules. Also
 * refuses the account's own email or name as the password.
 */
export async function passwordProblems(
  password: string,
  context: { email?: string; name?: string } = {},
): Promise<FieldError[]> {
  const folded = password.normalize("NFKC").toLowerCase();
  if ((await commonPasswords()).has(folded)) {
    return [{
      path: "password",
      code: "common_password",
      message: "is one of the most common passwords; choose another",
    }];
  }
  const personal = [context.email, context.email?.split("@")[0], context.name?.toLowerCase()];
  if (personal.some((value) => value && value.length >= 4 && folded === value.toLowerCase())) {
    return [{ path: "password", code: "personal_password", message: "must not be your email or name" }];
  }
  return [];
}
