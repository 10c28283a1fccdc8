import { z } from "zod";
import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, toPage } from "../../api/lib/cursor.ts";
import { AppError } from "../../api/lib/errors.ts";

const position = z.tuple([z.string(), z.uuid()]);

describe("cursors", () => {
  it("round-trip a keyset position, Unicode included, as URL-safe text", () => {
    const value = ["Основы — 2026", "0192f6c4-8a7b-7c3d-9e1f-000000000001"] as const;
    const cursor = encodeCursor(value);
    expect(cursor).toMatch(/^[\w-]+$/);
    expect(decodeCursor(cursor, position)).toEqual(value);
  });

  it.each(["not base64!", encodeCursor(["only-one"]), encodeCursor([1, 2]), "eyJ", "%%%"])(
    "reject %s as a 422 on the cursor field",
    (cursor) => {
      try {
        decodeCursor(cursor, position);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(AppError);
        expect(error).toMatchObject({ status: 422, code: "validation_failed", errors: [{ path: "cursor" }] });
      }
    },
  );

  it("page with one extra row and point the next cursor at the last item shown", () => {
    const rows = [1, 2, 3].map((n) => ({ n }));
    const page = toPage(rows, 2, (row) => row.n, (row) => [row.n]);
    expect(page.items).toEqual([1, 2]);
    expect(page.nextCursor).toBe(encodeCursor([2]));
    expect(toPage(rows, 3, (row) => row.n, (row) => [row.n]).nextCursor).toBeNull();
  });
});
