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

export function decodeCursor<T extends z.ZodType>(cursor: string, shape: T): z.infer<T> {
  const invalid = AppError.validation([{ path: "cursor", message: "is not a cursor this endpoint issued" }]);
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
