import { useQuery, useQueryClient } from "@tanstack/preact-query";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { t } from "../../i18n/en.ts";
import { api, ApiError, call } from "../lib/api.ts";
import { errorMessage, QueryError, Skeleton, withIslandShell } from "../lib/query.tsx";
import { useSession } from "../lib/session.ts";
import { useCompleteLesson, useCourseProgress } from "../learning/progress.ts";
import { LessonContent } from "./LessonContent.tsx";
import { ShortcutHelp } from "./ShortcutHelp.tsx";
import { Sidebar } from "./Sidebar.tsx";
import { useShortcuts } from "./shortcuts.ts";

export interface PlayerCourse {
  id: string;
  slug: string;
  title: string;
  /** The language the course is taught in: its titles and lessons are marked with it, whatever the site's. */
  language: string;
  teacherId: string;
  modules: {
    id: string;
    title: string;
    lessons: { id: string; title: string; kind: "text" | "video"; isPreview: boolean }[];
  }[];
}

const lessonQuery = (lessonId: string) => ({
  queryKey: ["lesson", lessonId] as const,
  queryFn: () => call(api.lessons[":id"].$get({ param: { id: lessonId } })),
  staleTime: 5 * 60_000,
});

/**
 * The lesson player: the lesson (text or video), the curriculum with ticks,
 * progress, mark complete → next lesson, and keyboard shortcuts. Moving between
 * lessons stays on the page (history entries included), so it is instant and
 * the session is not restored again for every lesson.
 */
function Player({ course, lessonId: firstLessonId }: { course: PlayerCourse; lessonId: string }) {
  const session = useSession();
  const queryClient = useQueryClient();
  const [lessonId, setLessonId] = useState(firstLessonId);
  const [helpOpen, setHelpOpen] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const lessons = useMemo(() => course.modules.flatMap((module) => module.lessons), [course]);
  const index = Math.max(0, lessons.findIndex((lesson) => lesson.id === lessonId));
  const outline = lessons[index]!;
  const previous = lessons[index - 1];
  const next = lessons[index + 1];

  const signedIn = session.status === "authenticated";
  const teaches = signedIn && session.user.id === course.teacherId;
  const progress = useCourseProgress(course.id, signedIn && !teaches);
  const lesson = useQuery({
    ...lessonQuery(lessonId),
    enabled: session.status !== "loading" && (signedIn || outline.isPreview),
  });
  const complete = useCompleteLesson(course.id);
  const completed = useMemo(() => new Set(progress.data?.completedLessonIds ?? []), [progress.data]);
  const enrolled = Boolean(progress.data);

  const open = (id: string, { push = true } = {}) => {
    const target = lessons.find((candidate) => candidate.id === id);
    if (!target) return;
    setLessonId(id);
    if (push) history.pushState(null, "", `/learn/${course.slug}/${id}`);
    document.title = `${target.title} · ${course.title} · ${t("site.name")}`;
    heading.current?.focus();
  };

  useEffect(() => {
    const onPop = () => {
      const id = location.pathname.split("/").pop();
      if (id) open(id, { push: false });
    };
    addEventListener("popstate", onPop);
    return () => removeEventListener("popstate", onPop);
  });

  // The next lesson is usually where the learner goes: have it ready.
  useEffect(() => {
    if (next && enrolled) queryClient.query(lessonQuery(next.id)).catch(() => undefined);
  }, [next?.id, enrolled]);

  const markComplete = (andContinue: boolean) => {
    if (!enrolled) return;
    if (!completed.has(lessonId)) complete.mutate(lessonId);
    if (andContinue && next) open(next.id);
  };

  useShortcuts({
    next: () => next && open(next.id),
    previous: () => previous && open(previous.id),
    complete: () => markComplete(false),
    help: () => setHelpOpen(true),
  });

  const courseCompleted = progress.data?.status === "completed";
  const isDone = completed.has(lessonId);

  return (
    <div class="player">
      <Sidebar
        course={course}
        currentLessonId={lessonId}
        completed={completed}
        progress={progress.data ?? undefined}
        onOpen={(id) => open(id)}
      />
      <section class="player-main" aria-labelledby="lesson-title">
        <p class="muted">{t("player.lessonOf", { position: index + 1, total: lessons.length })}</p>
        <h1 id="lesson-title" ref={heading} tabIndex={-1} lang={course.language}>{outline.title}</h1>
        {complete.isError && (
          <p class="alert error" role="alert">
            {t("player.completeFailed", { message: errorMessage(complete.error) })}
          </p>
        )}
        {courseCompleted && (
          <div class="alert success course-completed" role="status">
            <strong>{t("player.courseCompleted")}</strong>
            <p>{t("player.courseCompletedLead", { title: course.title })}</p>
            <a class="button small" href={`/courses/${course.slug}#reviews`}>{t("player.leaveReview")}</a>
          </div>
        )}
        <div class="lesson-area">
          {session.status === "anonymous" && !outline.isPreview
            ? (
              <p class="alert info">
                {t("player.loginRequired")}{" "}
                <a href={`/login?next=${encodeURIComponent(location.pathname)}`}>{t("nav.login")}</a>
              </p>
            )
            : lesson.isError
            ? (lesson.error instanceof ApiError && lesson.error.code === "not_enrolled"
              ? (
                <p class="alert info">
                  {t("player.notEnrolled")} <a href={`/courses/${course.slug}`}>{t("player.backToCourse")}</a>
                </p>
              )
              : <QueryError error={lesson.error} onRetry={() => lesson.refetch()} />)
            : lesson.data
            ? (
              <div lang={course.language}>
                <LessonContent lesson={lesson.data} />
              </div>
            )
            : <Skeleton lines={6} label={t("common.loading")} />}
        </div>
        <div class="player-actions">
          <button
            type="button"
            class="button secondary"
            onClick={() => previous && open(previous.id)}
            disabled={!previous}
          >
            ← {t("player.previous")}
          </button>
          {enrolled && !isDone && (
            <button type="button" class="button" onClick={() => markComplete(true)}>
              {next ? t("player.completeAndContinue") : t("player.markComplete")}
            </button>
          )}
          {enrolled && isDone && <span class="done-label">✓ {t("player.completed")}</span>}
          <button type="button" class="button secondary" onClick={() => next && open(next.id)} disabled={!next}>
            {t("player.next")} →
          </button>
        </div>
        <p class="muted shortcuts">
          {t("player.shortcuts")}{" "}
          <button type="button" class="link-button" onClick={() => setHelpOpen(true)}>
            {t("player.showShortcuts")}
          </button>
        </p>
        <ShortcutHelp open={helpOpen} onClose={() => setHelpOpen(false)} />
      </section>
    </div>
  );
}

export default withIslandShell(Player);
