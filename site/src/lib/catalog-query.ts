import { type ListCoursesQuery, listCoursesQuery } from "../../../api/catalog/schemas.ts";
import { parseInput } from "../../../api/lib/validation.ts";

/** The catalog's filters as they appear in a page address (and in the filter form's fields). */
export const FILTER_KEYS = ["q", "category", "level", "language", "free", "sort"] as const;
export const PAGE_SIZE = 24;

export interface CatalogRequest {
  query: ListCoursesQuery;
  /** True when some parameters were malformed and left out, so the page can say so. */
  dropped: boolean;
  /** The cursors of the pages read before this one, oldest first ("" is the first page), for "Previous". */
  earlier: string[];
}

/**
 * Keyset pages only know the way forward, so each "Next" link carries the trail back (`prev`, cursors joined
 * by "."), and "Previous" is simply its last step. The trail keeps the latest steps only, to keep links short;
 * "First page" is always there for the rest.
 */
const TRAIL_LENGTH = 10;
const TRAIL_STEP = /^[\w-]{0,400}$/;

function trailOf(param: string | null): string[] {
  const steps = param ? param.split(".") : [];
  return steps.length <= TRAIL_LENGTH && steps.every((step) => TRAIL_STEP.test(step)) ? steps : [];
}

/** The `cursor` and `prev` of the page after this one. */
export function nextPage(request: CatalogRequest, nextCursor: string) {
  return { cursor: nextCursor, prev: [...request.earlier, request.query.cursor ?? ""].slice(-TRAIL_LENGTH).join(".") };
}

/** The `cursor` and `prev` of the page before this one. */
export function previousPage(request: CatalogRequest) {
  return { cursor: request.earlier.at(-1) || undefined, prev: request.earlier.slice(0, -1).join(".") || undefined };
}

/**
 * Reads the catalog query from the address with the API's own schema and text rule.
 * A bad parameter is dropped rather than failing the page: people edit URLs,
 * and crawlers keep old ones.
 */
export function catalogRequest(params: URLSearchParams, fixed: { category?: string } = {}): CatalogRequest {
  const raw: Record<string, string> = { limit: String(PAGE_SIZE) };
  for (const key of [...FILTER_KEYS, "cursor"]) {
    const value = params.get(key);
    if (value) raw[key] = value;
  }
  if (fixed.category) raw.category = fixed.category;
  let dropped = false;
  for (;;) {
    const parsed = parseInput(listCoursesQuery, raw);
    if (parsed.success) {
      return { query: parsed.data, dropped, earlier: parsed.data.cursor ? trailOf(params.get("prev")) : [] };
    }
    for (const error of parsed.errors) delete raw[error.path.split(".")[0]!];
    dropped = true;
  }
}

/** The address of the same listing with `changes` applied (undefined removes a parameter). */
export function catalogHref(
  path: string,
  query: ListCoursesQuery,
  changes: Partial<Record<(typeof FILTER_KEYS)[number] | "cursor" | "prev", string | undefined>>,
): string {
  const params = new URLSearchParams();
  const current: Record<string, string | undefined> = {
    q: query.q,
    category: query.category,
    level: query.level,
    language: query.language,
    free: query.free === undefined ? undefined : String(query.free),
    sort: query.sort,
    cursor: query.cursor,
  };
  for (const [key, value] of Object.entries({ ...current, ...changes })) {
    if (value !== undefined && value !== "") params.set(key, value);
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}
