import { useLayoutEffect, useRef, useState } from "preact/hooks";
import { tt } from "../../../i18n/teach.ts";
import { AddLessonForm, AddModuleForm } from "./AddForms.tsx";
import { type LessonDrag, useOutlineDrag } from "./drag.ts";
import { findLesson, moveLessonBy, moveModuleBy, type Outline, type OutlineModule } from "./outline.ts";
import type { NewLesson } from "../lib/studio-api.ts";

export interface CurriculumActions {
  /** Applies a move locally and queues the one request that saves the whole order. */
  reorder: (move: (outline: Outline) => Outline) => void;
  addModule: (title: string) => Promise<void>;
  renameModule: (moduleId: string, title: string) => void;
  deleteModule: (moduleId: string) => void;
  addLesson: (moduleId: string, lesson: NewLesson) => Promise<void>;
  deleteLesson: (lessonId: string) => void;
  openLesson: (lessonId: string) => void;
}

interface Props {
  outline: Outline;
  openLessonId: string | undefined;
  actions: CurriculumActions;
}

/**
 * Modules and their lessons. Lessons and modules reorder by drag and drop, and by keyboard: Alt+Arrow keys on a
 * focused lesson or module title, or its Move up / Move down buttons. Every move is announced in a live region.
 */
export function CurriculumEditor({ outline, openLessonId, actions }: Props) {
  const [announcement, setAnnouncement] = useState("");
  // After a keyboard move across modules the lesson's element is rebuilt; focus follows it to its new place.
  const [refocus, setRefocus] = useState<string>();
  const list = useRef<HTMLOListElement>(null);
  const drag = useOutlineDrag(outline, (move) => actions.reorder(move));

  // A layout effect: focus lands in the same frame as the move, before the next key press can go astray.
  useLayoutEffect(() => {
    if (!refocus) return;
    list.current?.querySelector<HTMLElement>(`[data-focus-key="${refocus}"]`)?.focus();
    setRefocus(undefined);
  }, [refocus, outline]);

  const moveLesson = (lessonId: string, step: -1 | 1, focusKey: string) => {
    const moved = moveLessonBy(outline, lessonId, step);
    if (moved === outline) return;
    actions.reorder(() => moved);
    const place = findLesson(moved, lessonId)!;
    const module = moved[place.moduleIndex]!;
    setAnnouncement(tt("curriculum.moved", {
      title: module.lessons[place.lessonIndex]!.title,
      position: place.lessonIndex + 1,
      module: module.title,
    }));
    setRefocus(focusKey);
  };

  const moveModule = (moduleId: string, step: -1 | 1, focusKey: string) => {
    const moved = moveModuleBy(outline, moduleId, step);
    if (moved.every((module, index) => module === outline[index])) return;
    actions.reorder(() => moved);
    const position = moved.findIndex((module) => module.id === moduleId);
    setAnnouncement(tt("curriculum.modulePosition", { title: moved[position]!.title, position: position + 1 }));
    setRefocus(focusKey);
  };

  /** Alt+Arrow Up / Down moves the focused item; plain arrows stay with the text field or page. */
  const onMoveKey = (event: KeyboardEvent, move: (step: -1 | 1) => void) => {
    if (!event.altKey || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) return;
    event.preventDefault();
    move(event.key === "ArrowUp" ? -1 : 1);
  };

  return (
    <section class="curriculum" aria-labelledby="curriculum-heading">
      <h2 id="curriculum-heading">{tt("curriculum.heading")}</h2>
      <p id="curriculum-help" class="muted">{tt("curriculum.help")}</p>
      <p class="visually-hidden" aria-live="assertive">{announcement}</p>
      {outline.length === 0 && <p class="alert info">{tt("curriculum.empty")}</p>}
      <ol class="outline-modules" ref={list}>
        {outline.map((module, moduleIndex) => (
          <ModuleItem
            key={module.id}
            module={module}
            isFirst={moduleIndex === 0}
            isLast={moduleIndex === outline.length - 1}
            openLessonId={openLessonId}
            actions={actions}
            drag={drag}
            onMoveModule={(step, focusKey) => moveModule(module.id, step, focusKey)}
            onMoveLesson={moveLesson}
            onMoveKey={onMoveKey}
          />
        ))}
      </ol>
      <AddModuleForm onAdd={actions.addModule} />
    </section>
  );
}

interface ModuleItemProps {
  module: OutlineModule;
  isFirst: boolean;
  isLast: boolean;
  openLessonId: string | undefined;
  actions: CurriculumActions;
  drag: LessonDrag;
  onMoveModule: (step: -1 | 1, focusKey: string) => void;
  onMoveLesson: (lessonId: string, step: -1 | 1, focusKey: string) => void;
  onMoveKey: (event: KeyboardEvent, move: (step: -1 | 1) => void) => void;
}

