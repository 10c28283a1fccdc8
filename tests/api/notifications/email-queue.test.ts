import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { actionTokens, emailOutbox, notifications } from "../../../db/schema/index.ts";
import type { EmailJob } from "../../../api/deps.ts";
import type { Clock } from "../../../api/lib/clock.ts";
import { silentLogger } from "../../../api/lib/logger.ts";
import type { Mailer } from "../../../api/lib/mail/mailer.ts";
import { MAX_ATTEMPTS } from "../../../api/lib/mail/outbox.ts";
import { purgeExpired } from "../../../api/maintenance.ts";
import { consumeEmailJobs, type QueueMessage } from "../../../api/notifications/email-consumer.ts";
import { createTestApp, type TestApp } from "../../support/app.ts";
import { PASSWORD, post, uniqueEmail } from "../../support/identity.ts";

let t: TestApp;
const queued: EmailJob[] = [];

beforeAll(async () => {
  t = await createTestApp({ emailQueue: { send: async (job) => void queued.push(job) } });
});

function message(body: EmailJob, attempts = 1) {
  const outcome = { acked: false, retried: false };
  const queueMessage: QueueMessage<EmailJob> = {
    body,
    attempts,
    ack: () => void (outcome.acked = true),
    retry: () => void (outcome.retried = true),
  };
  return { queueMessage, outcome };
}

/** A clock the test moves forward, to make retries due. */
function manualClock(): Clock & { advance(ms: number): void } {
  let now = Date.now();
  return { now: () => new Date(now), advance: (ms) => void (now += ms) };
}

async function registerAndTakeJob(): Promise<{ email: string; job: EmailJob }> {
  const email = uniqueEmail();
  queued.length = 0;
  expect((await post(t, "/auth/register", { email, password: PASSWORD, name: "Queued" })).status).toBe(202);
  expect(queued).toHaveLength(1);
  return { email, job: queued[0]! };
}

describe("email delivery through the queue", () => {
  it("queues the outbox ids instead of sending in the request", async () => {
    const { email, job } = await registerAndTakeJob();
    const [row] = await t.db.select().from(emailOutbox).where(eq(emailOutbox.to, email));
    expect(job.emailIds).toEqual([row!.id]);
    expect(row).toMatchObject({ status: "pending", attempts: 0 });
  });

  it("retries a failing email and never sends it twice", async () => {
    const { email, job } = await registerAndTakeJob();
    const clock = manualClock();
    const sent: string[] = [];
    let failing = true;
    const mailer: Mailer = {
      send: async (mail) => {
        if (failing) throw new Error("provider answered 503");
        sent.push(mail.to);
      },
    };
    const deps = { db: t.db, mailer, clock, logger: silentLogger };

    const first = message(job, 1);
    await consumeEmailJobs(deps, [first.queueMessage]);
    expect(first.outcome).toEqual({ acked: false, retried: true });
    const [afterFailure] = await t.db.select().from(emailOutbox).where(eq(emailOutbox.to, email));
    expect(afterFailure).toMatchObject({ status: "pending", attempts: 1, lastError: "Error: provider answered 503" });

    failing = false;
    clock.advance(60_000);
    const second = message(job, 2);
    await consumeEmailJobs(deps, [second.queueMessage]);
    expect(second.outcome.acked).toBe(true);

    const redelivered = message(job, 3);
    await consumeEmailJobs(deps, [redelivered.queueMessage]);
    expect(redelivered.outcome.acked).toBe(true);
    expect(sent).toEqual([email]);
    const [delivered] = await t.db.select().from(emailOutbox).where(eq(emailOutbox.to, email));
    expect(delivered).toMatchObject({ status: "sent", attempts: 2, lastError: null });
  });

  it("gives up after the last attempt and keeps the email, marked dead", async () => {
    const { email, job } = await registerAndTakeJob();
    const clock = manualClock();
    const deps = { db: t.db, mailer: { send: () => Promise.reject(new Error("down")) }, clock, logger: silentLogger };
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      await consumeEmailJobs(deps, [message(job, attempt).queueMessage]);
      clock.advance(3_600_000);
    }
    const [dead] = await t.db.select().from(emailOutbox).where(eq(emailOutbox.to, email));
    expect(dead).toMatchObject({ status: "dead", attempts: MAX_ATTEMPTS });
  });
});

describe("maintenance", () => {
  it("purges spent and expired tokens and old read notifications, and keeps the rest", async () => {
    const { email } = await registerAndTakeJob();
    const [{ userId }] =
      (await t.db.select({ userId: emailOutbox.userId }).from(emailOutbox).where(eq(emailOutbox.to, email))) as [
        { userId: string },
      ];
    const [fresh] = await t.db.select().from(actionTokens).where(eq(actionTokens.userId, userId));
    await t.db.insert(actionTokens).values({
      userId,
      purpose: "reset_password",
      tokenHash: crypto.randomUUID().replaceAll("-", "").padEnd(64, "0"),
      expiresAt: new Date(Date.now() - 2 * 3_600_000),
    });
    const old = new Date(Date.now() - 100 * 86_400_000);
    await t.db.insert(notifications).values([
      { userId, kind: "enrollment_created", title: "Old and read", readAt: old, createdAt: old },
      { userId, kind: "enrollment_created", title: "Old but unread", createdAt: old },
    ]);

    // An hour behind: suites running beside this one on a shared database expire tokens just now, on purpose.
    const anHourAgo = { now: () => new Date(Date.now() - 3_600_000) };
    const report = await purgeExpired({ db: t.db, clock: anHourAgo, logger: silentLogger });
    expect(report.actionTokens).toBeGreaterThanOrEqual(1);
    const tokens = await t.db.select().from(actionTokens).where(eq(actionTokens.userId, userId));
    expect(tokens.map((row) => row.id)).toEqual([fresh!.id]);
    const left = await t.db.select({ title: notifications.title }).from(notifications).where(
      eq(notifications.userId, userId),
    );
    expect(left.map((row) => row.title)).toEqual(["Old but unread"]);
  });
});
