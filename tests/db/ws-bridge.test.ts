import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectNeon, type Database } from "../../db/client.ts";
import { type EmbeddedDatabaseServer, startEmbeddedDatabase } from "../../db/embedded.ts";

const dataDir = mkdtempSync(join(tmpdir(), "lectern-bridge-"));
let server: EmbeddedDatabaseServer;

beforeAll(async () => {
  server = await startEmbeddedDatabase({ dataDir, maxConnections: 4 });
});

afterAll(async () => {
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The server notices a pool's hang-up a moment after its close resolves; the next test needs the slots. */
async function closeAndSettle(database: Database): Promise<void> {
  await database.close();
  await new Promise((resolve) => setTimeout(resolve, 100));
}

describe("the embedded server behind the WebSocket bridge", () => {
  it("frees a closed pool's connections, as a Worker closes one per request", async () => {
    // Two connections per pool, five pools in a row, four slots: connections kept after close fail a later round.
    for (let round = 0; round < 5; round++) {
      const database = connectNeon({ url: server.databaseUrl, wsProxy: server.wsProxy });
      const results = await Promise.all([
        database.db.execute(sql`select ${round}::int as round`),
        database.db.execute(sql`select pg_sleep(0.01)`),
      ]);
      expect(results[0].rows[0]).toEqual({ round });
      await closeAndSettle(database);
    }
  });

  it("answers each of many concurrent clients with its own statement's result", async () => {
    const database = connectNeon({ url: server.databaseUrl, wsProxy: server.wsProxy, maxConnections: 4 });
    try {
      const answers = await Promise.all(
        Array.from({ length: 60 }, (_, n) => database.db.execute(sql`select ${n}::int as n, ${`q${n}`}::text as tag`)),
      );
      expect(answers.map((answer) => answer.rows[0])).toEqual(
        Array.from({ length: 60 }, (_, n) => ({ n, tag: `q${n}` })),
      );
    } finally {
      await closeAndSettle(database);
    }
  });

  it("runs concurrent transactions one after another, each seeing only its own writes", async () => {
    const database = connectNeon({ url: server.databaseUrl, wsProxy: server.wsProxy, maxConnections: 4 });
    try {
      await database.db.execute(sql`create table if not exists bridge_turns (writer int, n int)`);
      const seen = await Promise.all(Array.from({ length: 8 }, (_, writer) =>
        database.db.transaction(async (tx) => {
          for (let n = 0; n < 3; n++) await tx.execute(sql`insert into bridge_turns values (${writer}, ${n})`);
          const mine = await tx.execute<{ count: number }>(
            sql`select count(*)::int as count from bridge_turns where writer = ${writer}`,
          );
          return mine.rows[0]!.count;
        })));
      expect(seen).toEqual(Array(8).fill(3));
    } finally {
      await closeAndSettle(database);
    }
  });
});
