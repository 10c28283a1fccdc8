import { useState } from "preact/hooks";
import { tt } from "../../../i18n/teach.ts";
import { ApiError } from "../../lib/api.ts";
import { ErrorAlert } from "../../lib/error-alert.tsx";
import type { SessionUser } from "../../lib/session.ts";
import type { SaveQueue } from "../autosave/save-queue.ts";
import { studioApi, type StudioCourse } from "../lib/studio-api.ts";

interface Props {
  course: StudioCourse;
  user: SessionUser;
  lessonsCount: number;
  firstLessonId: string | undefined;
  queue: SaveQueue;
  onChanged: (course: StudioCourse) => void;
}

/** The API's refusals, in the words the checklist above the button uses (others in the API's own words). */
function publishFailure(error: unknown): string | undefined {
  if (error instanceof ApiError && error.code === "course_empty") return tt("publish.needLesson");
  if (error instanceof ApiError && error.code === "email_not_verified") return tt("publish.needVerified");
  return undefined;
}

/**
 * Publish and unpublish, with the API's rules as a checklist so the teacher knows why the button is not yet
 * available; and the learner's view of the course, opened in a new tab.
 */
export function PublishPanel({ course, user, lessonsCount, firstLessonId, queue, onChanged }: Props) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  const ownWords = publishFailure(failure);
  const rules = [
    { met: lessonsCount > 0, text: tt("publish.needLesson") },
    { met: user.emailVerified, text: tt("publish.needVerified") },
  ];
  // Only the lesson rule disables the button: the session's email flag can be stale (confirmed in another tab), so
  // for that rule the API decides, and its refusal is shown in the same words.
  const ready = lessonsCount > 0;
  const published = course.status === "published";

  // After every pending edit is saved, so what goes live is what the teacher last typed. Not through the queue
  // itself: a refusal here is about publishing, not a lost edit, and must not show in the save indicator.
  const act = async (action: () => Promise<StudioCourse>) => {
    setBusy(true);
    setFailure(undefined);
    try {
      await queue.settled();
      onChanged(await action());
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!confirm(tt("publish.deleteConfirm"))) return;
    try {
      await queue.settled();
      await studioApi.deleteCourse(course.id);
      location.assign("/teach");
    } catch (error) {
      setFailure(error);
    }
  };

  return (
    <section class="publish-panel card" aria-labelledby="publish-heading">
      <h2 id="publish-heading">{tt("publish.heading")}</h2>
      <p data-testid="course-status">{published ? tt("publish.published") : tt("publish.draft")}</p>
      {published
        ? (
          <>
            <p class="muted" id="unpublish-note">{tt("publish.unpublishNote")}</p>
            <button
              type="button"
              class="button secondary"
              aria-describedby="unpublish-note"
              disabled={busy}
              onClick={() => void act(() => studioApi.unpublish(course.id))}
            >
              {tt("publish.unpublish")}
            </button>
          </>
        )
        : (
          <>
            <ul class="publish-rules" id="publish-rules" aria-label={tt("publish.rules")}>
              {rules.map((rule) => (
                <li key={rule.text} class={rule.met ? "met" : "unmet"}>
                  <span aria-hidden="true">{rule.met ? "✓" : "✗"}</span> {rule.text}
                  <span class="visually-hidden">{rule.met ? tt("publish.ruleMet") : tt("publish.ruleUnmet")}</span>
                </li>
              ))}
            </ul>
            <button
              type="button"
              class="button"
              aria-describedby="publish-rules"
              disabled={busy || !ready}
              onClick={() => void act(() => studioApi.publish(course.id))}
            >
              {tt("publish.publish")}
            </button>
          </>
        )}
      <ErrorAlert failure={failure}>{ownWords && <p>{ownWords}</p>}</ErrorAlert>
      <h3>{tt("publish.previewHeading")}</h3>
      {published
        ? (
          <ul class="preview-links">
            <li>
              <a href={`/courses/${course.slug}`} target="_blank" rel="noopener">{tt("publish.previewLanding")}</a>
            </li>
            {firstLessonId && (
              <li>
                <a href={`/learn/${course.slug}/${firstLessonId}`} target="_blank" rel="noopener">
                  {tt("publish.previewPlayer")}
                </a>
              </li>
            )}
          </ul>
        )
        : <p class="muted">{tt("publish.previewDraftNote")}</p>}
      {!published && (
        <button type="button" class="button small secondary danger" onClick={() => void remove()}>
          {tt("publish.delete")}
        </button>
      )}
    </section>
  );
}
