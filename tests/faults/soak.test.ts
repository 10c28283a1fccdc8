import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectNeon } from "../../db/client.ts";
import { migrate } from "../../db/migrate.ts";
import { startWsBridge, type WsBridge } from "../../db/ws-bridge.ts";
import { insertCategory, insertCourse, insertLesson, insertUser } from "../support/factories.ts";
import { freePort, type RunningServer, startServer } from "../support/servers.ts";
import { privatePostgres } from "./private-servers.ts";

/**
 * Fixed-rate mixed read traffic against the Deno server, on a PostgreSQL of
 * its own, for SOAK_SECONDS (5 minutes in CI): no 5xx at all, and a resident
 * set that stays flat.
 */
const SECONDS = Number(process.env.SOAK_SECONDS ?? 300);
const RATE_PER_SECOND = 50;

let postgres: Awaited<ReturnType<typeof privatePostgres>>;
let bridge: WsBridge;
let server: RunningServer;
const slugs: string[] = [];

function residentKiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

beforeAll(async () => {
  postgres = await privatePostgres();
  bridge = await startWsBridge({ host: "127.0.0.1", port: Number(new URL(postgres.url).port) });
  const database = connectNeon({ url: postgres.url, wsProxy: bridge.proxy });
  await migrate(database.db);
  {
    const db = database.db;
    const teacher = await insertUser(db, { role: "teacher" });
    const category = await insertCategory(db, { name: "Soak" });
    for (let i = 0; i < 20; i++) {
      const course = await insertCourse(db, {
        teacherId: teacher.id,
        categoryId: category.id,
        title: `Soak course ${i} about typescript and databases`,
        status: "published",
        publishedAt: new Date(),
      });
      await insertLesson(db, course.id);
      slugs.push(course.slug);
    }
  }
  await database.close();
  const port = await freePort();
  server = await startServer(
    "node_modules/.bin/deno",
    ["run", "--allow-net", "--allow-env", "--allow-read", "--allow-sys", "api/deno.ts"],
    {
      env: {
        DATABASE_URL: postgres.url,
        DATABASE_WS_PROXY: bridge.proxy,
        PORT: String(port),
        APP_ENV: "development",
        LOG_LEVEL: "error",
        RATE_LIMIT_PER_MINUTE: "1000000",
      },
      port,
      readyPath: "/health/live",
    },
  );
});

afterAll(async () => {
  await server?.stop();
  await bridge?.close();
  postgres?.destroy();
});

describe(`soak: ${SECONDS} s at ${RATE_PER_SECOND} requests/s`, () => {
  it("answers everything without a 5xx and keeps its memory flat", async () => {
    const paths = (i: number) =>
      [
        "/api/v1/categories",
        "/api/v1/courses?limit=20",
        "/api/v1/courses?q=typscript&limit=10",
        `/api/v1/courses/${slugs[i % slugs.length]}`,
        "/api/v1/courses?sort=price_asc&free=true",
        "/health/ready",
      ][i % 6]!;
    const statuses = new Map<number, number>();
    const pid = server.process.pid!;
    const inFlight = new Set<Promise<void>>();
    let sent = 0;
    let rssStart = 0;
    const started = Date.now();
    while (Date.now() - started < SECONDS * 1000) {
      const due = Math.floor(((Date.now() - started) / 1000) * RATE_PER_SECOND);
      while (sent < due) {
        const request = fetch(server.url + paths(sent))
          .then(async (response) => {
            await response.arrayBuffer();
            statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          })
          .catch(() => void statuses.set(0, (statuses.get(0) ?? 0) + 1))
          .finally(() => inFlight.delete(request));
        inFlight.add(request);
        sent++;
      }
      if (!rssStart && Date.now() - started > Math.min(10_000, SECONDS * 200)) rssStart = residentKiB(pid);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await Promise.all(inFlight);
    const rssEnd = residentKiB(pid);
    const summary = Object.fromEntries(statuses);
    console.log(
      `soak: ${sent} requests in ${SECONDS} s; statuses ${
        JSON.stringify(summary)
      }; RSS ${rssStart} KiB → ${rssEnd} KiB`,
    );
    if (statuses.has(500)) {
      console.log(
        server.output().split("\n").filter((line) => line.includes("request failed")).slice(0, 3).map((line) =>
          JSON.parse(line).error.cause
        ).join("\n"),
      );
    }
    expect([...statuses.keys()].filter((status) => status >= 500 || status === 0)).toEqual([]);
    expect(rssEnd).toBeLessThan(rssStart * 1.5 + 20_000);
  });
});
