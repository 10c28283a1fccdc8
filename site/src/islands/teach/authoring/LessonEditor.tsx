import { useQuery, useQueryClient } from "@tanstack/preact-query";
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { tt } from "../../../i18n/teach.ts";
import { ApiError } from "../../lib/api.ts";
import { fieldErrorSentence } from "../../lib/validation-messages.ts";
import { QueryError, Skeleton } from "../../lib/query.tsx";
import type { SaveQueue } from "../autosave/save-queue.ts";
import { RichTextEditor } from "../editor/RichTextEditor.tsx";
import type { OutlineLesson } from "../curriculum/outline.ts";
import { type LessonPatch, studioApi, type StudioLesson } from "../lib/studio-api.ts";
import { describedBy, LabelledField } from "../lib/LabelledField.tsx";
import { videoEmbed } from "../lib/video.ts";

const TYPING_DELAY_MS = 800;

interface Props {
  lessonId: string;
  queue: SaveQueue;
  /** Mirrors title, kind and preview changes into the curriculum outline. */
  onOutlineChange: (lessonId: string, change: Partial<OutlineLesson>) => void;
  onClose: () => void;
}

export function LessonEditor(props: Props) {
  const lesson = useQuery({
    queryKey: ["studio-lesson", props.lessonId],
    queryFn: () => studioApi.lesson(props.lessonId),
    // The cache holds the teacher's latest edits (see `update`); refetching would bring back older text.
    staleTime: Infinity,
  });
  if (lesson.isSuccess) return <LessonForm key={props.lessonId} lesson={lesson.data} {...props} />;
  return (
    <LessonPending key={props.lessonId}>
      {lesson.isError
        ? <QueryError error={lesson.error} onRetry={() => void lesson.refetch()} />
        : lesson.fetchStatus === "paused"
        // Queries wait for the network to come back; until then the teacher is told so, not shown a skeleton.
        ? <p class="alert info" role="status">{tt("lesson.offline")}</p>
        : <Skeleton lines={5} label={tt("lesson.loading")} />}
    </LessonPending>
  );
}

/** Where the lesson will open: in view at once, so a click on a lesson is never answered by nothing visible. */
function LessonPending({ children }: { children: ComponentChildren }) {
  const area = useRef<HTMLDivElement>(null);
  useEffect(() => area.current?.scrollIntoView({ block: "nearest" }), []);
  return <div ref={area}>{children}</div>;
}

type FieldErrors = Partial<Record<keyof LessonPatch, string>>;

/**
 * One lesson's fields, each change autosaved through the queue. Invalid values (a short title, a video lesson
 * without a video) are flagged at once and held back, since the API would refuse them anyway.
 */
