import { sql } from "drizzle-orm";
import type { TestProject } from "vitest/node";
import { connectPostgres } from "../../db/connect.ts";
import { migrate } from "../../db/migrate.ts";
import { type SqlHttpServer, startSqlHttpServer } from "../../db/sql-http-server.ts";
import { startWsBridge, type WsBridge } from "../../db/ws-bridge.ts";
import { startUpstashEmulator } from "./servers.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /**
     * Set for the real-service pass: a migrated PostgreSQL database, the bridge the Neon driver's WebSocket reaches
     * it through, and the server speaking Neon's HTTP query protocol over it.
     */
    postgres: { url: string; wsProxy: string; httpEndpoint: string } | null;
    /** Set for the real-service pass: an Upstash REST emulator in front of a real Redis. */
    redis: { url: string; token: string } | null;
  }
}

async function recreateDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`refusing to recreate database ${name}`);
  const admin = await connectPostgres(Object.assign(new URL(url), { pathname: "/postgres" }).toString());
  try {
    await admin.db.execute(sql.raw(`drop database if exists ${name} with (force)`));
    await admin.db.execute(sql.raw(`create database ${name}`));
  } finally {
    await admin.close();
  }
  const database = await connectPostgres(url);
  try {
    await migrate(database.db);
  } finally {
    await database.close();
  }
}

export default async function setup(project: TestProject) {
  const postgresUrl = process.env.LECTERN_TEST_DATABASE_URL;
  const redisUrl = process.env.LECTERN_TEST_REDIS_URL;
  let bridge: WsBridge | undefined;
  let http: SqlHttpServer | undefined;
  let emulator: Awaited<ReturnType<typeof startUpstashEmulator>> | undefined;

  if (postgresUrl) {
    await recreateDatabase(postgresUrl);
    const { hostname, port } = new URL(postgresUrl);
    bridge = await startWsBridge({ host: hostname, port: Number(port || 5432) });
    http = await startSqlHttpServer({ url: postgresUrl, wsProxy: bridge.proxy });
  }
  if (redisUrl) emulator = await startUpstashEmulator(redisUrl);

  project.provide(
    "postgres",
    postgresUrl && bridge && http ? { url: postgresUrl, wsProxy: bridge.proxy, httpEndpoint: http.url } : null,
  );
  project.provide("redis", emulator ? { url: emulator.url, token: emulator.token } : null);

  return async () => {
    emulator?.process.kill();
    await http?.close();
    await bridge?.close();
  };
}
