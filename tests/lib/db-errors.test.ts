import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { neon } from "@neondatabase/serverless";
import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable, postgresCode } from "../../api/lib/db-errors.ts";
import { routeHttp } from "../../db/neon-routes.ts";

/** Drizzle wraps the driver's error as the cause of a "Failed query" error. */
function wrapped(driverError: object): Error {
  return new Error("Failed query: select 1", { cause: driverError });
}

describe("isDatabaseUnavailable", () => {
  it("treats a full server (too_many_connections) as unavailable, so clients get 503 and retry", () => {
    const full = { code: "53300", severity: "FATAL", message: "sorry, too many clients already" };
    expect(isDatabaseUnavailable(wrapped(full))).toBe(true);
  });

  it("treats a refused or dropped connection as unavailable", () => {
    expect(isDatabaseUnavailable(wrapped({ code: "ECONNREFUSED", message: "connect ECONNREFUSED" }))).toBe(true);
    expect(isDatabaseUnavailable(wrapped({ message: "Connection terminated unexpectedly" }))).toBe(true);
  });

  it("does not hide a query Postgres rejected", () => {
    const rejected = { code: "23505", severity: "ERROR", message: "duplicate key value violates unique constraint" };
    expect(isDatabaseUnavailable(wrapped(rejected))).toBe(false);
    expect(postgresCode(wrapped(rejected))).toBe("23505");
  });

  it("does not mistake a server message that merely mentions a socket for an outage", () => {
    expect(isDatabaseUnavailable(wrapped({ severity: "ERROR", message: "websocket column missing" }))).toBe(false);
  });
});

/** What the HTTP driver throws when its endpoint answers `status` with `body`. */
async function httpDriverError(status: number, body: unknown): Promise<unknown> {
  const server = createServer((_, response) => {
    response.writeHead(status, { "Content-Type": "application/json" });
    response.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    return await queryThrough(`http://127.0.0.1:${(server.address() as AddressInfo).port}/sql`);
  } finally {
    server.close();
  }
}

async function queryThrough(endpoint: string): Promise<unknown> {
  const url = `postgres://app@db-errors-${crypto.randomUUID().slice(0, 8)}.invalid/app`;
  routeHttp(url, endpoint);
  return await neon(url)`select 1`.then(() => undefined, (error: unknown) => error);
}

describe("isDatabaseUnavailable, through Neon's HTTP driver", () => {
  it("treats an endpoint that cannot be reached as unavailable", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await queryThrough(`http://127.0.0.1:${port}/sql`);
    expect(refused).toMatchObject({ name: "NeonDbError", message: expect.stringContaining("Error connecting") });
    expect(isDatabaseUnavailable(wrapped(refused as object))).toBe(true);
  });

  it("treats a 5xx from the endpoint as unavailable, and not other refusals", async () => {
    expect(isDatabaseUnavailable(wrapped((await httpDriverError(503, { message: "down" })) as object))).toBe(true);
    expect(isDatabaseUnavailable(wrapped((await httpDriverError(500, { message: "oops" })) as object))).toBe(true);
    expect(isDatabaseUnavailable(wrapped((await httpDriverError(413, { message: "too large" })) as object))).toBe(
      false,
    );
  });

  it("keeps Postgres' own errors: codes map as over the WebSocket", async () => {
    const duplicate = await httpDriverError(400, {
      message: 'duplicate key value violates unique constraint "users_email_unique"',
      severity: "ERROR",
      code: "23505",
      constraint: "users_email_unique",
    });
    expect(duplicate).toMatchObject({ name: "NeonDbError", code: "23505", constraint: "users_email_unique" });
    expect(isDatabaseUnavailable(wrapped(duplicate as object))).toBe(false);
    expect(postgresCode(wrapped(duplicate as object))).toBe("23505");
    const full = await httpDriverError(400, {
      message: "sorry, too many clients already",
      severity: "FATAL",
      code: "53300",
    });
    expect(isDatabaseUnavailable(wrapped(full as object))).toBe(true);
  });
});
