/**
 * A seeded generator, so every run of the seed writes the same rows (ids
 * included) and tests or screenshots can rely on them. mulberry32: tiny and
 * fast, plenty for making demo data look varied; not for anything secret.
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max], both included. */
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** `count` distinct items, in random order. */
  sample<T>(items: readonly T[], count: number): T[];
  weighted<T>(choices: readonly (readonly [T, number])[]): T;
  hex(length: number): string;
  /** A UUIDv7 for a row created at `atMs`: same layout as api/lib/ids.ts, random bits from this generator. */
  uuidv7(atMs: number): string;
}

export function createRandom(seed: string): Random {
  let state = hashSeed(seed);
  const uint32 = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const next = () => uint32() / 2 ** 32;
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => {
    if (items.length === 0) throw new Error("pick from an empty list");
    return items[Math.floor(next() * items.length)]!;
  };
  const hex = (length: number) => {
    let out = "";
    while (out.length < length) out += uint32().toString(16).padStart(8, "0");
    return out.slice(0, length);
  };

  return {
    next,
    int,
    pick,
    hex,
    chance: (probability) => next() < probability,
    sample<T>(items: readonly T[], count: number): T[] {
      const wanted = Math.min(count, items.length);
      // Rejection keeps sampling a few students out of tens of thousands O(count) instead of O(pool).
      if (wanted * 4 < items.length) {
        const chosen = new Set<number>();
        while (chosen.size < wanted) chosen.add(Math.floor(next() * items.length));
        return [...chosen].map((index) => items[index]!);
      }
      const copy = [...items];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [copy[i], copy[j]] = [copy[j]!, copy[i]!];
      }
      return copy.slice(0, wanted);
    },
    weighted<T>(choices: readonly (readonly [T, number])[]): T {
      const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
      let roll = next() * total;
      for (const [value, weight] of choices) {
        roll -= weight;
        if (roll < 0) return value;
      }
      return choices[choices.length - 1]![0];
    },
    uuidv7(atMs: number): string {
      const time = Math.floor(atMs).toString(16).padStart(12, "0");
      const random = hex(19);
      const variant = (8 + (parseInt(random[3]!, 16) & 3)).toString(16);
      return `${time.slice(0, 8)}-${time.slice(8)}-7${random.slice(0, 3)}-${variant}${random.slice(4, 7)}-${
        random.slice(7, 19)
      }`;
    },
  };
}

/** FNV-1a, so seeds can be readable strings. */
function hashSeed(seed: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    hash ^= seed.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
