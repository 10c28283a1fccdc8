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

/** The curriculum beside the lesson: ticks for what is done, the current lesson marked, a progress bar on top. */
export function Sidebar({ course, currentLessonId, completed, progress, onOpen }: Props) {
  const follow = (event: MouseEvent, lessonId: string) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    onOpen(lessonId);
  };
  return (
    <nav class="player-sidebar" aria-label={t("player.curriculum")}>
      <h2>{t("player.curriculum")}</h2>
      {progress && (
        <div class="player-progress">
          <ProgressBar
            percent={progress.progressPercent}
            label={t("player.progress", { done: progress.completedLessons, total: progress.totalLessons })}
          />
          <p class="muted">{t("player.progress", { done: progress.completedLessons, total: progress.totalLessons })}</p>
        </div>
      )}
      <ol class="player-modules">
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
