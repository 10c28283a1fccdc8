import { Redis } from "@upstash/redis";

export interface RedisOptions {
  url: string;
  token: string;
  /** Each command is aborted after this long: a Redis that hangs must cost a request little, never minutes. */
  timeoutMs: number;
}

/** The one way the app builds its Upstash client: no retries, bounded time, no telemetry. */
export function createRedis(options: RedisOptions): Redis {
  return new Redis({
    url: options.url,
    token: options.token,
    retry: { retries: 0 },
    signal: () => AbortSignal.timeout(options.timeoutMs),
    enableTelemetry: false,
  });
}
