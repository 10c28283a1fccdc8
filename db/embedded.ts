import { mkdirSync } from "node:fs";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import type { Db } from "./client.ts";
import { EMBEDDED_DATA_DIR } from "./connect.ts";
import { migrate } from "./migrate.ts";
import { startNeonProxies } from "./neon-proxies.ts";
import { openPglite } from "./pglite.ts";

export interface EmbeddedDatabaseOptions {
  dataDir?: string;
  /** TCP port of the Postgres wire-protocol server; 0 picks a free one. */
  port?: number;
  /** Each Worker request opens its own pool, so this bounds requests in flight, not pools. */
  maxConnections?: number;
}

export interface EmbeddedDatabaseServer {
  /** postgres:// URL of the wire-protocol server. */
  databaseUrl: string;
  /** `host:port/v2` of the WebSocket bridge the Neon driver (in workerd) reaches the server through. */
  wsProxy: string;
  /** The server speaking Neon's HTTP query protocol over that bridge (DATABASE_HTTP_PROXY), for one-shot queries. */
  httpEndpoint: string;
  /**
   * The same PGlite, in this process. Use it only while no client is connected
   * (seeding before the Worker starts): its queries do not wait for a socket
   * client's open transaction.
   */
  db: Db;
  close(): Promise<void>;
}

/**
 * The zero-setup database: a file-backed PGlite, migrated, served over the
 * Postgres wire protocol on loopback, bridged to WebSockets and served over
 * Neon's HTTP query protocol, so the Worker runs the production driver's
 * paths against it: one-shot queries over HTTP, transactions over a WebSocket.
 */
export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions = {}): Promise<EmbeddedDatabaseServer> {
  const dataDir = options.dataDir ?? EMBEDDED_DATA_DIR;
  mkdirSync(dataDir, { recursive: true });
  const database = await openPglite(dataDir);
  let server: PGLiteSocketServer | undefined;
  try {
    await migrate(database.db);
    server = new PGLiteSocketServer({
      db: database.pg,
      host: "127.0.0.1",
      port: options.port ?? 0,
      maxConnections: options.maxConnections ?? 10,
    });
    await server.start();
    const { port } = new URL(`tcp://${server.getServerConn()}`);
    const databaseUrl = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
    // PGlite is one session behind every socket: clients must take turns (see WsBridgeOptions). So two connections
    // are plenty for the HTTP query server; a third would only wait for its turn.
    const proxies = await startNeonProxies(databaseUrl, { oneAtATime: true, maxConnections: 2 });
    const socketServer = server;
    return {
      databaseUrl,
      wsProxy: proxies.wsProxy,
      httpEndpoint: proxies.httpEndpoint,
      db: database.db,
      close: async () => {
        await proxies.close();
        await socketServer.stop();
        await database.close();
      },
    };
  } catch (error) {
    await server?.stop();
    await database.close();
    throw error;
  }
}
