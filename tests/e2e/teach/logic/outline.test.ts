/** Curriculum moves (no browser): every position reachable by single steps, and the request body they make. */
import { describe, expect, it } from "vitest";
import {
  moveLessonBy,
  moveLessonTo,
  moveModuleBy,
  type Outline,
  toCurriculumBody,
} from "../../../../site/src/islands/teach/curriculum/outline.ts";

const lesson = (id: string) => ({ id, title: id, kind: "text" as const, durationSec: 0, isPreview: false });
const outline: Outline = [
  { id: "m1", title: "One", lessons: [lesson("a"), lesson("b")] },
  { id: "m2", title: "Two", lessons: [] },
  { id: "m3", title: "Three", lessons: [lesson("c")] },
];
const order = (value: Outline) => toCurriculumBody(value).modules.map((module) => module.lessonIds);

describe("curriculum outline", () => {
  it("moves a lesson one step within its module", () => {
    expect(order(moveLessonBy(outline, "b", -1))).toEqual([["b", "a"], [], ["c"]]);
  });

  it("crosses into the neighbouring module, empty ones included, at its near end", () => {
    const down = moveLessonBy(outline, "b", 1);
    expect(order(down)).toEqual([["a"], ["b"], ["c"]]);
    expect(order(moveLessonBy(down, "b", 1))).toEqual([["a"], [], ["b", "c"]]);
    expect(order(moveLessonBy(outline, "c", -1))).toEqual([["a", "b"], ["c"], []]);
  });

  it("leaves the outline as it is at either end, and for unknown ids", () => {
    expect(moveLessonBy(outline, "a", -1)).toBe(outline);
    expect(moveLessonBy(outline, "c", 1)).toBe(outline);
    expect(moveLessonBy(outline, "nope", 1)).toBe(outline);
    expect(moveLessonTo(outline, "a", "nope", 0)).toBe(outline);
  });

  it("clamps a drop index past the end of a module", () => {
    expect(order(moveLessonTo(outline, "a", "m3", 99))).toEqual([["b"], [], ["c", "a"]]);
  });

  it("moves modules with their lessons, and never mutates the input", () => {
    const snapshot = JSON.stringify(outline);
    const moved = moveModuleBy(outline, "m3", -1);
    expect(toCurriculumBody(moved)).toEqual({
      modules: [{ id: "m1", lessonIds: ["a", "b"] }, { id: "m3", lessonIds: ["c"] }, { id: "m2", lessonIds: [] }],
    });
    expect(JSON.stringify(outline)).toBe(snapshot);
  });
});
