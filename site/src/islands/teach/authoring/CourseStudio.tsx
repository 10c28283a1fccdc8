import { useQuery, useQueryClient } from "@tanstack/preact-query";
import { useRef, useState } from "preact/hooks";
import { tt } from "../../../i18n/teach.ts";
import { ApiError } from "../../lib/api.ts";
import { QueryError, Skeleton, withIslandShell } from "../../lib/query.tsx";
import type { SessionUser } from "../../lib/session.ts";
import { SaveIndicator } from "../autosave/SaveIndicator.tsx";
import { useSaveQueue } from "../autosave/useSaveQueue.ts";
import { type CurriculumActions, CurriculumEditor } from "../curriculum/CurriculumEditor.tsx";
import { type Outline, type OutlineLesson, sameOrder } from "../curriculum/outline.ts";
import { StudioGate } from "../lib/StudioGate.tsx";
import { studioApi, type StudioCourse } from "../lib/studio-api.ts";
import { CourseDetailsForm } from "./CourseDetailsForm.tsx";
import { LessonEditor } from "./LessonEditor.tsx";
import { PublishPanel } from "./PublishPanel.tsx";

const RENAME_DELAY_MS = 800;

/** Failed saves are reported by the save indicator (the queue's status); the caller has nothing to add. */
const shownInSaveIndicator = () => {};
const REORDER_DELAY_MS = 300;

/** /teach/courses/:id — everything about one course: details, curriculum, lessons, publishing. */
function CourseStudio({ courseId }: { courseId: string }) {
  return <StudioGate>{(user) => <LoadedCourse courseId={courseId} user={user} />}</StudioGate>;
}

function LoadedCourse({ courseId, user }: { courseId: string; user: SessionUser }) {
  const course = useQuery({
    queryKey: ["studio-course", courseId],
    queryFn: () => studioApi.course(courseId),
    staleTime: Infinity,
  });
  if (course.isPending) return <Skeleton lines={8} label={tt("details.heading")} height="2rem" />;
  if (course.isError) {
    if (course.error instanceof ApiError && course.error.status === 404) {
      return <p class="alert error" role="alert">{tt("studio.courseNotFound")}</p>;
    }
    return <QueryError error={course.error} onRetry={() => void course.refetch()} />;
  }
  return <Authoring initial={course.data} user={user} />;
}

function outlineOf(course: StudioCourse): Outline {
  return course.modules.map((module) => ({
    id: module.id,
    title: module.title,
    lessons: module.lessons.map(({ id, title, kind, durationSec, isPreview }) => ({
      id,
      title,
      kind,
      durationSec,
      isPreview,
    })),
  }));
}

