import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chownSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exited, freePort } from "../support/servers.ts";

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} did not come up within ${timeoutMs} ms`);
}

/**
 * A Redis of the test's own, so it can be stopped and started again without
 * touching the machine's (which other suites use).
 */
export async function privateRedis() {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const ping = async () => {
    try {
      return execFileSync("redis-cli", ["-p", String(port), "ping"], { encoding: "utf8" }).trim() === "PONG";
    } catch {
      return false;
    }
  };
  const start = async () => {
    child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
      stdio: "ignore",
    });
    await waitFor(ping, "redis-server");
  };
  const stop = async () => {
    if (!child) return;
    child.kill("SIGKILL");
    await exited(child);
    child = undefined;
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, start, stop };
}

const PG_BIN = (() => {
  const versions = readdirSync("/usr/lib/postgresql").sort();
  return `/usr/lib/postgresql/${versions.at(-1)}/bin`;
})();

/**
 * A PostgreSQL cluster of the test's own (initdb in a temporary directory,
 * run as the postgres user, which initdb requires), so it can be restarted
 * mid-load without disturbing the machine's server.
 */
export async function privatePostgres() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "lectern-pg-"));
  const data = join(dir, "data");
  chownSync(
    dir,
    Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" })),
    Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" })),
  );
  const asPostgres = (command: string, args: string[]) =>
    execFileSync("runuser", ["-u", "postgres", "--", `${PG_BIN}/${command}`, ...args], { stdio: "pipe" });
  asPostgres("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const ready = async () => {
    try {
      asPostgres("pg_isready", ["-h", "127.0.0.1", "-p", String(port)]);
      return true;
    } catch {
      return false;
    }
  };
  const start = async () => {
    asPostgres("pg_ctl", ["-D", data, "-o", options, "-l", join(dir, "log"), "-w", "start"]);
    await waitFor(ready, "postgres");
  };
  const stop = () => void asPostgres("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]);
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start,
    stop,
    destroy: () => {
      try {
        stop();
      } catch {
        // Already stopped.
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
