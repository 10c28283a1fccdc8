import { z } from "zod";
import { describe, expect, it } from "vitest";
import { cursorField, cursorOf, type CursorShape, decodeCursor, encodeCursor, toPage } from "../../api/lib/cursor.ts";
import { AppError } from "../../api/lib/errors.ts";

const position = cursorOf(z.string(), cursorField.id);
const ID = "0192f6c4-8a7b-7c3d-9e1f-000000000001";

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

  it.each([
    ["a year Postgres refuses", cursorOf(cursorField.timestamp, cursorField.id), ["0000-01-01T00:00:00Z", ID]],
    ["a date before any row", cursorOf(cursorField.timestamp, cursorField.id), ["1969-12-31T23:59:59Z", ID]],
    ["a price past int4", cursorOf(cursorField.int4, cursorField.id), [Number.MAX_SAFE_INTEGER, ID]],
    ["a price below int4", cursorOf(cursorField.int4, cursorField.id), [-(2 ** 31) - 1, ID]],
    ["a rating past numeric(3, 2)", cursorOf(cursorField.decimal(1), cursorField.id), ["99999999999.5", ID]],
    ["an id that is no uuid", cursorOf(cursorField.timestamp, cursorField.id), ["2026-01-01T00:00:00Z", "x\u0000"]],
  ] as [string, CursorShape<unknown[]>, unknown[]][])("reject a cursor holding %s", (_, shape, value) => {
    expect(() => decodeCursor(encodeCursor(value), shape)).toThrow(AppError);
  });

  it("accept the edges a real row can have", () => {
    expect(decodeCursor(encodeCursor([2 ** 31 - 1, ID]), cursorOf(cursorField.int4, cursorField.id))).toEqual([
      2 ** 31 - 1,
      ID,
    ]);
    const newest = ["9999-12-31T23:59:59.999Z", ID];
    expect(decodeCursor(encodeCursor(newest), cursorOf(cursorField.timestamp, cursorField.id))).toEqual(newest);
  });

  it("page with one extra row and point the next cursor at the last item shown", () => {
    const rows = [1, 2, 3].map((n) => ({ n }));
    const page = toPage(rows, 2, (row) => row.n, (row) => [row.n]);
    expect(page.items).toEqual([1, 2]);
    expect(page.nextCursor).toBe(encodeCursor([2]));
    expect(toPage(rows, 3, (row) => row.n, (row) => [row.n]).nextCursor).toBeNull();
  });
});
