import { asc, eq, sql } from "drizzle-orm";
import { listCourses } from "../../api/catalog/listing.ts";
import { LEVELS, listCoursesQuery } from "../../api/catalog/schemas.ts";
import type { Db } from "../../db/client.ts";
import { courses } from "../../db/schema/index.ts";
import { CATEGORIES } from "../../db/seed/categories.ts";
import { createRandom, type Random } from "../../db/seed/random.ts";

/** Query-string parameters, exactly as a client sends them to GET /api/v1/courses. */
export type Params = Record<string, string>;

/**
 * The fixed lists every run uses, built from the seeded rows with a seeded
 * generator: the same database gives the same lists.
 */
export interface Workload {
  search: Params[];
  /** What each search is (an English word, misspelled, a 2-letter prefix, …), for the breakdown. */
  searchKinds: string[];
  list: Params[];
  /** Published courses for the by-slug scenario (DB timing and the cached HTTP run). */
  slugs: string[];
  /** Every other published course, in a fixed order: never requested before the uncached HTTP run. */
  coldSlugs: string[];
}

const SLUG_SAMPLE = 240;
const LIST_SORTS = ["newest", "rating", "price_asc", "price_desc"] as const;

export function coursesPath(params: Params): string {
  const query = new URLSearchParams(params).toString();
  return query ? `/api/v1/courses?${query}` : "/api/v1/courses";
}

export const coursePath = (slug: string) => `/api/v1/courses/${encodeURIComponent(slug)}`;

const isRussian = (word: string) => /[а-яё]/.test(word);
const LATIN = "abcdefghijklmnopqrstuvwxyz";
const CYRILLIC = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя";

/** One deterministic slip of the keyboard: a letter dropped, doubled, swapped with the next, or replaced. */
function typo(word: string, random: Random): string {
  const chars = [...word];
  if (chars.length < 5) return word;
  const at = random.int(1, chars.length - 2);
  switch (random.int(0, 3)) {
    case 0:
      chars.splice(at, 1);
      break;
    case 1:
      [chars[at], chars[at + 1]] = [chars[at + 1]!, chars[at]!];
      break;
    case 2:
      chars.splice(at, 0, chars[at]!);
      break;
    default: {
      const alphabet = isRussian(word) ? CYRILLIC : LATIN;
      const index = alphabet.indexOf(chars[at]!);
      chars[at] = alphabet[(index + 1) % alphabet.length]!;
    }
  }
  return chars.join("");
}

const wordsOf = (title: string) =>
  title.toLowerCase().split(/[^\p{L}\p{N}#+]+/u).filter((word) => /^\p{L}{4,}$/u.test(word));

/** Adds the second page of the first `count` entries that have one. */
async function withSecondPages(db: Db, firstPages: Params[], count: number): Promise<Params[]> {
  const seconds: Params[] = [];
  for (const params of firstPages) {
    if (seconds.length >= count) break;
    const page = await listCourses({ db }, listCoursesQuery.parse(params));
    if (page.nextCursor) seconds.push({ ...params, cursor: page.nextCursor });
  }
  return [...firstPages, ...seconds];
}

async function searchParams(db: Db, random: Random, kinds: Map<string, string>): Promise<Params[]> {
  const titles = (await db.select({ title: courses.title }).from(courses)
    .where(eq(courses.status, "published")).orderBy(asc(courses.id))).map((row) => row.title);
  const english = new Set<string>();
  const russian = new Set<string>();
  for (const title of titles) {
    for (const word of wordsOf(title)) (isRussian(word) ? russian : english).add(word);
  }
  const en = [...english];
  const ru = [...russian];
  const terms: string[] = [];
  const add = (kind: string, term: string) => {
    terms.push(term);
    if (!kinds.has(term)) kinds.set(term, kind);
  };
  const pick = (kind: string, words: string[], count: number, misspell: boolean) => {
    for (let i = 0; i < count; i++) add(kind, misspell ? typo(random.pick(words), random) : random.pick(words));
  };
  pick("English word", en, 50, false);
  pick("English word, misspelled", en, 50, true);
  pick("Russian word", ru, 40, false);
  pick("Russian word, misspelled", ru, 40, true);
  // Two neighbouring words of a title, the longer one misspelled.
  for (let i = 0; i < 20; i++) {
    const words = wordsOf(random.pick(titles));
    if (words.length < 2) continue;
    const at = random.int(0, words.length - 2);
    const [first, second] = [words[at]!, words[at + 1]!];
    add(
      "two words, one misspelled",
      first.length >= second.length ? `${typo(first, random)} ${second}` : `${first} ${typo(second, random)}`,
    );
  }
  add("English word, misspelled", "typscript");
  add("two words, one misspelled", "осноы програмирования");
  // Short terms take the title-prefix path.
  for (let i = 0; i < 20; i++) add("2-letter prefix", [...random.pick(titles).toLowerCase()].slice(0, 2).join(""));
  return withSecondPages(db, terms.map((q) => ({ q })), 20);
}

async function listParams(db: Db): Promise<Params[]> {
  const categories = [undefined, ...CATEGORIES.map((category) => category.slug)];
  const levels = [undefined, ...LEVELS];
  const free = [undefined, "true", "false"];
  const firstPages: Params[] = [];
  categories.forEach((category, c) => {
    LIST_SORTS.forEach((sort, s) => {
      for (let variant = 0; variant < 3; variant++) {
        const level = levels[(c + s + variant) % levels.length];
        const isFree = free[(c * 3 + s + variant) % free.length];
        firstPages.push({
          sort,
          ...(category ? { category } : {}),
          ...(level ? { level } : {}),
          ...(isFree ? { free: isFree } : {}),
        });
      }
    });
  });
  return withSecondPages(db, firstPages, firstPages.length);
}

export async function buildWorkload(db: Db): Promise<Workload> {
  const random = createRandom("lectern-bench-catalog");
  // Shuffled, so that any stretch of the list — what a short HTTP run gets through — is a fair sample of it.
  const kinds = new Map<string, string>();
  const search = random.sample(await searchParams(db, random, kinds), Infinity);
  const list = random.sample(await listParams(db), Infinity);
  const slugs = (await db.select({ slug: courses.slug }).from(courses)
    .where(eq(courses.status, "published")).orderBy(sql`md5(${courses.slug})`)).map((row) => row.slug);
  const searchKinds = search.map((params) => (params.cursor ? "second page" : kinds.get(params.q!) ?? "other"));
  return { search, searchKinds, list, slugs: slugs.slice(0, SLUG_SAMPLE), coldSlugs: slugs.slice(SLUG_SAMPLE) };
}
