import { type SQL, sql } from "drizzle-orm";
import type { Executor } from "../../db/client.ts";

/** pg_trgm's default threshold, which the lexicon's `%` lookup applies. */
const MIN_SIMILARITY = 0.3;
/** Corrections far below the best one are noise: "typscript" means typescript, not javascript. */
const NEAR_BEST = 0.75;
/** The most stand-ins for one query word (declensions: основ, основы, основами …). */
const MAX_CORRECTIONS = 5;

export interface CorrectedTerm {
  /** A word of the query, as the `simple` parser splits and lowercases it. */
  term: string;
  /** Real words of the catalog it may mean, the most similar first. */
  words: string[];
}

/**
 * Typo tolerance, pg_trgm's way for long documents: each query word is
 * corrected against the lexicon of catalog words (small, trigram-indexed),
 * and search then matches the corrected words exactly in the courses'
 * full-text indexes. Per-course similarity is never computed, so a common
 * word costs no more than a rare one.
 */
export async function correctTerms(db: Executor, q: string): Promise<CorrectedTerm[]> {
  const { rows } = await db.execute<{ term: string; word: string; similarity: number }>(lexiconLookup(q));
  const byTerm = new Map<string, { word: string; similarity: number }[]>();
  for (const row of rows) {
    const candidates = byTerm.get(row.term) ?? [];
    candidates.push({ word: row.word, similarity: Number(row.similarity) });
    byTerm.set(row.term, candidates);
  }
  return [...byTerm].map(([term, candidates]) => {
    const cutoff = Math.max(MIN_SIMILARITY, NEAR_BEST * candidates[0]!.similarity);
    return { term, words: candidates.filter((c) => c.similarity >= cutoff).map((c) => c.word) };
  });
}

/** Each query word's nearest lexicon words (exported for the query-plan tests and the benchmark). */
export function lexiconLookup(q: string): SQL {
  return sql`
    select term, near.word, similarity(near.word, term) as similarity
    from unnest(tsvector_to_array(to_tsvector('simple'::regconfig, ${q}))) as term
    cross join lateral (
      select word from search_lexicon where word % term
      order by similarity(word, term) desc, word limit ${MAX_CORRECTIONS}
    ) as near
    order by term, similarity desc, near.word`;
}

/**
 * Every corrected word must match (any of its stand-ins); a query word the
 * catalog has nothing like is left out rather than emptying the results.
 * Undefined when no word of the query is known.
 */
export function toTsquery(terms: CorrectedTerm[]): string | undefined {
  const groups = terms.filter((term) => term.words.length > 0)
    .map((term) => `(${term.words.map(quoteLexeme).join(" | ")})`);
  return groups.length > 0 ? groups.join(" & ") : undefined;
}

/**
 * The query as the search read it ("javascrpt esentials" → "javascript essentials"), in the order it was typed:
 * each word by its nearest catalog word, words the catalog has nothing like left out. Undefined when that
 * changes nothing. Words are split like the `simple` parser does, on anything but letters and digits.
 */
export function correctedQuery(q: string, terms: CorrectedTerm[]): string | undefined {
  const nearest = new Map(terms.map((term) => [term.term, term.words[0]]));
  const typed = q.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const read = typed.flatMap((word) => nearest.get(word) ?? []);
  const changed = read.length !== typed.length || read.some((word, index) => word !== typed[index]);
  return changed && read.length > 0 ? read.join(" ") : undefined;
}

/** A lexeme in tsquery input syntax: quoted, with quotes and backslashes escaped. */
function quoteLexeme(word: string): string {
  return `'${word.replaceAll("\\", "\\\\").replaceAll("'", "''")}'`;
}
