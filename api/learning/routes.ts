import { Hono } from "hono";
import { type OptionalAuthEnv, optionalUser, requireUser, requireVerifiedEmail } from "../identity/middleware.ts";
import { pageQuery } from "../lib/cursor.ts";
import { cacheTag, sharePublicAnswer } from "../lib/http-cache.ts";
import { validate } from "../lib/validation.ts";
import { enroll, enrollmentInCourse, listEnrollments } from "./enrollment.ts";
import { completeLesson, courseProgress } from "./progress.ts";
import { deleteReview, getOwnReview, listReviews, putReview, reviewBody } from "./reviews.ts";

export const learningRoutes = new Hono<OptionalAuthEnv>()
  .post("/courses/:id/enroll", requireUser, async (c) => {
    const { created, enrollment } = await enroll(c.var.deps, c.var.user, c.req.param("id"));
    return c.json(enrollment, created ? 201 : 200);
  })
  .get("/courses/:id/enrollment", requireUser, async (c) => {
    c.header("Cache-Control", "private, no-store");
    return c.json({ enrollment: await enrollmentInCourse(c.var.deps, c.var.user, c.req.param("id")) });
  })
  .get("/me/enrollments", requireUser, validate("query", pageQuery), async (c) => {
    c.header("Cache-Control", "private, no-store");
    return c.json(await listEnrollments(c.var.deps, c.var.user.userId, c.req.valid("query")));
  })
  .get("/courses/:id/progress", requireUser, async (c) => {
    c.header("Cache-Control", "private, no-store");
    return c.json(await courseProgress(c.var.deps, c.var.user, c.req.param("id")));
  })
  .post("/lessons/:id/complete", requireUser, async (c) => {
    return c.json(await completeLesson(c.var.deps, c.var.user, c.req.param("id")));
  })
  .get("/courses/:id/reviews", optionalUser, validate("query", pageQuery), async (c) => {
    const page = await listReviews(c.var.deps, c.req.param("id"), c.var.user, c.req.valid("query"));
    sharePublicAnswer(c, [cacheTag.course(c.req.param("id"))]);
    return c.json(page);
  })
  .get("/courses/:id/reviews/mine", requireUser, async (c) => {
    c.header("Cache-Control", "private, no-store");
    return c.json({ review: await getOwnReview(c.var.deps, c.var.user, c.req.param("id")) });
  })
  .put("/courses/:id/reviews/mine", requireUser, requireVerifiedEmail, validate("json", reviewBody), async (c) => {
    return c.json(await putReview(c.var.deps, c.var.user, c.req.param("id"), c.req.valid("json")));
  })
  .delete("/courses/:id/reviews/mine", requireUser, async (c) => {
    await deleteReview(c.var.deps, c.var.user, c.req.param("id"));
    return c.body(null, 204);
  });
