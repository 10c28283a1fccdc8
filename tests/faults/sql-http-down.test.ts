import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sharedDatabase } from "../../api/deps.ts";
import type { Cache } from "../../api/lib/cache/cache.ts";
import type { Logger, LogLevel } from "../../api/lib/logger.ts";
import { connectNeon, type Database } from "../../db/client.ts";
import { migrate } from "../../db/migrate.ts";
import { startWsBridge, type WsBridge } from "../../db/ws-bridge.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { call, createPublished, json } from "../support/catalog.ts";
import { type SignedIn, signUp } from "../support/identity.ts";
import { exited, freePort } from "../support/servers.ts";
import { privatePostgres } from "./private-servers.ts";
import { catalogReadLoad } from "./read-load.ts";

/**
 * The HTTP query server is killed in the middle of traffic: catalog reads and
 * writes go on over the WebSocket pool with no 5xx, and when the server is
 * back the app returns to it by itself, each switch logged once.
 */
let postgres: Awaited<ReturnType<typeof privatePostgres>>;
let bridge: WsBridge;
let sqlHttp: Awaited<ReturnType<typeof sqlHttpProcess>>;
let database: Database;
let t: TestApp;
let learner: SignedIn;
let courseIds: string[];
let slug: string;
const logged: { level: LogLevel; message: string }[] = [];
const logger: Logger = { log: (level, message) => void logged.push({ level, message }) };

/** Every read reaches the database: a cached answer would hide the path it took. */
const noCache: Cache = {
  get: async () => undefined,
  set: async () => {},
  delete: async () => {},
  ping: async () => {},
};

/** The HTTP query server in a process of its own, so it can be killed as a crashed one is, and started again. */
async function sqlHttpProcess(url: string, wsProxy: string) {
  const port = await freePort();
  const module = fileURLToPath(new URL("../../db/sql-http-server.ts", import.meta.url));
  const script = `import { startSqlHttpServer } from ${JSON.stringify(module)};
    const server = await startSqlHttpServer({ url: process.env.URL, wsProxy: process.env.WS_PROXY, port: ${port} });
    console.log(server.url);`;
  let child: ChildProcess | undefined;
  const start = async () => {
    const started = spawn("node_modules/.bin/node", ["--input-type=module", "-e", script], {
      env: { ...process.env, URL: url, WS_PROXY: wsProxy },
      stdio: ["ignore", "pipe", "inherit"],
    });
    child = started;
    await new Promise<void>((resolve, reject) => {
      started.stdout!.once("data", () => resolve());
      started.once("exit", (code) => reject(new Error(`the HTTP query server exited with ${code}`)));
    });
  };
  const kill = async () => {
    if (!child) return;
    child.kill("SIGKILL");
    await exited(child);
    child = undefined;
  };
  await start();
  return { url: `http://127.0.0.1:${port}/sql`, start, kill };
}

beforeAll(async () => {
  postgres = await privatePostgres();
  const { port } = new URL(postgres.url);
  bridge = await startWsBridge({ host: "127.0.0.1", port: Number(port) });
  sqlHttp = await sqlHttpProcess(postgres.url, bridge.proxy);
  database = connectNeon({ url: postgres.url, wsProxy: bridge.proxy, httpEndpoint: sqlHttp.url, logger });
  await migrate(database.db);
  t = await createTestApp({ database: sharedDatabase(database), cache: noCache });
  const teacher = await signUp(t, { role: "teacher", verified: true });
  const courses = [await createPublished(t, teacher), await createPublished(t, teacher)];
  courseIds = courses.map((course) => course.id);
  slug = courses[0].slug;
  learner = await signUp(t);
});

afterAll(async () => {
  await sqlHttp?.kill();
  await database?.close();
  await bridge?.close();
  postgres?.destroy();
});

const readLoad = (seconds: number) => catalogReadLoad(t, slug, seconds);

/** A one-shot write (the name) and a transaction (an enrollment). */
async function writes(name: string, courseId: string) {
  expect((await json(await call(t, "PATCH", "/me", learner, { name }), 200)).user).toMatchObject({ name });
  expect((await call(t, "POST", `/courses/${courseId}/enroll`, learner)).status).toBe(201);
}

describe("the HTTP query server killed under load", () => {
  it("keeps answering reads and writes over the pool, and goes back to HTTP when it returns", async () => {
    const warm = readLoad(1.5);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await sqlHttp.kill();
    const during = [...(await warm), ...(await readLoad(1))];
    expect(during.length).toBeGreaterThan(10);
    expect(during.filter((status) => status !== 200)).toEqual([]);
    await writes("Written while HTTP was down", courseIds[0]!);
    expect((await t.app.request("/health/ready")).status).toBe(200);
    expect(logged).toEqual([{ level: "warn", message: expect.stringContaining("WebSocket pool") }]);

    await sqlHttp.start();
    let recovered = false;
    for (let attempt = 0; attempt < 40 && !recovered; attempt++) {
      expect((await readLoad(0.25)).filter((status) => status !== 200)).toEqual([]);
      recovered = logged.some((entry) => entry.level === "info");
    }
    expect(recovered).toBe(true);
    await writes("Written over HTTP again", courseIds[1]!);
    expect(logged.map((entry) => entry.level)).toEqual(["warn", "info"]);
  });
});
