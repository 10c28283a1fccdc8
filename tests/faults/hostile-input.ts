import fc from "fast-check";
import { encodeCursor } from "../../api/lib/cursor.ts";

/**
 * Values past what Postgres can take, for the fuzzer: text it cannot store,
 * numbers and dates past its columns' ranges, and cursors of the right shape
 * holding them. Each reached a 500 once; generated, they find the next field
 * that lets one through.
 */

/** NUL, which no text column holds, and UTF-16 halves without their pair, which UTF-8 cannot spell. */
const unstorable = fc.constantFrom("\u0000", "\uD800", "\uDFFF", "\uDBFF\u0000");

export const unstorableText = fc
  .tuple(fc.string({ maxLength: 12 }), unstorable, fc.string({ maxLength: 12 }))
  .map(([before, bad, after]) => before + bad + after);

/**
 * Percent-encodes each UTF-16 unit as a raw client may send it: unpaired
 * surrogates as their WTF-8 bytes, which `encodeURIComponent` refuses.
 */
export function percentEncode(value: string): string {
  let encoded = "";
  for (const char of value) {
    const unit = char.charCodeAt(0);
    if (char.length === 1 && unit >= 0xd800 && unit <= 0xdfff) {
      encoded += [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)]
        .map((byte) => `%${byte.toString(16).toUpperCase()}`)
        .join("");
    } else {
      encoded += encodeURIComponent(char);
    }
  }
  return encoded;
}

const QUERY_KEYS = ["q", "limit", "cursor", "sort", "level", "free", "category", "to"] as const;

/** A query string whose every value carries text Postgres cannot store. */
export const unstorableQuery = fc
  .dictionary(fc.constantFrom(...QUERY_KEYS), unstorableText, { minKeys: 1, maxKeys: 4 })
  .map((params) => Object.entries(params).map(([key, value]) => `${key}=${percentEncode(value)}`).join("&"));

/** At and past the edges of int4, float8 and JavaScript's safe integers. */
const extremeNumber = fc.constantFrom(
  2 ** 31 - 1,
  2 ** 31,
  -(2 ** 31) - 1,
  Number.MAX_SAFE_INTEGER,
  -Number.MAX_SAFE_INTEGER,
  2 ** 63,
  1e308,
  -1e308,
  5e-324,
);

/** ISO dates Postgres refuses (year 0, six-digit years) or that no row of ours can carry. */
const extremeDate = fc.constantFrom(
  "0000-01-01T00:00:00Z",
  "0000-12-31T23:59:59.999Z",
  "-000001-01-01T00:00:00Z",
  "+275760-09-13T00:00:00.000Z",
  "9999-12-31T23:59:59.999Z",
  "0001-01-01T00:00:00Z",
);

const BODY_KEYS = [
  "priceCents",
  "durationSec",
  "rating",
  "position",
  "limit",
  "title",
  "name",
  "email",
  "body",
  "currency",
  "level",
  "kind",
  "categorySlug",
  "videoUrl",
  "coverUrl",
  "subtitle",
  "description",
  "token",
  "password",
  "refreshToken",
] as const;

/** JSON bodies with the API's field names set to extreme numbers and dates, or to unstorable text. */
export const extremeBody = fc
  .dictionary(fc.constantFrom(...BODY_KEYS), fc.oneof(extremeNumber, extremeDate, unstorableText), {
    minKeys: 1,
    maxKeys: 5,
  })
  .map((fields) => JSON.stringify(fields));

const ratingLike = fc.oneof(
  fc.constantFrom("5.00", "0", "99999999999999999999.99"),
  extremeNumber.map((value) => String(Math.abs(Math.trunc(value)))),
);

const cursorQuery = (position: fc.Arbitrary<unknown[]>, sorts: (string | undefined)[], q?: string) =>
  fc.record({ position, sort: fc.constantFrom(...sorts) }).map(({ position, sort }) =>
    new URLSearchParams({ cursor: encodeCursor(position), ...(sort ? { sort } : {}), ...(q ? { q } : {}) }).toString()
  );

/**
 * Queries with a cursor shaped like one the server issues for that sort (a
 * sort key and an id; relevance's tier, rating, id and count) but holding
 * extreme values. Lists without sorts read the time-and-id shape.
 */
export const extremeCursorQuery = fc.oneof(
  { weight: 3, arbitrary: cursorQuery(fc.tuple(extremeDate, fc.uuid()), [undefined, "newest"]) },
  { weight: 1, arbitrary: cursorQuery(fc.tuple(ratingLike, fc.uuid()), ["rating"]) },
  { weight: 2, arbitrary: cursorQuery(fc.tuple(extremeNumber, fc.uuid()), ["price_asc", "price_desc"]) },
  {
    weight: 1,
    arbitrary: cursorQuery(
      fc.tuple(fc.constantFrom(1, 2), ratingLike, fc.uuid(), extremeNumber),
      [undefined, "relevance"],
      "course",
    ),
  },
);
