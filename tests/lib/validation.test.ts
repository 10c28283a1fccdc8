/** Field errors: what the API says about each refused field, as a stable code with its bound. */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parseInput, refusal } from "../../api/lib/validation.ts";
import { loginBody, registerBody } from "../../api/identity/schemas.ts";
import { createLessonBody } from "../../api/catalog/schemas.ts";

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
