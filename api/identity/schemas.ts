import { z } from "zod";
import { refusal } from "../lib/validation.ts";

export const PASSWORD_MIN = 8;
/** ASVS asks for at least 64; scrypt takes any length, so allow long passphrases. */
export const PASSWORD_MAX = 256;

const codePoints = (value: string) => [...value].length;

export const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ message: "must be an email address" }));

/** Never trimmed or otherwise modified: what the user typed is what is hashed (after NFKC). */
export const password = z
  .string()
  .refine(
    (value) => codePoints(value) >= PASSWORD_MIN,
    refusal("too_short", `must be at least ${PASSWORD_MIN} characters`, { minimum: PASSWORD_MIN }),
  )
  .refine(
    (value) => codePoints(value) <= PASSWORD_MAX,
    refusal("too_long", `must be at most ${PASSWORD_MAX} characters`, { maximum: PASSWORD_MAX }),
  );

export const displayName = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(100)
  .refine((value) => !/\p{Cc}/u.test(value), refusal("invalid", "must not contain control characters"));

const token = z.string().min(1).max(200);

export const registerBody = z.strictObject({
  email,
  password,
  name: displayName,
  role: z.enum(["student", "teacher"]).default("student"),
});

export const loginBody = z.strictObject({
  email,
  password: z.string().min(1).max(PASSWORD_MAX * 4),
  client: z.enum(["web", "native"]).default("web"),
  /** Native clients send back the device token of their last sign-in; browsers hold it in a cookie. */
  deviceToken: z.string().min(1).max(2000).optional(),
});

export const tokenBody = z.strictObject({ token });
export const emailBody = z.strictObject({ email });
export const resetPasswordBody = z.strictObject({ token, password });
/** Refresh and logout: the cookie, or for native clients the token in the body. */
export const refreshBody = z.strictObject({ refreshToken: token.optional() });
export const updateMeBody = z.strictObject({ name: displayName.optional() });