function LessonForm({ lesson: initial, queue, onOutlineChange, onClose }: Props & { lesson: StudioLesson }) {
  const queryClient = useQueryClient();
  const [lesson, setLesson] = useState(initial);
  const [mode, setMode] = useState<"edit" | "preview">("edit");
  const [errors, setErrors] = useState<FieldErrors>({});
  const id = (field: string) => `lesson-${field}-${lesson.id}`;
  const heading = useRef<HTMLHeadingElement>(null);

  // Opening a lesson takes the teacher (and a screen reader's focus) to its editor below the outline.
  useEffect(() => {
    heading.current?.scrollIntoView({ block: "start" });
    heading.current?.focus({ preventScroll: true });
  }, []);

  const update = (change: Partial<StudioLesson>, send: LessonPatch | undefined, fieldErrors: FieldErrors = {}) => {
    const next = { ...lesson, ...change };
    setLesson(next);
    // Reopening the lesson later shows these edits, saved or still queued.
    queryClient.setQueryData(["studio-lesson", lesson.id], next);
    onOutlineChange(lesson.id, change);
    setErrors((current) => ({
      ...current,
      ...Object.fromEntries(Object.keys(change).map((key) => [key, undefined])),
      ...fieldErrors,
    }));
    if (!send) return;
    queue
      .patch(`lesson:${lesson.id}`, send, (patch) => studioApi.updateLesson(lesson.id, patch), TYPING_DELAY_MS)
      .catch((error: unknown) => {
        if (!(error instanceof ApiError)) return;
        setErrors((current) => ({
          ...current,
          ...Object.fromEntries(error.errors.map((field) => [field.path, fieldErrorSentence(field)])),
        }));
      });
  };

  const setTitle = (title: string) =>
    title.trim().length >= 3
      ? update({ title }, { title: title.trim() })
      : update({ title }, undefined, { title: tt("lesson.titleTooShort") });
  // A video lesson needs its URL: switching to video waits for one before anything is sent.
  const setKind = (kind: "text" | "video") =>
    kind === "video" && !lesson.videoUrl
      ? update({ kind }, undefined, { videoUrl: tt("lesson.videoRequired") })
      : update({ kind }, kind === "video" ? { kind, videoUrl: lesson.videoUrl } : { kind });
  const setVideoUrl = (value: string) => {
    const videoUrl = value.trim() || null;
    if (lesson.kind === "video" && !videoUrl) update({ videoUrl }, undefined, { videoUrl: tt("lesson.videoRequired") });
    else update({ videoUrl }, lesson.kind === "video" ? { kind: "video", videoUrl } : { videoUrl });
  };

  return (
    <section class="lesson-editor card" aria-labelledby={id("heading")}>
      <div class="lesson-editor-header">
        <h2 id={id("heading")} ref={heading} tabIndex={-1}>{tt("lesson.heading", { title: lesson.title })}</h2>
        <div class="mode-toggle" role="group" aria-label={tt("lesson.mode")}>
          <button
            type="button"
            class="button small secondary"
            aria-pressed={mode === "edit"}
            onClick={() => setMode("edit")}
          >
            {tt("lesson.edit")}
          </button>
          <button
            type="button"
            class="button small secondary"
            aria-pressed={mode === "preview"}
            onClick={() => setMode("preview")}
          >
            {tt("lesson.showPreview")}
          </button>
        </div>
        <button type="button" class="button small secondary" onClick={onClose}>{tt("lesson.close")}</button>
      </div>
      {mode === "preview" ? <LessonPreview lesson={lesson} /> : (
        <div class="lesson-fields">
          <LabelledField id={id("title")} label={tt("lesson.title")} error={errors.title}>
            <input
              id={id("title")}
              value={lesson.title}
              maxLength={150}
              aria-invalid={errors.title ? "true" : undefined}
              aria-describedby={describedBy(id("title"), false, errors.title)}
              onInput={(event) => setTitle(event.currentTarget.value)}
            />
          </LabelledField>
          <fieldset class="inline-choices">
            <legend>{tt("lesson.kind")}</legend>
            {(["text", "video"] as const).map((kind) => (
              <label key={kind}>
                <input
                  type="radio"
                  name={id("kind")}
                  value={kind}
                  checked={lesson.kind === kind}
                  onChange={() => setKind(kind)}
                />{" "}
                {tt(kind === "text" ? "curriculum.text" : "curriculum.video")}
              </label>
            ))}
          </fieldset>
          {lesson.kind === "video" && (
            <LabelledField
              id={id("video")}
              label={tt("lesson.videoUrl")}
              hint={tt("lesson.videoHint")}
              error={errors.videoUrl}
            >
              <input
                id={id("video")}
                type="url"
                value={lesson.videoUrl ?? ""}
                aria-invalid={errors.videoUrl ? "true" : undefined}
                aria-describedby={describedBy(id("video"), true, errors.videoUrl)}
                onInput={(event) => setVideoUrl(event.currentTarget.value)}
              />
            </LabelledField>
          )}
          <LabelledField id={id("duration")} label={tt("lesson.duration")} error={errors.durationSec}>
            <input
              id={id("duration")}
              type="number"
              min={0}
              max={1440}
              step={1}
              value={Math.round(lesson.durationSec / 60)}
              onInput={(event) => {
                const minutes = event.currentTarget.valueAsNumber;
                if (Number.isFinite(minutes) && minutes >= 0 && minutes <= 1440) {
                  const durationSec = Math.round(minutes) * 60;
                  update({ durationSec }, { durationSec });
                }
              }}
            />
          </LabelledField>
          <label class="checkbox">
            <input
              type="checkbox"
              checked={lesson.isPreview}
              onChange={(event) =>
                update({ isPreview: event.currentTarget.checked }, { isPreview: event.currentTarget.checked })}
            />{" "}
            {tt("lesson.preview")}
          </label>
          <div class="field">
            <span id={id("body")} class="label">{tt("lesson.body")}</span>
            <RichTextEditor
              labelledBy={id("body")}
              initialHtml={lesson.body}
              onChange={(body) => update({ body }, { body })}
            />
          </div>
        </div>
      )}
    </section>
  );
}

/** The lesson as a learner will see it: the video's player, then the text (already reduced to allowed HTML). */
function LessonPreview({ lesson }: { lesson: StudioLesson }) {
  const embed = lesson.kind === "video" && lesson.videoUrl ? videoEmbed(lesson.videoUrl) : undefined;
  return (
    <div class="lesson-preview" data-testid="lesson-preview">
      <h3>{lesson.title}</h3>
      {lesson.kind === "video" && !embed && <p class="alert info">{tt("lesson.videoMissing")}</p>}
      {embed?.kind === "iframe" && (
        <div class="video-frame">
          <iframe
            src={embed.src}
            title={tt("lesson.videoTitle", { title: lesson.title })}
            allow="encrypted-media; picture-in-picture; fullscreen"
            sandbox="allow-scripts allow-same-origin allow-presentation"
            loading="lazy"
          />
        </div>
      )}
      {embed?.kind === "file" && <video src={embed.src} controls preload="metadata" />}
      {lesson.body
        ? <div class="prose" dangerouslySetInnerHTML={{ __html: lesson.body }} />
        : <p class="muted">{tt("lesson.emptyBody")}</p>}
    </div>
  );
}
