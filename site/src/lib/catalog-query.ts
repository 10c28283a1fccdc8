import { type ListCoursesQuery, listCoursesQuery } from "../../../api/catalog/schemas.ts";
import { parseInput } from "../../../api/lib/validation.ts";

/** The catalog's filters as they appear in a page address (and in the filter form's fields). */
export const FILTER_KEYS = ["q", "category", "level", "free", "sort"] as const;
export const PAGE_SIZE = 24;

export interface CatalogRequest {
  query: ListCoursesQuery;
  /** True when some parameters were malformed and left out, so the page can say so. */
  dropped: boolean;
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
    if (parsed.success) return { query: parsed.data, dropped };
    for (const error of parsed.errors) delete raw[error.path.split(".")[0]!];
    dropped = true;
  }
}

/** The address of the same listing with `changes` applied (undefined removes a parameter). */
export function catalogHref(
  path: string,
  query: ListCoursesQuery,
  changes: Partial<Record<(typeof FILTER_KEYS)[number] | "cursor", string | undefined>>,
): string {
  const params = new URLSearchParams();
  const current: Record<string, string | undefined> = {
    q: query.q,
    category: query.category,
    level: query.level,
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
