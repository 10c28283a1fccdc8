/**
 * A best-effort cache: reads that fail count as misses and writes that fail
 * are dropped, so the API keeps answering from Postgres when Redis is down.
 * `ping` is the one call that reports failure, for /health/ready.
 */
export interface Cache {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, ttlSeconds: number): Promise<void>;
  delete(...keys: string[]): Promise<void>;
  ping(): Promise<void>;
}

/**
 * The cache every isolate shares (Upstash), with what an in-isolate tier needs to keep its staleness bound: a purge
 * generation that every `delete` bumps after removing the keys, reads that say how long Redis keeps the value, and
 * fills that lose to a purge made since the filler read the generation (so a value loaded before a write cannot be
 * stored after that write's purge).
 */
export interface SharedCache extends Cache {
  getWithTtl<T>(key: string): Promise<{ value: T; ttlMs: number } | undefined>;
  setIfGeneration(key: string, value: unknown, ttlSeconds: number, generation: number): Promise<void>;
  /** Throws when Redis cannot be reached: the tier must know that it could not check. */
  generation(): Promise<number>;
}
