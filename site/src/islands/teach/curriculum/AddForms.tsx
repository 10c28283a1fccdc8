import { useState } from "preact/hooks";
import { tt } from "../../../i18n/teach.ts";
import { ErrorSummary } from "../../lib/forms.tsx";
import type { NewLesson } from "../lib/studio-api.ts";

/** Runs an add, keeping the form's values if it fails so nothing typed is lost. */
function useAdd<T>(add: (value: T) => Promise<void>) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  const submit = async (value: T, reset: () => void) => {
    setBusy(true);
    setFailure(undefined);
    try {
      await add(value);
      reset();
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };
  return { busy, failure, submit };
}

export function AddModuleForm({ onAdd }: { onAdd: (title: string) => Promise<void> }) {
  const [title, setTitle] = useState("");
  const { busy, failure, submit } = useAdd(onAdd);
  return (
    <form
      class="add-form"
      onSubmit={(event) => {
        event.preventDefault();
        void submit(title.trim(), () => setTitle(""));
      }}
    >
      <label for="new-module-title">{tt("curriculum.newModule")}</label>
      <input
        id="new-module-title"
        value={title}
        required
        minLength={3}
        maxLength={150}
        onInput={(event) => setTitle(event.currentTarget.value)}
      />
      <button type="submit" class="button small" disabled={busy}>{tt("curriculum.addModule")}</button>
      <ErrorSummary failure={failure} controlIds={{ title: "new-module-title" }} />
    </form>
  );
}

export function AddLessonForm(
  { moduleId, moduleTitle, onAdd }: {
    moduleId: string;
    moduleTitle: string;
    onAdd: (moduleId: string, lesson: NewLesson) => Promise<void>;
  },
) {
  const [title, setTitle] = useState("");
  const [kind, setKind] = useState<NewLesson["kind"]>("text");
  const [videoUrl, setVideoUrl] = useState("");
  const { busy, failure, submit } = useAdd((lesson: NewLesson) => onAdd(moduleId, lesson));
  const id = (field: string) => `new-lesson-${field}-${moduleId}`;
  return (
    <form
      class="add-form add-lesson"
      aria-label={`${tt("curriculum.addLesson")}: ${moduleTitle}`}
      onSubmit={(event) => {
        event.preventDefault();
        const lesson: NewLesson = kind === "video"
          ? { title: title.trim(), kind, videoUrl: videoUrl.trim() }
          : { title: title.trim(), kind };
        void submit(lesson, () => {
          setTitle("");
          setVideoUrl("");
        });
      }}
    >
      <label for={id("title")}>{tt("curriculum.newLesson")}</label>
      <input
        id={id("title")}
        value={title}
        required
        minLength={3}
        maxLength={150}
        onInput={(event) => setTitle(event.currentTarget.value)}
      />
      <label for={id("kind")}>{tt("curriculum.lessonKind")}</label>
      <select
        id={id("kind")}
        value={kind}
        onChange={(event) => setKind(event.currentTarget.value as NewLesson["kind"])}
      >
        <option value="text">{tt("curriculum.text")}</option>
        <option value="video">{tt("curriculum.video")}</option>
      </select>
      {kind === "video" && (
        <>
          <label for={id("video")}>{tt("lesson.videoUrl")}</label>
          <input
            id={id("video")}
            type="url"
            required
            placeholder="https://www.youtube.com/watch?v=…"
            value={videoUrl}
            onInput={(event) => setVideoUrl(event.currentTarget.value)}
          />
        </>
      )}
      <button type="submit" class="button small" disabled={busy}>{tt("curriculum.addLesson")}</button>
      <ErrorSummary
        failure={failure}
        controlIds={{ title: id("title"), kind: id("kind"), videoUrl: id("video") }}
      />
    </form>
  );
}
