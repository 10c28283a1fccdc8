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
import { cacheTag, sharePublicAnswer } from "../lib/http-cache.ts";
import { courseTags } from "./cache.ts";
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
    const categories = await listCategories(c.var.deps);
    sharePublicAnswer(c, [cacheTag.catalog]);
    return c.json(tagged(c, categories));
  })
  .get("/courses", validate("query", listCoursesQuery), async (c) => {
    const query = c.req.valid("query");
    const page = await listCourses(c.var.deps, query);
    sharePublicAnswer(c, query.category ? [cacheTag.catalog, cacheTag.category(query.category)] : [cacheTag.catalog]);
    return c.json(tagged(c, page));
  })
  .get("/courses/:idOrSlug", optionalUser, async (c) => {
    const course = await getCourse(c.var.deps, c.req.param("idOrSlug"), c.var.user);
    if (course.status === "published") sharePublicAnswer(c, courseTags(course));
    return c.json(tagged(c, course));
  })
  .get("/lessons/:id", optionalUser, async (c) => {
    const { lesson, isPublic } = await getLesson(c.var.deps, c.req.param("id"), c.var.user);
    if (isPublic) sharePublicAnswer(c, [cacheTag.course(lesson.courseId)]);
    return c.json(lesson);
  })
  .get("/teacher/courses", ...teacher, validate("query", pageQuery), async (c) => {
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
