import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { dirname } from "node:path";
import type { Db } from "../../db/client.ts";
import { EMBEDDED_DATA_DIR } from "../../db/connect.ts";
import { startEmbeddedDatabase } from "../../db/embedded.ts";
import { startNeonProxies } from "../../db/neon-proxies.ts";
import { users } from "../../db/schema/index.ts";

export interface DemoAccount {
  role: string;
  email: string;
  password: string;
}

export interface LocalDatabase {
  /** What the banner says the Worker talks to. */
  description: string;
  databaseUrl: string;
  /** Unset for Neon, which the driver reaches through Neon's own proxy. */
  wsProxy: string | undefined;
  /** The local server speaking Neon's HTTP query protocol (one-shot queries); unset for Neon, which has its own. */
  httpProxy: string | undefined;
  /** Known only for the embedded database, which we seed ourselves. */
  demoAccounts: DemoAccount[] | undefined;
  close(): Promise<void>;
}

/** The seed's accounts and passwords, kept beside the data so later runs can still show them. */
const DEMO_ACCOUNTS_FILE = `${dirname(EMBEDDED_DATA_DIR)}/demo-accounts.json`;

/**
 * The database the local Worker uses: DATABASE_URL when set (left as it is —
 * it may hold data we must not touch), otherwise the embedded PGlite, migrated
 * and seeded with demo data on its first run. Either way the Worker reaches
 * it as it reaches Neon: one-shot queries over HTTP, transactions over a
 * WebSocket (both through local servers, for any Postgres but Neon).
 */
export async function provideDatabase(databaseUrl: string | undefined): Promise<LocalDatabase> {
  if (databaseUrl) return externalDatabase(databaseUrl);
  const embedded = await startEmbeddedDatabase();
  try {
    const demoAccounts = await seedIfEmpty(embedded.db);
    return {
      description: `embedded PGlite (${EMBEDDED_DATA_DIR})`,
      databaseUrl: embedded.databaseUrl,
      wsProxy: embedded.wsProxy,
      httpProxy: embedded.httpEndpoint,
      demoAccounts,
      close: embedded.close,
    };
  } catch (error) {
    await embedded.close();
    throw error;
  }
}

async function externalDatabase(databaseUrl: string): Promise<LocalDatabase> {
  const { hostname, port } = new URL(databaseUrl);
  const description = `DATABASE_URL (${hostname})`;
  if (hostname.endsWith(".neon.tech")) {
    return {
      description,
      databaseUrl,
      wsProxy: undefined,
      httpProxy: undefined,
      demoAccounts: undefined,
      close: async () => {},
    };
  }
  await assertReachable({ host: hostname, port: Number(port || 5432) });
  const proxies = await startNeonProxies(databaseUrl);
  return {
    description,
    databaseUrl,
    wsProxy: proxies.wsProxy,
    httpProxy: proxies.httpEndpoint,
    demoAccounts: undefined,
    close: proxies.close,
  };
}

/** Fails in seconds on a wrong DATABASE_URL, instead of the Worker reporting "not ready" until the timeout. */
async function assertReachable(target: { host: string; port: number }): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const socket = connect({ ...target, timeout: 3_000 });
    const fail = (reason: string) => {
      socket.destroy();
      reject(new Error(`Cannot reach the Postgres of DATABASE_URL at ${target.host}:${target.port} (${reason})`));
    };
    socket.once("connect", () => {
      socket.end();
      resolve();
    });
    socket.once("timeout", () => fail("timed out"));
    socket.once("error", (error: NodeJS.ErrnoException) => fail(error.code ?? error.message));
  });
}

async function seedIfEmpty(db: Db): Promise<DemoAccount[] | undefined> {
  const anyUser = await db.select({ id: users.id }).from(users).limit(1);
  if (anyUser.length > 0) return readDemoAccounts();
  console.log("First run: seeding demo data…");
  // Loaded only here: later runs, which find users, never pay for the seed's modules.
  const { seedDemo } = await import("../../db/seed.ts");
  const { accounts } = await seedDemo(db);
  mkdirSync(dirname(DEMO_ACCOUNTS_FILE), { recursive: true });
  writeFileSync(DEMO_ACCOUNTS_FILE, `${JSON.stringify(accounts, null, 2)}\n`, { mode: 0o600 });
  return accounts;
}

function readDemoAccounts(): DemoAccount[] | undefined {
  if (!existsSync(DEMO_ACCOUNTS_FILE)) return undefined;
  try {
    return JSON.parse(readFileSync(DEMO_ACCOUNTS_FILE, "utf8")) as DemoAccount[];
  } catch {
    return undefined;
  }
}
