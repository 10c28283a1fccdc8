import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { courses, payments } from "../../db/schema/index.ts";
import { businessMetrics } from "../admin/metrics.ts";
import { type OptionalAuthEnv, requireRole, requireUser, requireVerifiedEmail } from "../identity/middleware.ts";
import { pageQuery } from "../lib/cursor.ts";
import { AppError } from "../lib/errors.ts";
import { optionalJsonBody, validate } from "../lib/validation.ts";
import { checkIdempotencyKey, checkoutReturnUrl, startCheckout } from "./checkout.ts";
import { signedLocalEvent } from "./local.ts";
import { localCheckoutPage } from "./local-page.ts";
import { refundPayment } from "./refunds.ts";
import { listMyPayments, teacherEarnings } from "./reports.ts";
import { handleWebhook } from "./webhooks.ts";

const localOutcome = z.object({ outcome: z.enum(["paid", "cancelled"]) });

export const paymentRoutes = new Hono<OptionalAuthEnv>()
  .post("/courses/:id/checkout", requireUser, requireVerifiedEmail, async (c) => {
    const key = checkIdempotencyKey(c.req.header("Idempotency-Key"));
    const { raw, value } = await optionalJsonBody(c);
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw AppError.validation([{ path: "body", code: "invalid_type", message: "must be a JSON object, or empty" }]);
    }
    return c.json(await startCheckout(c.var.deps, c.var.user, c.req.param("id"), key, raw), 201);
  })
  .post("/payments/webhooks/:provider", async (c) => {
    const provider = c.var.deps.payments.byName(c.req.param("provider"));
    if (!provider) throw AppError.notFound("payment provider");
    const outcome = await handleWebhook(c.var.deps, provider, await c.req.text(), c.req.header("Stripe-Signature"));
    return c.json({ received: true, duplicate: outcome.duplicate });
  })
  .get("/me/payments", requireUser, validate("query", pageQuery), async (c) => {
    c.header("Cache-Control", "private, no-store");
    return c.json(await listMyPayments(c.var.deps, c.var.user.userId, c.req.valid("query")));
  })
  .post("/payments/:id/refund", requireUser, async (c) => {
    return c.json(await refundPayment(c.var.deps, c.var.user, c.req.param("id")));
  })
  .get("/teacher/earnings", requireUser, requireRole("teacher", "admin"), async (c) => {
    c.header("Cache-Control", "private, no-store");
    return c.json(await teacherEarnings(c.var.deps, c.var.user.userId));
  })
  .get("/admin/metrics", requireUser, requireRole("admin"), async (c) => {
    c.header("Cache-Control", "private, no-store");
    return c.json(await businessMetrics(c.var.deps));
  })
  .get("/payments/local/checkout/:sessionId", async (c) => {
    const local = c.var.deps.payments.byName("local");
    if (!local) throw AppError.notFound("route");
    const [row] = await c.var.deps.db
      .select({ payment: payments, title: courses.title })
      .from(payments)
      .innerJoin(courses, eq(courses.id, payments.courseId))
      .where(eq(payments.providerSessionId, c.req.param("sessionId")));
    if (!row || row.payment.provider !== "local") throw AppError.notFound("checkout");
    c.header("Cache-Control", "no-store");
    return c.html(localCheckoutPage({
      sessionId: c.req.param("sessionId"),
      courseTitle: row.title,
      amountCents: row.payment.amountCents,
      currency: row.payment.currency,
    }));
  })
  .post("/payments/local/checkout/:sessionId", validate("form", localOutcome), async (c) => {
    const { deps } = c.var;
    const local = deps.payments.byName("local");
    if (!local) throw AppError.notFound("route");
    const sessionId = c.req.param("sessionId");
    const [payment] = await deps.db.select().from(payments).where(eq(payments.providerSessionId, sessionId));
    if (!payment || payment.provider !== "local") throw AppError.notFound("checkout");
    const { outcome } = c.req.valid("form");
    const { rawBody, signature } = await signedLocalEvent(
      deps.config.payments.localWebhookSecret,
      sessionId,
      outcome,
      deps.clock.now(),
    );
    await handleWebhook(deps, local, rawBody, signature);
    const [course] = await deps.db.select({ slug: courses.slug }).from(courses).where(eq(courses.id, payment.courseId));
    const back = checkoutReturnUrl(
      deps.config.publicUrl,
      outcome === "paid" ? "success" : "cancel",
      payment.id,
      course!.slug,
    );
    return c.redirect(back, 303);
  });
