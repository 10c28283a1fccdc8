import { type Context, Hono, type MiddlewareHandler } from "hono";
import { etag } from "hono/etag";
import {
  type OptionalAuthEnv,
  optionalUser,
  requireRole,
  requireUser,
  requireVerifiedEmail,
} from "../identity/middleware.ts";
import { pageQuery } from "../lib/cursor.ts";
import { jsonEtag } from "../lib/etag.ts";
import { validate } from "../lib/validation.ts";
import { createCourse, deleteCourse, publishCourse, unpublishCourse, updateCourse } from "./authoring.ts";
import {
  addLesson,
  addModule,
  deleteLesson,
  deleteModule,
  renameModule,
  reorderCurriculum,
  updateLesson,
} from "./curriculum.ts";
import { listCourses } from "./listing.ts";
import { getCourse, getLesson, listTeacherCourses } from "./reading.ts";
import {
  createCourseBody,
  createLessonBody,
  curriculumBody,
  listCoursesQuery,
  moduleBody,
  updateCourseBody,
  updateLessonBody,
} from "./schemas.ts";
import { listCategories } from "./service.ts";

/** Shared caches may keep public catalog answers briefly; ETags let everyone revalidate for free. */
const PUBLIC_CACHE = "public, max-age=60, s-maxage=300, stale-while-revalidate=600";

const teacher = [requireUser, requireRole("teacher", "admin")] as const;

const weakEtag = etag({ weak: true });

/** ETag / 304 for reads only: a write with If-None-Match must never be answered "not modified". */
const readEtag: MiddlewareHandler = (c, next) => (c.req.method === "GET" ? weakEtag(c, next) : next());

/** Sets the answer's ETag from the value itself, so `weakEtag` only compares (see jsonEtag). */
function tagged<T>(c: Context, value: T): T {
  c.header("ETag", jsonEtag(value));
  return value;
}

export const catalogRoutes = new Hono<OptionalAuthEnv>()
  .use("/categories", readEtag)
  .use("/courses", readEtag)
  .use("/courses/:idOrSlug", readEtag)
  .get("/categories", async (c) => {
    c.header("Cache-Control", PUBLIC_CACHE);
    return c.json(tagged(c, await listCategories(c.var.deps)));
  })
  .get("/courses", validate("query", listCoursesQuery), async (c) => {
    c.header("Cache-Control", PUBLIC_CACHE);
    return c.json(tagged(c, await listCourses(c.var.deps, c.req.valid("query"))));
  })
  .get("/courses/:idOrSlug", optionalUser, async (c) => {
    const course = await getCourse(c.var.deps, c.req.param("idOrSlug"), c.var.user);
    c.header("Cache-Control", course.status === "published" ? PUBLIC_CACHE : "private, no-store");
    return c.json(tagged(c, course));
  })
  .get("/lessons/:id", optionalUser, async (c) => {
    const lesson = await getLesson(c.var.deps, c.req.param("id"), c.var.user);
    c.header("Cache-Control", lesson.isPreview ? PUBLIC_CACHE : "private, no-store");
    return c.json(lesson);
  })
  .get("/teacher/courses", ...teacher, validate("query", pageQuery), async (c) => {
    c.header("Cache-Control", "private, no-store");
    return c.json(await listTeacherCourses(c.var.deps, c.var.user.userId, c.req.valid("query")));
  })
  .post("/courses", ...teacher, validate("json", createCourseBody), async (c) => {
    return c.json(await createCourse(c.var.deps, c.var.user, c.req.valid("json")), 201);
  })
  .patch("/courses/:id", requireUser, validate("json", updateCourseBody), async (c) => {
    return c.json(await updateCourse(c.var.deps, c.req.param("id"), c.var.user, c.req.valid("json")));
  })
  .delete("/courses/:id", requireUser, async (c) => {
    await deleteCourse(c.var.deps, c.req.param("id"), c.var.user);
    return c.body(null, 204);
  })
  .post("/courses/:id/publish", requireUser, requireVerifiedEmail, async (c) => {
    return c.json(await publishCourse(c.var.deps, c.req.param("id"), c.var.user));
  })
  .post("/courses/:id/unpublish", requireUser, async (c) => {
    return c.json(await unpublishCourse(c.var.deps, c.req.param("id"), c.var.user));
  })
  .put("/courses/:id/curriculum", requireUser, validate("json", curriculumBody), async (c) => {
    return c.json(await reorderCurriculum(c.var.deps, c.req.param("id"), c.var.user, c.req.valid("json")));
  })
  .post("/courses/:id/modules", requireUser, validate("json", moduleBody), async (c) => {
    return c.json(await addModule(c.var.deps, c.req.param("id"), c.var.user, c.req.valid("json").title), 201);
  })
  .patch("/modules/:id", requireUser, validate("json", moduleBody), async (c) => {
    return c.json(await renameModule(c.var.deps, c.req.param("id"), c.var.user, c.req.valid("json").title));
  })
  .delete("/modules/:id", requireUser, async (c) => {
    await deleteModule(c.var.deps, c.req.param("id"), c.var.user);
    return c.body(null, 204);
  })
  .post("/modules/:id/lessons", requireUser, validate("json", createLessonBody), async (c) => {
    return c.json(await addLesson(c.var.deps, c.req.param("id"), c.var.user, c.req.valid("json")), 201);
  })
  .patch("/lessons/:id", requireUser, validate("json", updateLessonBody), async (c) => {
    return c.json(await updateLesson(c.var.deps, c.req.param("id"), c.var.user, c.req.valid("json")));
  })
  .delete("/lessons/:id", requireUser, async (c) => {
    await deleteLesson(c.var.deps, c.req.param("id"), c.var.user);
    return c.body(null, 204);
  });
