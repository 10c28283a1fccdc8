import { mkdirSync } from "node:fs";
import { connectNeon, type Database } from "./client.ts";
import { openPglite } from "./pglite.ts";
import { startWsBridge } from "./ws-bridge.ts";

export const EMBEDDED_DATA_DIR = ".data/pglite";

/**
 * For Node tools (migrate, seed, tests): DATABASE_URL when set, through the
 * production driver (directly for Neon, through a local WebSocket bridge for
 * any other Postgres); otherwise the embedded PGlite under .data/.
 */
export async function openDatabase(url = process.env.DATABASE_URL): Promise<Database> {
  if (!url) {
    mkdirSync(EMBEDDED_DATA_DIR, { recursive: true });
    return openPglite(EMBEDDED_DATA_DIR);
  }
  return connectPostgres(url);
}

export async function connectPostgres(url: string): Promise<Database> {
  const { hostname, port } = new URL(url);
  if (hostname.endsWith(".neon.tech")) return connectNeon({ url });
  const bridge = await startWsBridge({ host: hostname, port: Number(port || 5432) });
  const database = connectNeon({ url, wsProxy: bridge.proxy });
  return {
    db: database.db,
    close: async () => {
      await database.close();
      await bridge.close();
    },
  };
}
