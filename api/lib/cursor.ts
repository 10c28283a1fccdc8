import { z } from "zod";
import { AppError } from "./errors.ts";

/**
 * Opaque keyset cursors: the sort key of the last row seen, as base64url JSON.
 * Clients must not parse them; the server validates them like any input.
 */
export function encodeCursor(position: readonly unknown[]): string {
  const bytes = new TextEncoder().encode(JSON.stringify(position));
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

const INT4_MAX = 2 ** 31 - 1;
/** No row of ours predates the epoch or outlives year 9999; Postgres refuses year 0 outright. */
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(10000, 0, 1);

/**
 * A cursor's fields by the column they stand for, each bounded to what that
 * column can hold, so a forged cursor is refused here as invalid instead of
 * reaching Postgres as a cast it cannot make. Cursor shapes are built only
 * from these (see `cursorOf`).
 */
export const cursorField = {
  id: z.uuid(),
  timestamp: z.iso.datetime().refine((value) => {
    const at = Date.parse(value);
    return at >= EARLIEST && at < LATEST;
  }),
  int4: z.number().int().min(-INT4_MAX - 1).max(INT4_MAX),
  count: z.number().int().min(0).max(INT4_MAX),
  /** Values the server itself puts in a cursor, such as a tier. */
  oneOf: <const Values extends readonly [z.core.util.Literal, ...z.core.util.Literal[]]>(...values: Values) =>
    z.literal(values),
  /** numeric(p, s) columns, such as ratings: a plain decimal with at most `digits` digits before the point. */
  decimal: (digits: number) => z.string().regex(new RegExp(`^\\d{1,${digits}}(\\.\\d{1,6})?$`)),
} as const;

declare const cursorBrand: unique symbol;
/** A cursor's shape: a tuple of `cursorField`s, nothing looser. */
export type CursorShape<T extends readonly unknown[]> = z.ZodType<T> & { readonly [cursorBrand]: true };

export function cursorOf<const Fields extends readonly [z.ZodType, ...z.ZodType[]]>(
  ...fields: Fields
): CursorShape<{ -readonly [K in keyof Fields]: z.output<Fields[K]> }> {
  return z.tuple(fields as unknown as [z.ZodType, ...z.ZodType[]]) as never;
}

/** The shape of every list ordered by a timestamp then the id. */
export const timeAndIdCursor = cursorOf(cursorField.timestamp, cursorField.id);

export function decodeCursor<T extends readonly unknown[]>(cursor: string, shape: CursorShape<T>): T {
  const invalid = AppError.validation([{
    path: "cursor",
    code: "invalid_cursor",
    message: "is not a cursor this endpoint issued",
  }]);
  let parsed: unknown;
  try {
    const binary = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
    parsed = JSON.parse(
      new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))),
    );
  } catch {
    throw invalid;
  }
  const result = shape.safeParse(parsed);
  if (!result.success) throw invalid;
  return result.data;
}

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(50).default(20),
  cursor: z.string().min(1).max(512).optional(),
});

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Rows fetched with `limit + 1`: the extra row only tells whether another page exists. */
export function toPage<Row, Item>(
  rows: Row[],
  limit: number,
  toItem: (row: Row) => Item,
  positionOf: (row: Row) => readonly unknown[],
): Page<Item> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(toItem),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(positionOf(last)) : null,
  };
}
