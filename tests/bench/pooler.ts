/**
 * PgBouncer in transaction mode between the WebSocket bridge and PostgreSQL,
 * standing in for Neon's pooled endpoint (which is PgBouncer): production
 * points DATABASE_URL at it, because a Worker opens a connection per request
 * and 200 concurrent users would otherwise exceed PostgreSQL's
 * max_connections (100 here) and be refused. Debian's `pgbouncer` package
 * provides it; without it the benchmark connects directly and says so.
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Child, freePort, spawnPinned } from "./processes.ts";

export const PGBOUNCER = "/usr/sbin/pgbouncer";
/** Server connections per database and user: what PostgreSQL sees however many requests are in flight. */
const POOL_SIZE = 40;

let available: boolean | undefined;

/** Whether Debian's pgbouncer is installed (asked once per run: every stack and the report need to know). */
export function poolerAvailable(): boolean {
  available ??= spawnSync(PGBOUNCER, ["--version"], { stdio: "ignore" }).status === 0;
  return available;
}

/** Starts PgBouncer in front of `databaseUrl`'s server; resolves with it and the same URL through it. */
export async function startPooler(databaseUrl: string, scratch: string): Promise<{ child: Child; url: string }> {
  const target = new URL(databaseUrl);
  const port = await freePort();
  const user = decodeURIComponent(target.username) || "postgres";
  const authFile = join(scratch, "pgbouncer-users.txt");
  writeFileSync(authFile, `"${user}" ""\n`);
  const configFile = join(scratch, "pgbouncer.ini");
  writeFileSync(
    configFile,
    [
      "[databases]",
      `* = host=${target.hostname} port=${target.port || "5432"}`,
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${port}`,
      // The machine's PostgreSQL trusts local connections; the pooler passes users through as they are.
      "auth_type = trust",
      `auth_file = ${authFile}`,
      "pool_mode = transaction",
      `default_pool_size = ${POOL_SIZE}`,
      "max_client_conn = 2000",
      // No Unix socket: the postgres user could not write one into the scratch directory.
      "unix_socket_dir =",
      "ignore_startup_parameters = extra_float_digits,options",
      "",
    ].join("\n"),
  );
  // PgBouncer refuses to run as root; -u drops to the postgres user (which must read the scratch files).
  const asRoot = process.getuid?.() === 0;
  spawnSync("chmod", ["-R", "a+rX", scratch]);
  const child = spawnPinned("pgbouncer", PGBOUNCER, [...(asRoot ? ["-u", "postgres"] : []), configFile], {
    cpu: undefined,
  });
  const url = new URL(databaseUrl);
  url.port = String(port);
  url.hostname = "127.0.0.1";
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (spawnSync("pg_isready", ["-h", "127.0.0.1", "-p", String(port), "-q"]).status === 0) {
      return { child, url: url.toString() };
    }
    if (child.process.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await child.stop();
  throw new Error(`PgBouncer did not start:\n${child.output().slice(-2000)}`);
}

/** Says, once per run, when the benchmark has to do without the pooler. */
export function warnWithoutPooler(log: (line: string) => void): void {
  if (poolerAvailable()) return;
  log(
    "PgBouncer is not installed (apt-get install pgbouncer): the servers connect to PostgreSQL directly, and " +
      "workerd, with a connection per request, can exceed max_connections and answer 503.",
  );
}
