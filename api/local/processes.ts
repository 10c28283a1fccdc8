import { type ChildProcess, spawn } from "node:child_process";
import { realpathSync } from "node:fs";
import { createServer } from "node:net";
import { delimiter } from "node:path";
import { fileURLToPath } from "node:url";

const BIN_DIR = fileURLToPath(new URL("../../node_modules/.bin/", import.meta.url));
const STOP_GRACE_MS = 5_000;

export interface Tool {
  readonly name: string;
  /** Resolves with the exit code; null when a signal ended it. */
  readonly exited: Promise<number | null>;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();

// Last resort for exits that skip the orderly shutdown (an uncaught error, a second Ctrl-C).
process.on("exit", () => {
  for (const child of running) killGroup(child, "SIGKILL");
});

/** The environment every tool runs with: our Node first on PATH, and nothing that phones home. */
export function toolEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ASTRO_TELEMETRY_DISABLED: "1",
    WRANGLER_SEND_METRICS: "false",
    // Miniflare otherwise fetches Request.cf from Cloudflare and warns when offline.
    CLOUDFLARE_CF_FETCH_ENABLED: "false",
    ...process.env,
    ...extra,
    PATH: [BIN_DIR, process.env.PATH].filter(Boolean).join(delimiter),
  };
}

/**
 * Runs a tool from node_modules/.bin on this Node (the system one may be too
 * old for Astro and Wrangler), in its own process group: the whole tree
 * (wrangler → workerd) stops together, and a terminal's Ctrl-C reaches us
 * alone, so we decide the order things stop in.
 */
export function runTool(name: string, args: string[], env: NodeJS.ProcessEnv): Tool {
  const script = realpathSync(`${BIN_DIR}${name}`);
  const child = spawn(process.execPath, [script, ...args], {
    env,
    stdio: ["ignore", "inherit", "inherit"],
    detached: true,
  });
  running.add(child);
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => {
      running.delete(child);
      // The leader is gone; workerd or other stragglers in its group must not outlive it.
      killGroup(child, "SIGKILL");
      resolve(code);
    });
  });
  return {
    name,
    exited,
    stop: async () => {
      if (!running.has(child)) return;
      killGroup(child, "SIGTERM");
      const timer = setTimeout(() => killGroup(child, "SIGKILL"), STOP_GRACE_MS);
      await exited.catch(() => null);
      clearTimeout(timer);
    },
  };
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

export async function assertPortFree(port: number, host: string): Promise<void> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE"
          ? new Error(`Port ${port} on ${host} is in use; stop what holds it or set PORT.`)
          : error,
      ));
    server.listen(port, host, resolve);
  });
  await new Promise((resolve) => server.close(resolve));
}

/** Polls until `url` answers 200; fails early if the tool serving it exits. */
export async function waitUntilReady(url: string, tool: Tool, timeoutMs: number): Promise<void> {
  let toolExit: number | null | undefined;
  void tool.exited.then((code) => (toolExit = code), () => (toolExit = -1));
  const deadline = Date.now() + timeoutMs;
  let lastAnswer = "no answer";
  while (Date.now() < deadline) {
    if (toolExit !== undefined) throw new Error(`${tool.name} exited (code ${toolExit}) before ${url} was ready`);
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
    if (response?.status === 200) {
      await response.body?.cancel();
      return;
    }
    if (response) lastAnswer = `${response.status} ${await response.text()}`;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} was not ready within ${timeoutMs / 1000} s; last answer: ${lastAnswer}`);
}
