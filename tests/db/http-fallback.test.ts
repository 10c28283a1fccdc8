import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { FullQueryResults } from "@neondatabase/serverless";
import { eq, getTableColumns, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { isDatabaseUnavailable, postgresCode } from "../../api/lib/db-errors.ts";
import type { Logger, LogLevel } from "../../api/lib/logger.ts";
import { connectNeon, type Database, type Db } from "../../db/client.ts";
import { temporaryEmbeddedDatabase } from "../support/runtime-database.ts";
import { users } from "../../db/schema/index.ts";
import { type SqlHttpServer, startSqlHttpServer } from "../../db/sql-http-server.ts";
import { insertUser } from "../support/factories.ts";
import { freePort } from "../support/servers.ts";
import { everyKind } from "./values.ts";

/** An HTTP query server that can be stopped and started again at the same address, as a restarted one is. */
interface StoppableServer {
  readonly url: string;
  /** Requests the server answered since it last started. */
  requests(): number;
  stop(): Promise<void>;
  start(): Promise<void>;
}

async function stoppableServer(url: string, wsProxy: string): Promise<StoppableServer> {
  const port = await freePort();
  let server: SqlHttpServer | undefined;
  const start = async () => {
    server = await startSqlHttpServer({ url, wsProxy, port, maxConnections: 2 });
  };
  await start();
  return {
    url: `http://127.0.0.1:${port}/sql`,
    requests: () => server?.counts().requests ?? 0,
    stop: async () => {
      await server?.close();
      server = undefined;
    },
    start,
  };
}

interface Backend {
  /** The database's connection string. */
  url: string;
  wsProxy: string;
  close(): Promise<void>;
}

const backends: { name: string; start(): Promise<Backend> }[] = [{
  name: "PGlite's socket server, through the WebSocket bridge",
  start: async () => {
    const embedded = await temporaryEmbeddedDatabase("lectern-fallback-");
    return { url: embedded.databaseUrl, wsProxy: embedded.wsProxy, close: () => embedded.close() };
  },
}];
const postgres = inject("postgres");
if (postgres) {
  backends.push({
    name: "PostgreSQL, through the WebSocket bridge",
    start: async () => ({ url: postgres.url, wsProxy: postgres.wsProxy, close: async () => {} }),
  });
}

/**
 * A connection string of its own for each test's database (the same database, another application name), so no test
 * sees another's HTTP path state, and PostgreSQL can tell its sessions apart.
 */
function ownUrl(url: string, name: string): string {
  const own = new URL(url);
  own.searchParams.set("application_name", `${name}-${crypto.randomUUID().slice(0, 8)}`);
  return own.toString();
}

function recordingLogger(): Logger & { entries: { level: LogLevel; message: string }[] } {
  const entries: { level: LogLevel; message: string }[] = [];
  return { entries, log: (level, message) => void entries.push({ level, message }) };
}

/** What the app reads, in both of drizzle's modes: raw rows as objects, and selections as arrays mapped by the schema. */
async function reads(db: Db, userId: string) {
  // Drizzle hands on the HTTP driver's full result, and the fallback's in its shape.
  const raw = (await db.execute(everyKind)) as unknown as FullQueryResults<false>;
  const selected = await db
    .select({ ...getTableColumns(users), at: sql<string>`'2026-01-02 03:04:05.678+00'::timestamptz` })
    .from(users)
    .where(eq(users.id, userId));
  return {
    raw: { command: raw.command, rowCount: raw.rowCount, rowAsArray: raw.rowAsArray, rows: raw.rows },
    selected,
    counted: await db.$count(users, eq(users.id, userId)),
  };
}

const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(backends)("one-shot queries when the HTTP query server is down, over $name", ({ start }) => {
  let backend: Backend;
  const open: Database[] = [];

  beforeAll(async () => {
    backend = await start();
  });

  afterAll(async () => {
    for (const database of open) await database.close();
    await backend?.close();
  });

  function connect(options: { url: string; httpEndpoint: string; logger: Logger; wsProxy?: string }): Database {
    const database = connectNeon({ wsProxy: backend.wsProxy, httpRetryAfterMs: 400, ...options });
    open.push(database);
    return database;
  }

  it("go over the pool with the values HTTP gives, keep to it for a while, and go back to HTTP", async () => {
    const url = ownUrl(backend.url, "fallback");
    const server = await stoppableServer(url, backend.wsProxy);
    const logger = recordingLogger();
    try {
      const { db } = connect({ url, httpEndpoint: server.url, logger });
      const user = await insertUser(db);
      const overHttp = await reads(db, user.id);
      expect(overHttp.raw.rows[0]).toMatchObject({ at: "2026-01-02 03:04:05.678+00", span: "1 day 02:00:00" });
      expect(overHttp.selected[0]).toMatchObject({ ...user, at: "2026-01-02 03:04:05.678+00" });

      await server.stop();
      expect(await reads(db, user.id)).toEqual(overHttp);
      const [renamed] = await db.update(users).set({ name: "Renamed" }).where(eq(users.id, user.id)).returning();
      expect(renamed).toMatchObject({ id: user.id, name: "Renamed" });
      const duplicate = await failure(insertUser(db, { id: user.id }));
      expect(postgresCode(duplicate)).toBe("23505");
      expect(isDatabaseUnavailable(duplicate)).toBe(false);
      expect(logger.entries).toEqual([{ level: "warn", message: expect.stringContaining("WebSocket pool") }]);

      await server.start();
      await reads(db, user.id);
      expect(server.requests()).toBe(0);
      await pause(450);
      expect((await reads(db, user.id)).selected).toEqual([
        { ...overHttp.selected[0], name: "Renamed", updatedAt: renamed!.updatedAt },
      ]);
      expect(server.requests()).toBe(3);
      expect(logger.entries.map((entry) => entry.level)).toEqual(["warn", "info"]);
    } finally {
      await server.stop();
    }
  });

  it("answer every read in flight when the server stops under them", async () => {
    const url = ownUrl(backend.url, "in-flight");
    const server = await stoppableServer(url, backend.wsProxy);
    const logger = recordingLogger();
    try {
      const { db } = connect({ url, httpEndpoint: server.url, logger });
      const user = await insertUser(db);
      let stopped = false;
      const loops = Array.from({ length: 4 }, async () => {
        let afterStop = 0;
        while (afterStop < 10) {
          expect(await db.select({ id: users.id }).from(users).where(eq(users.id, user.id))).toEqual([{ id: user.id }]);
          if (stopped) afterStop++;
        }
      });
      await pause(100);
      await server.stop();
      stopped = true;
      await Promise.all(loops);
      expect(logger.entries.filter((entry) => entry.level === "warn")).toHaveLength(1);
    } finally {
      await server.stop();
    }
  });

  it("never send a query Postgres refused over the pool", async () => {
    const url = ownUrl(backend.url, "refused");
    const server = await stoppableServer(url, backend.wsProxy);
    try {
      // Nothing listens behind this bridge address: a query sent again over the pool would fail to connect.
      const { db } = connect({
        url,
        httpEndpoint: server.url,
        wsProxy: `127.0.0.1:${await freePort()}/v2`,
        logger: recordingLogger(),
      });
      const user = await insertUser(db);
      const duplicate = await failure(insertUser(db, { id: user.id }));
      expect(duplicate).toMatchObject({ cause: { name: "NeonDbError", code: "23505" } });
      await server.stop();
      expect(isDatabaseUnavailable(await failure(db.select().from(users).limit(1)))).toBe(true);
    } finally {
      await server.stop();
    }
  });

  it("do not send a write again that may have run, and take the pool for the next", async () => {
    const failing = await failingEndpoint();
    const logger = recordingLogger();
    try {
      const { db } = connect({ url: ownUrl(backend.url, "writes"), httpEndpoint: failing.url, logger });
      const id = crypto.randomUUID();
      expect(isDatabaseUnavailable(await failure(insertUser(db, { id })))).toBe(true);
      expect(await db.select().from(users).where(eq(users.id, id))).toEqual([]);
      expect((await insertUser(db, { id })).id).toBe(id);
      expect(failing.requests()).toBe(1);
      expect(logger.entries).toHaveLength(1);
    } finally {
      await failing.close();
    }
  });

  it("on Workers, take each request's own pool, close it with the request, and pay for a failed fetch once", async () => {
    const failing = await failingEndpoint();
    const url = ownUrl(backend.url, "per-request");
    const logger = recordingLogger();
    try {
      for (let request = 0; request < 3; request++) {
        const database = connectNeon({ url, wsProxy: backend.wsProxy, httpEndpoint: failing.url, logger });
        expect(await database.db.execute(sql`select 1 as one`)).toMatchObject({ rows: [{ one: 1 }] });
        await database.close();
        expect(await failure(database.db.execute(sql`select 1`))).toMatchObject({
          cause: { message: expect.stringContaining("the database was closed") },
        });
      }
      expect(failing.requests()).toBe(1);
      expect(logger.entries).toHaveLength(1);
      if (postgres) expect(await sessionsNamed(new URL(url).searchParams.get("application_name")!)).toBe(0);
    } finally {
      await failing.close();
    }
  });
});

/** An HTTP query endpoint that answers every request with a 503, as a failing one does, and counts them. */
async function failingEndpoint() {
  let requests = 0;
  const server = createServer((request, response) => {
    requests++;
    request.resume();
    response.writeHead(503, { "Content-Type": "application/json" }).end(JSON.stringify({ message: "down" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sql`,
    requests: () => requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** PostgreSQL sessions still open under `name`, once the server has noticed the pool's hang-ups. */
async function sessionsNamed(name: string): Promise<number> {
  const observer = connectNeon({ url: postgres!.url, wsProxy: postgres!.wsProxy });
  try {
    let open = -1;
    for (let attempt = 0; attempt < 20 && open !== 0; attempt++) {
      if (attempt > 0) await pause(50);
      const { rows } = await observer.db.execute<{ n: number }>(
        sql`select count(*)::int as n from pg_stat_activity where application_name = ${name}`,
      );
      open = rows[0]!.n;
    }
    return open;
  } finally {
    await observer.close();
  }
}
