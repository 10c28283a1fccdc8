import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no TCP port");
  return address.port;
}

export interface RunningServer {
  url: string;
  process: ChildProcess;
  output(): string;
  /** SIGTERM, then the exit code (or the signal that ended it). */
  stop(): Promise<number | string | null>;
}

export function exited(child: ChildProcess): Promise<number | string | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode ?? child.signalCode);
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal)));
}

/** Starts a server process in its own process group and waits until `readyPath` answers 2xx. */
export async function startServer(
  command: string,
  args: string[],
  options: { env: Record<string, string>; port: number; readyPath: string; timeoutMs?: number },
): Promise<RunningServer> {
  const child = spawn(command, args, {
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let log = "";
  child.stdout?.on("data", (chunk) => (log += chunk));
  child.stderr?.on("data", (chunk) => (log += chunk));
  const url = `http://127.0.0.1:${options.port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid!, "SIGTERM");
      } catch {
        child.kill("SIGTERM");
      }
    }
    return exited(child);
  };
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${command} exited with ${child.exitCode}:\n${log}`);
    const answer = await fetch(url + options.readyPath).catch(() => undefined);
    if (answer?.ok) return { url, process: child, output: () => log, stop };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(`${command} did not become ready at ${url}${options.readyPath}:\n${log}`);
}

/** An Upstash REST emulator (a Node process) in front of the Redis at `redisUrl`. */
export async function startUpstashEmulator(
  redisUrl: string,
): Promise<{ url: string; token: string; process: ChildProcess }> {
  const port = await freePort();
  const token = `test-${crypto.randomUUID()}`;
  const child = spawn("node_modules/.bin/upstash-redis-server", [], {
    env: { ...process.env, URS_TOKEN: token, PORT: String(port), REDIS_URL: redisUrl },
    stdio: "ignore",
  });
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 100; attempt++) {
    const answer = await fetch(url, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}` },
      body: JSON.stringify(["PING"]),
    }).catch(() => undefined);
    if (answer?.ok) return { url, token, process: child };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill();
  throw new Error("the Upstash emulator did not start");
}
