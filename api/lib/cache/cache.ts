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
