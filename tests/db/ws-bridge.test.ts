import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectNeon } from "../../db/client.ts";
import { type EmbeddedDatabaseServer, startEmbeddedDatabase } from "../../db/embedded.ts";

const dataDir = mkdtempSync(join(tmpdir(), "lectern-bridge-"));
let server: EmbeddedDatabaseServer;

beforeAll(async () => {
  server = await startEmbeddedDatabase({ dataDir, maxConnections: 2 });
});

afterAll(async () => {
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("the embedded server behind the WebSocket bridge", () => {
  it("frees a closed pool's connections, as a Worker closes one per request", async () => {
    // Two connections per pool against a server that allows two: any connection kept after close fails the next round.
    for (let round = 0; round < 5; round++) {
      const database = connectNeon({ url: server.databaseUrl, wsProxy: server.wsProxy });
      const results = await Promise.all([
        database.db.execute(sql`select ${round}::int as round`),
        database.db.execute(sql`select pg_sleep(0.01)`),
      ]);
      expect(results[0].rows[0]).toEqual({ round });
      await database.close();
      // The server notices the hang-up a moment after the pool's close resolves.
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
});