function ModuleItem(props: ModuleItemProps) {
  const { module, actions, drag, onMoveKey } = props;
  const titleId = `module-title-${module.id}`;
  const [title, setTitle] = useState(module.title);
  const tooShort = title.trim().length < 3;

  return (
    <li class={`outline-module ${drag.moduleClass(module.id)}`} {...drag.moduleTarget(module.id)}>
      <div class="module-header">
        <span
          class="drag-handle"
          aria-hidden="true"
          title={tt("curriculum.dragHandle", { title: module.title })}
          draggable
          {...drag.moduleSource(module.id)}
        >
          ⠿
        </span>
        <label class="visually-hidden" for={titleId}>{tt("curriculum.moduleTitle")}</label>
        <input
          id={titleId}
          class="module-title"
          value={title}
          data-focus-key={`module-title:${module.id}`}
          aria-describedby="curriculum-help"
          aria-invalid={tooShort ? "true" : undefined}
          onInput={(event) => {
            const value = event.currentTarget.value;
            setTitle(value);
            if (value.trim().length >= 3) actions.renameModule(module.id, value.trim());
          }}
          onKeyDown={(event) => onMoveKey(event, (step) => props.onMoveModule(step, `module-title:${module.id}`))}
        />
        <MoveButtons
          title={module.title}
          keyPrefix={`module:${module.id}`}
          canMoveUp={!props.isFirst}
          canMoveDown={!props.isLast}
          onMove={props.onMoveModule}
        />
        <button
          type="button"
          class="button small secondary danger"
          aria-label={tt("curriculum.delete", { title: module.title })}
          onClick={() => {
            if (confirm(tt("curriculum.deleteModuleConfirm", { title: module.title }))) actions.deleteModule(module.id);
          }}
        >
          ✕
        </button>
      </div>
      <ol class="outline-lessons" aria-label={module.title} {...drag.lessonListTarget(module.id)}>
        {module.lessons.length === 0 && <li class="muted empty">{tt("curriculum.noLessons")}</li>}
        {module.lessons.map((lesson, lessonIndex) => {
          const openKey = `lesson-open:${lesson.id}`;
          return (
            <li
              key={lesson.id}
              class={`outline-lesson ${drag.lessonClass(lesson.id)}`}
              data-lesson-id={lesson.id}
              draggable
              {...drag.lessonSource(lesson.id)}
              {...drag.lessonTarget(module.id, lessonIndex)}
            >
              <span class="drag-handle" aria-hidden="true">⠿</span>
              <button
                type="button"
                class="lesson-open"
                data-focus-key={openKey}
                aria-current={lesson.id === props.openLessonId ? "true" : undefined}
                aria-describedby="curriculum-help"
                aria-label={tt("curriculum.editLesson", { title: lesson.title })}
                onClick={() => actions.openLesson(lesson.id)}
                onKeyDown={(event) => onMoveKey(event, (step) => props.onMoveLesson(lesson.id, step, openKey))}
              >
                {lesson.title}
              </button>
              <span class="badge">{tt(lesson.kind === "video" ? "curriculum.video" : "curriculum.text")}</span>
              {lesson.isPreview && <span class="badge preview">{tt("lesson.showPreview")}</span>}
              <MoveButtons
                title={lesson.title}
                keyPrefix={`lesson:${lesson.id}`}
                canMoveUp={lessonIndex > 0 || !props.isFirst}
                canMoveDown={lessonIndex < module.lessons.length - 1 || !props.isLast}
                onMove={(step, focusKey) => props.onMoveLesson(lesson.id, step, focusKey)}
              />
              <button
                type="button"
                class="button small secondary danger"
                aria-label={tt("curriculum.delete", { title: lesson.title })}
                onClick={() => {
                  if (confirm(tt("curriculum.deleteLessonConfirm", { title: lesson.title }))) {
                    actions.deleteLesson(lesson.id);
                  }
                }}
              >
                ✕
              </button>
            </li>
          );
        })}
      </ol>
      <AddLessonForm moduleId={module.id} moduleTitle={module.title} onAdd={actions.addLesson} />
    </li>
  );
}

interface MoveButtonsProps {
  title: string;
  keyPrefix: string;
  canMoveUp: boolean;
  canMoveDown: boolean;
  onMove: (step: -1 | 1, focusKey: string) => void;
}

/** Visible buttons for the same moves as Alt+Arrow keys; focus stays on the pressed button after the move. */
function MoveButtons({ title, keyPrefix, canMoveUp, canMoveDown, onMove }: MoveButtonsProps) {
  return (
    <span class="move-buttons">
      <button
        type="button"
        class="button small secondary"
        data-focus-key={`${keyPrefix}:up`}
        aria-label={tt("curriculum.moveUp", { title })}
        disabled={!canMoveUp}
        onClick={() => onMove(-1, `${keyPrefix}:up`)}
      >
        ↑
      </button>
      <button
        type="button"
        class="button small secondary"
        data-focus-key={`${keyPrefix}:down`}
        aria-label={tt("curriculum.moveDown", { title })}
        disabled={!canMoveDown}
        onClick={() => onMove(1, `${keyPrefix}:down`)}
      >
        ↓
      </button>
    </span>
  );
}
