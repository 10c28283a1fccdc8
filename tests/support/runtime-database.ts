import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";
import { connectNeon, type Db } from "../../db/client.ts";
import { type EmbeddedDatabaseServer, startEmbeddedDatabase } from "../../db/embedded.ts";

export interface ServerDatabase {
  /** What a server process is configured with: one-shot queries over HTTP, transactions over the WebSocket bridge. */
  env: { DATABASE_URL: string; DATABASE_WS_PROXY: string; DATABASE_HTTP_PROXY: string };
  close(): Promise<void>;
}

/**
 * A database for a server under test, filled by `prepare` before the server
 * connects: the real-service pass's PostgreSQL, or else a fresh embedded
 * PGlite server in a temporary directory, served as `npm start` serves it.
 */
export async function serverDatabase(prepare: (db: Db) => Promise<void>): Promise<ServerDatabase> {
  const postgres = inject("postgres");
  if (postgres) {
    const database = connectNeon(postgres);
    await prepare(database.db);
    await database.close();
    return {
      env: {
        DATABASE_URL: postgres.url,
        DATABASE_WS_PROXY: postgres.wsProxy,
        DATABASE_HTTP_PROXY: postgres.httpEndpoint,
      },
      close: async () => {},
    };
  }
  const embedded = await temporaryEmbeddedDatabase("lectern-runtime-");
  await prepare(embedded.db);
  return {
    env: {
      DATABASE_URL: embedded.databaseUrl,
      DATABASE_WS_PROXY: embedded.wsProxy,
      DATABASE_HTTP_PROXY: embedded.httpEndpoint,
    },
    close: () => embedded.close(),
  };
}

/** The embedded database server (bridge and HTTP query server included) in a fresh directory that `close` removes. */
export async function temporaryEmbeddedDatabase(prefix: string): Promise<EmbeddedDatabaseServer> {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const embedded = await startEmbeddedDatabase({ dataDir });
  return {
    ...embedded,
    close: async () => {
      await embedded.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
