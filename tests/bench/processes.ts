export { freePort } from "../support/servers.ts";
import { type ChildProcess, spawn } from "node:child_process";

/**
 * Child processes of the benchmark: each in its own process group, pinned to
 * one CPU with `taskset`, and all of them killed when the benchmark ends —
 * normally, on an error, or on Ctrl-C.
 */
export interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  /** What it printed (stdout and stderr), for error messages. */
  output(): string;
  /** What it printed on stdout alone. */
  stdout(): string;
  readonly exited: Promise<number | string | null>;
  stop(): Promise<void>;
}

const STOP_GRACE_MS = 5_000;
const running = new Set<Child>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: already gone.
  }
}

// The last resort, for exits that skip the orderly stop.
process.on("exit", () => {
  for (const child of running) killGroup(child.process, "SIGKILL");
});

export interface SpawnOptions {
  /** The CPU to pin the process (and everything it starts) to; undefined leaves it free. */
  cpu: number | undefined;
  env?: NodeJS.ProcessEnv;
  /** A niceness (negative: ahead of other processes on its CPU; needs root, else nice lowers it to 0). */
  nice?: number;
  /** Written to stdin, which is then closed. */
  input?: string;
}

export function spawnPinned(name: string, command: string, args: string[], options: SpawnOptions): Child {
  let [file, argv] = options.cpu === undefined
    ? [command, args]
    : ["taskset", ["--cpu-list", String(options.cpu), command, ...args]];
  if (options.nice !== undefined) [file, argv] = ["nice", ["-n", String(options.nice), file, ...argv]];
  const child = spawn(file, argv, {
    env: options.env ?? process.env,
    stdio: ["pipe", "pipe", "pipe"],
    detached: true,
  });
  let log = "";
  let out = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    log += chunk;
    out += chunk;
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (log += chunk));
  child.stdin.on("error", () => {});
  child.stdin.end(options.input ?? "");
  const exited = new Promise<number | string | null>((resolve) => {
    child.once("error", (error) => {
      log += `\n${error.message}`;
      resolve(-1);
    });
    child.once("exit", (code, signal) => resolve(code ?? signal));
  });
  const handle: Child = {
    name,
    process: child,
    output: () => log,
    stdout: () => out,
    exited,
    stop: async () => {
      if (!running.has(handle)) return;
      killGroup(child, "SIGTERM");
      const timer = setTimeout(() => killGroup(child, "SIGKILL"), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
      // Stragglers in the group (workerd under wrangler) must not outlive the leader.
      killGroup(child, "SIGKILL");
      running.delete(handle);
    },
  };
  running.add(handle);
  void exited.then(() => {
    if (child.exitCode !== null || child.signalCode !== null) killGroup(child, "SIGKILL");
    running.delete(handle);
  });
  return handle;
}

export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((child) => child.stop()));
}

/** Resolves with the child's exit once it ends by itself, or kills it after `timeoutMs`. */
export async function finish(child: Child, timeoutMs: number): Promise<number | string | null> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), timeoutMs)));
  const result = await Promise.race([child.exited, timedOut]);
  clearTimeout(timer);
  if (result === "timeout") {
    await child.stop();
    throw new Error(`${child.name} did not finish within ${timeoutMs / 1000} s:\n${child.output().slice(-2000)}`);
  }
  return result;
}

/** Polls `url` until it answers 200, failing early if `child` exits. */
export async function waitUntilReady(url: string, child: Child, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null || child.process.signalCode !== null) {
      throw new Error(`${child.name} exited before ${url} was ready:\n${child.output().slice(-3000)}`);
    }
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
    if (response?.status === 200) {
      await response.body?.cancel();
      return;
    }
    if (response) last = `${response.status} ${(await response.text()).slice(0, 300)}`;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} was not ready within ${timeoutMs / 1000} s (last: ${last}):\n${child.output().slice(-3000)}`);
}

/** The first line a child prints on stdout, e.g. the address it listens on. */
export async function firstLine(child: Child, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const out = child.stdout();
    const end = out.indexOf("\n");
    if (end >= 0) return out.slice(0, end);
    if (child.process.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${child.name} printed no line:\n${child.output()}`);
}