function Authoring({ initial, user }: { initial: StudioCourse; user: SessionUser }) {
  const queryClient = useQueryClient();
  const { queue, status } = useSaveQueue();
  // The server's latest word on the course (status, slug); the form fields keep their own state while typed in.
  const [course, setCourse] = useState(initial);
  const [outline, setOutline] = useState(() => outlineOf(initial));
  // The order request reads the outline when it is sent, not when it was queued: it must name every lesson that
  // exists by then, including ones added in the meantime.
  const outlineRef = useRef(outline);
  const [openLessonId, setOpenLessonId] = useState<string>();

  const changeOutline = (change: (outline: Outline) => Outline) => {
    outlineRef.current = change(outlineRef.current);
    setOutline(outlineRef.current);
  };

  const reloadOutline = async () => {
    const fresh = await studioApi.course(course.id);
    queryClient.setQueryData(["studio-course", course.id], fresh);
    setCourse(fresh);
    changeOutline(() => outlineOf(fresh));
  };

  const actions: CurriculumActions = {
    reorder(move) {
      const before = outlineRef.current;
      changeOutline(move);
      if (sameOrder(before, outlineRef.current)) return;
      queue
        .patch("curriculum", {}, () => studioApi.saveOrder(course.id, outlineRef.current), REORDER_DELAY_MS)
        .then(setCourse)
        // Refused (someone else changed the curriculum meanwhile): show the server's order rather than a wrong one.
        .catch(() => reloadOutline().catch(shownInSaveIndicator));
    },
    async addModule(title) {
      const module = await queue.run("add-module", () => studioApi.addModule(course.id, title));
      changeOutline((current) => [...current, { id: module.id, title: module.title, lessons: [] }]);
    },
    renameModule(moduleId, title) {
      changeOutline((current) => current.map((module) => module.id === moduleId ? { ...module, title } : module));
      void queue
        .patch(
          `module:${moduleId}`,
          { title },
          (patch) => studioApi.renameModule(moduleId, String(patch.title)),
          RENAME_DELAY_MS,
        )
        .catch(shownInSaveIndicator);
    },
    deleteModule(moduleId) {
      void queue.run(`delete-module:${moduleId}`, () => studioApi.deleteModule(moduleId)).then(() => {
        const removed = outlineRef.current.find((module) => module.id === moduleId);
        setOpenLessonId((open) => removed?.lessons.some((lesson) => lesson.id === open) ? undefined : open);
        changeOutline((current) => current.filter((module) => module.id !== moduleId));
      }).catch(shownInSaveIndicator);
    },
    async addLesson(moduleId, input) {
      const lesson = await queue.run("add-lesson", () => studioApi.addLesson(moduleId, input));
      queryClient.setQueryData(["studio-lesson", lesson.id], lesson);
      const added: OutlineLesson = {
        id: lesson.id,
        title: lesson.title,
        kind: lesson.kind,
        durationSec: lesson.durationSec,
        isPreview: lesson.isPreview,
      };
      changeOutline((current) =>
        current.map((module) => module.id === moduleId ? { ...module, lessons: [...module.lessons, added] } : module)
      );
      setOpenLessonId(lesson.id);
    },
    deleteLesson(lessonId) {
      void queue.run(`delete-lesson:${lessonId}`, () => studioApi.deleteLesson(lessonId)).then(() => {
        setOpenLessonId((open) => open === lessonId ? undefined : open);
        changeOutline((current) =>
          current.map((module) => ({ ...module, lessons: module.lessons.filter((lesson) => lesson.id !== lessonId) }))
        );
      }).catch(shownInSaveIndicator);
    },
    openLesson: setOpenLessonId,
  };

  const onLessonChange = (lessonId: string, change: Partial<OutlineLesson>) => {
    const outlineFields = Object.fromEntries(
      Object.entries(change).filter(([key]) => ["title", "kind", "isPreview", "durationSec"].includes(key)),
    );
    changeOutline((current) =>
      current.map((module) => ({
        ...module,
        lessons: module.lessons.map((lesson) => lesson.id === lessonId ? { ...lesson, ...outlineFields } : lesson),
      }))
    );
  };

  const lessons = outline.flatMap((module) => module.lessons);
  return (
    <div class="course-studio">
      <div class="studio-toolbar">
        <p class="studio-course-title">
          <span class={`badge status-${course.status}`}>{tt(`status.${course.status}`)}</span> {course.title}
        </p>
        <SaveIndicator status={status} />
      </div>
      <div class="studio-columns">
        <div class="studio-main">
          <CourseDetailsForm course={initial} queue={queue} onSaved={setCourse} />
          <CurriculumEditor outline={outline} openLessonId={openLessonId} actions={actions} />
          {openLessonId && (
            <LessonEditor
              lessonId={openLessonId}
              queue={queue}
              onOutlineChange={onLessonChange}
              onClose={() => setOpenLessonId(undefined)}
            />
          )}
        </div>
        <aside class="studio-side">
          <PublishPanel
            course={course}
            user={user}
            lessonsCount={lessons.length}
            firstLessonId={lessons[0]?.id}
            queue={queue}
            onChanged={setCourse}
          />
        </aside>
      </div>
    </div>
  );
}

export default withIslandShell(CourseStudio);
