/**
 * Field errors: what the API says about each refused field (a stable code, with its bound), and what the site
 * makes of it — a whole sentence that names the field, for every code the API can send.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { FIELD_ERROR_CODES } from "../../api/lib/errors.ts";
import { parseInput, refusal } from "../../api/lib/validation.ts";
import { loginBody, registerBody } from "../../api/identity/schemas.ts";
import { createLessonBody } from "../../api/catalog/schemas.ts";
import { validation } from "../../site/src/i18n/validation.ts";
import { fieldErrorSentence, fieldName } from "../../site/src/islands/lib/validation-messages.ts";

function errorsOf(schema: z.ZodType, input: unknown) {
  const result = parseInput(schema, input);
  if (result.success) throw new Error("expected a refusal");
  return result.errors;
}

describe("the API's field errors", () => {
  it("tell a missing field from one of the wrong kind, and carry lengths", () => {
    expect(errorsOf(registerBody, { email: "ada@example.test", name: "Ada" })).toEqual([
      { path: "password", code: "required", message: expect.any(String) },
    ]);
    expect(errorsOf(registerBody, { email: "ada@example.test", name: "Ada", password: 12345678 })).toEqual([
      { path: "password", code: "invalid_type", message: expect.any(String) },
    ]);
    expect(errorsOf(registerBody, { email: "ada@example.test", name: "Ada", password: "short" })).toEqual([
      { path: "password", code: "too_short", minimum: 8, message: "must be at least 8 characters" },
    ]);
    expect(errorsOf(loginBody, { email: "ada@example.test", password: "" })).toEqual([
      { path: "password", code: "required", message: expect.any(String) },
    ]);
  });

  it("name formats, choices, unknown keys and the refinements' own codes", () => {
    const errors = errorsOf(registerBody, { email: "nope", name: "  ", password: "long enough", role: "admin", x: 1 });
    expect(errors.map(({ path, code }) => `${path}:${code}`).sort()).toEqual([
      "body:unknown_field",
      "email:invalid_email",
      "name:required",
      "role:invalid_choice",
    ]);
    expect(errorsOf(createLessonBody, { title: "Intro", kind: "video" })).toEqual([
      { path: "videoUrl", code: "video_required", message: expect.any(String) },
    ]);
    expect(errorsOf(createLessonBody, { title: "Intro", kind: "video", videoUrl: "https://evil.example/v" })).toEqual(
      [{ path: "videoUrl", code: "unsupported_video_host", message: expect.any(String) }],
    );
    expect(errorsOf(createLessonBody, { title: "Intro", kind: "text", durationSec: 90_000 })).toEqual([
      { path: "durationSec", code: "too_big", maximum: 86_400, message: expect.any(String) },
    ]);
    expect(errorsOf(z.object({ title: z.string().max(3) }), { title: "a\u0000" })).toEqual([
      { path: "title", code: "unstorable_text", message: expect.any(String) },
    ]);
  });

  it("give a refinement without a known code the general one", () => {
    const schema = z.object({ n: z.number().refine(() => false, { message: "no" }) });
    expect(errorsOf(schema, { n: 1 })).toEqual([{ path: "n", code: "invalid", message: "no" }]);
    const coded = z.object({ n: z.number().refine(() => false, refusal("too_small", "no", { minimum: 2 })) });
    expect(errorsOf(coded, { n: 1 })).toEqual([{ path: "n", code: "too_small", minimum: 2, message: "no" }]);
  });
});

describe("the site's sentence for a field error", () => {
  const sentence = (path: string, code: string, bounds: { minimum?: number; maximum?: number } = {}) =>
    fieldErrorSentence({ path, code, message: "an API note that is never shown", ...bounds });

  it("reads the weak-password refusal as a whole sentence naming the field", () => {
    expect(sentence("password", "common_password")).toBe(
      "The password is one of the most common passwords; choose another one.",
    );
    expect(sentence("password", "too_short", { minimum: 8 })).toBe("The password must be at least 8 characters long.");
    expect(sentence("email", "invalid_email")).toBe(
      "The email address must be an email address, like name@example.com.",
    );
    expect(sentence("name", "required")).toBe("Enter your name.");
  });

  it("has words of the site's own for every code the API sends, naming the field in a whole sentence", () => {
    for (const code of FIELD_ERROR_CODES) {
      expect(Object.hasOwn(validation, `validation.${code}`), code).toBe(true);
      for (const path of ["password", "title", "videoUrl", "modules.0.id"]) {
        const text = sentence(path, code, { minimum: 3, maximum: 150 });
        expect(text, `${path} ${code}`).toMatch(/^[A-Z].*[.]$/);
        expect(text, `${path} ${code}`).not.toMatch(/[{}]|an API note/);
        if (code !== "unknown_field") expect(text, `${path} ${code}`).toContain(fieldName(path));
      }
    }
  });

  it("falls back to a general sentence naming the field for a code or bound it does not know", () => {
    expect(sentence("title", "some_future_code")).toBe("The title is not valid; check it and try again.");
    expect(sentence("title", "too_short")).toBe("The title is not valid; check it and try again.");
    expect(sentence("somethingNew", "invalid")).toBe("The form is not valid; check it and try again.");
  });
});
