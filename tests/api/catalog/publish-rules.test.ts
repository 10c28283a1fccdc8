import { beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../support/app.ts";
import { call, createDraft, json } from "../../support/catalog.ts";
import { type SignedIn, signUp } from "../../support/identity.ts";

let t: TestApp;
let teacher: SignedIn;

beforeAll(async () => {
  t = await createTestApp();
  teacher = await signUp(t, { role: "teacher", verified: true });
});

async function addModule(courseId: string, title: string): Promise<string> {
  return (await json(await call(t, "POST", `/courses/${courseId}/modules`, teacher, { title }), 201)).id;
}

async function addLesson(moduleId: string, title: string, durationSec?: number): Promise<string> {
  const body = { title, kind: "text", ...(durationSec === undefined ? {} : { durationSec }) };
  return (await json(await call(t, "POST", `/modules/${moduleId}/lessons`, teacher, body), 201)).id;
}

const publish = (courseId: string) => call(t, "POST", `/courses/${courseId}/publish`, teacher);
const statusOf = async (courseId: string) =>
  (await json(await call(t, "GET", `/courses/${courseId}`, teacher), 200)).status;

describe("publishing rules", () => {
  it("refuses a course with an empty module (422 course_incomplete naming it) until the module has a lesson", async () => {
    const course = await createDraft(t, teacher);
    const basics = await addModule(course.id, "Basic knots");
    await addLesson(basics, "Reef knot", 600);
    const advanced = await addModule(course.id, "Advanced knots");

    const refused = await json(await publish(course.id), 422);
    expect(refused).toMatchObject({ code: "course_incomplete", status: 422 });
    expect(refused.errors).toEqual([
      { path: `modules/${advanced}`, code: "empty_module", message: "the module “Advanced knots” has no lessons" },
    ]);
    expect(refused.detail).toContain("“Advanced knots” has no lessons");
    expect(await statusOf(course.id)).toBe("draft");

    await addLesson(advanced, "Bowline", 480);
    expect((await json(await publish(course.id), 200)).status).toBe("published");
  });

  it("refuses lessons without a duration, whether left out or 0, naming each, until they have one", async () => {
    const course = await createDraft(t, teacher);
    const module = await addModule(course.id, "Basics");
    const leftOut = await addLesson(module, "Welcome");
    const zero = await addLesson(module, "Tools", 0);
    await addLesson(module, "First steps", 300);

    const refused = await json(await publish(course.id), 422);
    expect(refused.code).toBe("course_incomplete");
    expect(refused.errors).toEqual([
      { path: `lessons/${leftOut}`, code: "missing_duration", message: "the lesson “Welcome” has no duration" },
      { path: `lessons/${zero}`, code: "missing_duration", message: "the lesson “Tools” has no duration" },
    ]);

    await json(await call(t, "PATCH", `/lessons/${leftOut}`, teacher, { durationSec: 120 }), 200);
    expect((await json(await publish(course.id), 422)).errors).toEqual([
      { path: `lessons/${zero}`, code: "missing_duration", message: "the lesson “Tools” has no duration" },
    ]);
    await json(await call(t, "PATCH", `/lessons/${zero}`, teacher, { durationSec: 30 }), 200);
    const published = await json(await publish(course.id), 200);
    expect(published).toMatchObject({ status: "published", totalDurationSec: 450 });
  });

  it("lists every unmet rule in curriculum order, after the curriculum is reordered", async () => {
    const course = await createDraft(t, teacher);
    const first = await addModule(course.id, "First");
    const second = await addModule(course.id, "Second");
    const third = await addModule(course.id, "Third");
    const untimed = await addLesson(first, "Untimed");
    await json(
      await call(t, "PUT", `/courses/${course.id}/curriculum`, teacher, {
        modules: [{ id: third, lessonIds: [] }, { id: first, lessonIds: [untimed] }, { id: second, lessonIds: [] }],
      }),
      200,
    );
    const refused = await json(await publish(course.id), 422);
    expect(refused.errors.map((error: { path: string }) => error.path)).toEqual([
      `modules/${third}`,
      `lessons/${untimed}`,
      `modules/${second}`,
    ]);
  });

  it("still answers course_empty, the contract's code, for a course without a single lesson", async () => {
    const course = await createDraft(t, teacher);
    await addModule(course.id, "Empty for now");
    expect((await json(await publish(course.id), 422)).code).toBe("course_empty");
  });
});
