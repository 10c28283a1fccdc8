import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable, postgresCode } from "../../api/lib/db-errors.ts";

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
