import { beforeAll, describe, expect, it } from "vitest";
import { enrollments } from "../../../db/schema/index.ts";
import { createTestApp, type TestApp } from "../../support/app.ts";
import { call, createDraft, createPublished, json } from "../../support/catalog.ts";
import { signUp } from "../../support/identity.ts";
import { buy } from "../../support/payments.ts";

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

describe("teacher courses' figures", () => {
  it("count current enrollments and sum the course's ledger, refunds netted out", async () => {
    const teacher = await signUp(t, { role: "teacher", verified: true });
    const paid = await createPublished(t, teacher, { priceCents: 5000 });
    const draft = await createDraft(t, teacher);
    const [kept, refunded] = await Promise.all([signUp(t, { verified: true }), signUp(t, { verified: true })]);
    await buy(t, kept, paid.id);
    const refundedPayment = await buy(t, refunded, paid.id);
    await json(await call(t, "POST", `/payments/${refundedPayment}/refund`, refunded), 200);

    const { items } = await json(await call(t, "GET", "/teacher/courses", teacher), 200);
    const byId = new Map(items.map((course: { id: string }) => [course.id, course]));
    expect(byId.get(paid.id)).toMatchObject({
      status: "published",
      enrollmentsCount: 1,
      revenue: { currency: "USD", grossCents: 5000, netCents: 4000 },
    });
    expect(byId.get(draft.id)).toMatchObject({
      status: "draft",
      enrollmentsCount: 0,
      revenue: { currency: "USD", grossCents: 0, netCents: 0 },
    });
  });

  it("count free enrollments, which earn nothing", async () => {
    const teacher = await signUp(t, { role: "teacher", verified: true });
    const free = await createPublished(t, teacher);
    const learners = await Promise.all([signUp(t), signUp(t)]);
    await t.db.insert(enrollments).values(learners.map((learner) => ({ userId: learner.id, courseId: free.id })));

    const { items } = await json(await call(t, "GET", "/teacher/courses", teacher), 200);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ enrollmentsCount: 2, revenue: { grossCents: 0, netCents: 0 } });
  });
});
