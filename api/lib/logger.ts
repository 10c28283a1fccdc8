export type LogLevel = "debug" | "info" | "warn" | "error";

export interface Logger {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
}

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** One JSON object per line: what Workers Logs, Deno Deploy and any log shipper index without parsing rules. */
export function jsonLogger(minimum: LogLevel, write: (line: string) => void = console.log): Logger {
  return {
    log(level, message, fields) {
      if (rank[level] < rank[minimum]) return;
      write(JSON.stringify({ time: new Date().toISOString(), level, message, ...fields }));
    },
  };
}

export const silentLogger: Logger = { log() {} };
