import { useRef, useState } from "preact/hooks";
import { moveLessonTo, moveModuleTo, type Outline } from "./outline.ts";

/**
 * Native HTML drag and drop for the outline: lessons onto lessons (before or after, by which half of the row the
 * pointer is over) or onto a module's list, modules onto modules. The keyboard alternative lives in the editor;
 * this only serves pointers.
 */

type Dragged = { kind: "lesson" | "module"; id: string };
type Drop = { kind: "lesson"; moduleId: string; index: number } | { kind: "module"; index: number };

export type LessonDrag = ReturnType<typeof useOutlineDrag>;

/** Whether the pointer is in the lower half of the element being dragged over. */
function lowerHalf(event: DragEvent): boolean {
  const box = (event.currentTarget as HTMLElement).getBoundingClientRect();
  return event.clientY > box.top + box.height / 2;
}

export function useOutlineDrag(outline: Outline, reorder: (move: (outline: Outline) => Outline) => void) {
  const dragged = useRef<Dragged>();
  const [drop, setDrop] = useState<Drop & { edge: "before" | "after" }>();

  const start = (item: Dragged) => (event: DragEvent) => {
    event.stopPropagation();
    dragged.current = item;
    event.dataTransfer?.setData("text/plain", item.id);
    if (event.dataTransfer) event.dataTransfer.effectAllowed = "move";
  };

  const end = () => {
    dragged.current = undefined;
    setDrop(undefined);
  };

  const commit = (event: DragEvent) => {
    event.preventDefault();
    event.stopPropagation();
    const item = dragged.current;
    const target = drop;
    end();
    if (!item || !target) return;
    if (item.kind === "lesson" && target.kind === "lesson") {
      reorder((current) => {
        const from = current.flatMap((module) => module.lessons.map((lesson, index) => ({ module, lesson, index })))
          .find((entry) => entry.lesson.id === item.id);
        // Within one module, the lessons after the dragged one shift up by one once it is taken out.
        const shift = from && from.module.id === target.moduleId && from.index < target.index ? 1 : 0;
        return moveLessonTo(current, item.id, target.moduleId, target.index - shift);
      });
    } else if (item.kind === "module" && target.kind === "module") {
      reorder((current) => {
        const from = current.findIndex((module) => module.id === item.id);
        return moveModuleTo(current, item.id, target.index - (from < target.index ? 1 : 0));
      });
    }
  };

  const over = (target: Drop, accepts: Dragged["kind"]) => (event: DragEvent) => {
    if (dragged.current?.kind !== accepts) return;
    event.preventDefault();
    event.stopPropagation();
    const after = lowerHalf(event);
    const index = target.index + (after ? 1 : 0);
    setDrop({ ...target, index, edge: after ? "after" : "before" });
  };

  return {
    lessonSource: (lessonId: string) => ({ onDragStart: start({ kind: "lesson", id: lessonId }), onDragEnd: end }),
    moduleSource: (moduleId: string) => ({ onDragStart: start({ kind: "module", id: moduleId }), onDragEnd: end }),
    lessonTarget: (moduleId: string, index: number) => ({
      onDragOver: over({ kind: "lesson", moduleId, index }, "lesson"),
      onDrop: commit,
    }),
    /** The list itself takes drops at its end, which is the only way into an empty module. */
    lessonListTarget: (moduleId: string) => ({
      onDragOver: (event: DragEvent) => {
        if (dragged.current?.kind !== "lesson") return;
        event.preventDefault();
        const count = outline.find((module) => module.id === moduleId)?.lessons.length ?? 0;
        if (drop?.kind === "lesson" && drop.moduleId === moduleId) return;
        setDrop({ kind: "lesson", moduleId, index: count, edge: "after" });
      },
      onDrop: commit,
    }),
    moduleTarget: (moduleId: string) => ({
      onDragOver: over({ kind: "module", index: outline.findIndex((module) => module.id === moduleId) }, "module"),
      onDrop: commit,
    }),
    lessonClass: (lessonId: string) => {
      if (dragged.current?.id === lessonId) return "dragging";
      if (drop?.kind !== "lesson") return "";
      const module = outline.find((candidate) => candidate.id === drop.moduleId);
      const index = module?.lessons.findIndex((lesson) => lesson.id === lessonId) ?? -1;
      if (index === -1) return "";
      if (drop.edge === "before" && index === drop.index) return "drop-before";
      if (drop.edge === "after" && index === drop.index - 1) return "drop-after";
      return "";
    },
    moduleClass: (moduleId: string) => {
      if (dragged.current?.id === moduleId) return "dragging";
      if (drop?.kind !== "module") return "";
      const index = outline.findIndex((module) => module.id === moduleId);
      if (drop.edge === "before" && index === drop.index) return "drop-before";
      if (drop.edge === "after" && index === drop.index - 1) return "drop-after";
      return "";
    },
  };
}
