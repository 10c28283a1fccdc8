import { isId } from "./ids.ts";

export const MAX_SLUG_LENGTH = 80;
const FALLBACK_SLUG = "course";

/**
 * BGN/PCGN romanization of Russian without diacritics (ё→e, ъ and ь dropped), the Ukrainian-only letters,
 * and the Latin letters that NFKD does not decompose. Applied before NFKD, which would split й into и + breve.
 */
const TRANSLITERATION = new Map(Object.entries({
  а: "a",
  б: "b",
  в: "v",
  г: "g",
  д: "d",
  е: "e",
  ё: "e",
  ж: "zh",
  з: "z",
  и: "i",
  й: "y",
  к: "k",
  л: "l",
  м: "m",
  н: "n",
  о: "o",
  п: "p",
  р: "r",
  с: "s",
  т: "t",
  у: "u",
  ф: "f",
  х: "kh",
  ц: "ts",
  ч: "ch",
  ш: "sh",
  щ: "shch",
  ъ: "",
  ы: "y",
  ь: "",
  э: "e",
  ю: "yu",
  я: "ya",
  і: "i",
  ї: "yi",
  є: "ye",
  ґ: "g",
  ß: "ss",
  æ: "ae",
  œ: "oe",
  ø: "o",
  đ: "d",
  ð: "d",
  ł: "l",
  þ: "th",
  ı: "i",
}));

/** A lower-case ASCII slug for any title; never empty, at most MAX_SLUG_LENGTH characters. */
export function slugify(title: string): string {
  const ascii = Array.from(title.normalize("NFC").toLowerCase(), (char) => TRANSLITERATION.get(char) ?? char)
    .join("")
    .normalize("NFKD")
    .replace(/\p{M}/gu, "");
  const slug = truncateAtHyphen(ascii.replace(/[^a-z0-9]+/g, "-"), MAX_SLUG_LENGTH);
  if (slug === "") return FALLBACK_SLUG;
  // GET /courses/:idOrSlug reads anything shaped like an id as an id, so such a slug could never be found.
  return isId(slug) ? `${FALLBACK_SLUG}-${slug}` : slug;
}

/** The n-th candidate when `slug` is taken ("title-2"), shortening the base so the suffix always fits. */
export function withSuffix(slug: string, n: number): string {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`slug suffix must be a positive integer, got ${n}`);
  const suffix = `-${n}`;
  return `${truncateAtHyphen(slug, MAX_SLUG_LENGTH - suffix.length) || FALLBACK_SLUG}${suffix}`;
}

/** Cuts between words where it can, and only mid-word when a single word is longer than the limit. */
function truncateAtHyphen(slug: string, maxLength: number): string {
  const trimmed = slug.replace(/^-+|-+$/g, "");
  if (trimmed.length <= maxLength) return trimmed;
  const head = trimmed.slice(0, maxLength + 1);
  const lastHyphen = head.lastIndexOf("-");
  const cut = lastHyphen > 0 ? head.slice(0, lastHyphen) : head.slice(0, maxLength);
  return cut.replace(/-+$/, "");
}
