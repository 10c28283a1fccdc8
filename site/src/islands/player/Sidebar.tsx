import { useState } from "preact/hooks";
import { t } from "../../i18n/en.ts";
import type { PlayerCourse } from "./Player.tsx";
import { ProgressBar } from "../lib/ProgressBar.tsx";

interface Props {
  course: PlayerCourse;
  currentLessonId: string;
  completed: ReadonlySet<string>;
  progress?: { completedLessons: number; totalLessons: number; progressPercent: number };
  onOpen: (lessonId: string) => void;
}

/**
 * The curriculum beside the lesson: ticks for what is done, the current lesson marked, a progress bar on top.
 * On a phone it sits above the lesson, showing only the progress until its button opens the list.
 */
export function Sidebar({ course, currentLessonId, completed, progress, onOpen }: Props) {
  const [expanded, setExpanded] = useState(false);
  const follow = (event: MouseEvent, lessonId: string) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    onOpen(lessonId);
  };
  return (
    <nav class={expanded ? "player-sidebar expanded" : "player-sidebar"} aria-label={t("player.curriculum")}>
      <div class="player-sidebar-head">
        <h2>{t("player.curriculum")}</h2>
        <button
          type="button"
          class="link-button curriculum-toggle"
          aria-expanded={expanded}
          aria-controls="player-modules"
          onClick={() => setExpanded(!expanded)}
        >
          {expanded ? t("player.curriculumHide") : t("player.curriculumShow")}
        </button>
      </div>
      {progress && (
        <div class="player-progress">
          <ProgressBar
            percent={progress.progressPercent}
            label={t("player.progress", { done: progress.completedLessons, total: progress.totalLessons })}
          />
          <p class="muted">{t("player.progress", { done: progress.completedLessons, total: progress.totalLessons })}</p>
        </div>
      )}
      <ol id="player-modules" class="player-modules" lang={course.language}>
        {course.modules.map((module) => (
          <li key={module.id}>
            <h3>{module.title}</h3>
            <ol>
              {module.lessons.map((lesson) => {
                const done = completed.has(lesson.id);
                return (
                  <li key={lesson.id} class={done ? "done" : undefined}>
                    <a
                      href={`/learn/${course.slug}/${lesson.id}`}
                      aria-current={lesson.id === currentLessonId ? "page" : undefined}
                      onClick={(event) => follow(event, lesson.id)}
                    >
                      <span class="tick" aria-hidden="true">{done ? "✓" : ""}</span>
                      <span>{lesson.title}</span>
                      {done && <span class="visually-hidden">({t("player.completed")})</span>}
                    </a>
                  </li>
                );
              })}
            </ol>
          </li>
        ))}
      </ol>
    </nav>
  );
}
