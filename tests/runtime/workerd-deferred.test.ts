import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectNeon } from "../../db/client.ts";
import { emailOutbox } from "../../db/schema/index.ts";
import { type ServerDatabase, serverDatabase } from "../support/runtime-database.ts";
import type { RunningServer } from "../support/servers.ts";
import { requireFreshBuild, startWorkerd } from "./workerd-server.ts";

let database: ServerDatabase;
let server: RunningServer;

beforeAll(async () => {
  requireFreshBuild();
  database = await serverDatabase(async () => {});
  // Inline delivery runs in the request's waitUntil, after the answer has gone: the work that outlives a response.
  server = await startWorkerd(database, { EMAIL_DELIVERY: "inline" });
});

afterAll(async () => {
  await server?.stop();
  await database?.close();
});

async function outboxFor(to: string) {
  const connection = connectNeon({ url: database.env.DATABASE_URL, wsProxy: database.env.DATABASE_WS_PROXY });
  try {
    return await connection.db
      .select({ status: emailOutbox.status, attempts: emailOutbox.attempts, sentAt: emailOutbox.sentAt })
      .from(emailOutbox)
      .where(eq(emailOutbox.to, to));
  } finally {
    await connection.close();
  }
}

describe("work the built Worker defers past its answer", () => {
  it("delivers a sign-up's email after the response and marks it sent, exactly once", async () => {
    const email = `deferred-${crypto.randomUUID().slice(0, 8)}@example.test`;
    const registered = await fetch(`${server.url}/api/v1/auth/register`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email, password: "a passphrase in workerd", name: "Deferred" }),
    });
    expect(registered.status).toBe(202);

    let outbox = await outboxFor(email);
    for (let attempt = 0; attempt < 40 && outbox[0]?.status !== "sent"; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      outbox = await outboxFor(email);
    }
    // One claim, one send, recorded: an email sent but not marked sent would be claimed and sent again by the sweep.
    expect(outbox).toEqual([{ status: "sent", attempts: 1, sentAt: expect.any(Date) }]);
    expect(server.output()).not.toContain("deferred work failed");
  });
});
