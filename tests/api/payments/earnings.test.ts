import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { sharedDatabase } from "../../../api/deps.ts";
import { migrate } from "../../../db/migrate.ts";
import { openPglite } from "../../../db/pglite.ts";
import { earningsLedger, enrollments, users } from "../../../db/schema/index.ts";
import { createTestApp, type TestApp } from "../../support/app.ts";
import { call, createDraft, createPublished, json } from "../../support/catalog.ts";
import { type SignedIn, signUp } from "../../support/identity.ts";
import { buy } from "../../support/payments.ts";

describe("teacher earnings", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });

  it("sum the ledger: gross, the 20 % fee, net, by month, with recent sales", async () => {
    const teacher = await signUp(t, { role: "teacher", verified: true });
    const course = await createPublished(t, teacher, { priceCents: 4900 });
    const cheaper = await createPublished(t, teacher, { priceCents: 1900 });
    const buyers = await Promise.all([0, 1, 2].map(() => signUp(t, { verified: true })));
    await buy(t, buyers[0]!, course.id);
    await buy(t, buyers[1]!, cheaper.id);
    const refundedPayment = await buy(t, buyers[2]!, course.id);
    await json(await call(t, "POST", `/payments/${refundedPayment}/refund`, buyers[2]), 200);

    const earnings = await json(await call(t, "GET", "/teacher/earnings", teacher), 200);
    const ledger = await t.db.select().from(earningsLedger).where(eq(earningsLedger.teacherId, teacher.id));
    const total = (key: "grossCents" | "platformFeeCents" | "netCents") =>
      ledger.reduce((sum, entry) => sum + entry[key], 0);
    expect(earnings).toMatchObject({
      currency: "USD",
      grossCents: 4900 + 1900,
      platformFeeCents: 980 + 380,
      netCents: 3920 + 1520,
      otherCurrencies: [],
    });
    expect([earnings.grossCents, earnings.platformFeeCents, earnings.netCents]).toEqual([
      total("grossCents"),
      total("platformFeeCents"),
      total("netCents"),
    ]);
    const month = new Date().toISOString().slice(0, 7);
    expect(earnings.byMonth).toEqual([{
      month,
      grossCents: 6800,
      platformFeeCents: 1360,
      netCents: 5440,
      sales: 3,
      refunds: 1,
    }]);
    expect(earnings.sales).toHaveLength(4);
    expect(earnings.sales[0]).toMatchObject({ kind: "refund", grossCents: -4900, course: { id: course.id } });
  });

  it("are for teachers only", async () => {
    const learner = await signUp(t);
    expect((await call(t, "GET", "/teacher/earnings", learner)).status).toBe(403);
  });
});

describe("admin metrics", () => {
  /** A database of its own, so every figure can be worked out by hand. */
  let t: TestApp;
  let admin: SignedIn;

  beforeAll(async () => {
    const database = await openPglite();
    await migrate(database.db);
    t = await createTestApp({ database: sharedDatabase(database) });
    admin = await signUp(t, { role: "admin" });
  });

  it("match hand-computed values", async () => {
    const teachers = await Promise.all([0, 1, 2].map(() => signUp(t, { role: "teacher", verified: true })));
    const paid = await createPublished(t, teachers[0]!, { priceCents: 5000, lessons: 1 });
    const free = await createPublished(t, teachers[1]!, { lessons: 1 });
    await createDraft(t, teachers[2]!);
    const learners = await Promise.all([0, 1, 2, 3].map(() => signUp(t, { verified: true })));

    await buy(t, learners[0]!, paid.id);
    const refunded = await buy(t, learners[1]!, paid.id);
    await json(await call(t, "POST", `/payments/${refunded}/refund`, learners[1]), 200);
    for (const learner of [learners[2]!, learners[3]!]) {
      await json(await call(t, "POST", `/courses/${free.id}/enroll`, learner), 201);
    }
    await json(await call(t, "POST", `/lessons/${free.lessonIds[0]}/complete`, learners[2]), 200);
    await json(await call(t, "POST", `/lessons/${paid.lessonIds[0]}/complete`, learners[0]), 200);
    // One learner has not been seen for two months.
    await t.db.update(users).set({ lastSeenAt: new Date(Date.now() - 60 * 86_400_000) }).where(
      eq(users.id, learners[3]!.id),
    );

    const metrics = await json(await call(t, "GET", "/admin/metrics", admin), 200);
    expect(await t.db.$count(enrollments)).toBe(4);
    expect(metrics).toEqual({
      mau: 1 + 3 + 3, // the admin, the teachers, and learners 0–2 signed in within 30 days
      activeTeachers: 2,
      publishedCourses: 2,
      revenueThisMonthCents: 5000, // two sales of 5000, one refunded
      currency: "USD",
      completionRate: 0.6667, // 2 completed of 3 enrollments that were not refunded
    });
  });

  it("are for admins only", async () => {
    const teacher = await signUp(t, { role: "teacher" });
    expect((await call(t, "GET", "/admin/metrics", teacher)).status).toBe(403);
  });
});
