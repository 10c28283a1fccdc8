import { ENGLISH_WORDS } from "./bulk-words-en.ts";
import { RUSSIAN_WORDS } from "./bulk-words-ru.ts";
import type { CategorySlug } from "./categories.ts";
import type { Language } from "./people.ts";
import type { Random } from "./random.ts";
import { type Block, fill } from "./text.ts";

/**
 * Word lists the benchmark catalog is composed from: enough combinations that
 * titles and descriptions vary the way a real catalog's do, so trigram search
 * meets a realistic spread of words rather than ten thousand copies of one.
 */
export interface Vocabulary {
  topics: Record<CategorySlug, readonly string[]>;
  titles: readonly string[];
  audiences: readonly string[];
  angles: readonly string[];
  subtitles: readonly string[];
  openings: readonly string[];
  middles: readonly string[];
  outcomes: readonly string[];
  outcomesHeading: string;
  modules: readonly string[];
}

const WORDS: Record<Language, Vocabulary> = { en: ENGLISH_WORDS, ru: RUSSIAN_WORDS };

export interface BulkCourseText {
  title: string;
  subtitle: string;
  blocks: Block[];
  moduleTitles: string[];
}

export function bulkCourseText(
  random: Random,
  language: Language,
  category: CategorySlug,
  moduleCount: number,
): BulkCourseText {
  const words = WORDS[language];
  const [topic, other] = random.sample(words.topics[category], 2);
  const values = {
    topic: topic!,
    other: other!,
    audience: random.pick(words.audiences),
    angle: random.pick(words.angles),
  };
  return {
    title: fill(random.pick(words.titles), values),
    subtitle: fill(random.pick(words.subtitles), values),
    blocks: [
      fill(random.pick(words.openings), values),
      fill(random.pick(words.middles), values),
      words.outcomesHeading,
      random.sample(words.outcomes, 3).map((outcome) => fill(outcome, values)),
    ],
    moduleTitles: random.sample(words.modules, moduleCount),
  };
}
