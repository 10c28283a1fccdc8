import { useQuery } from "@tanstack/preact-query";
import { useState } from "preact/hooks";
import { t } from "../../../i18n/en.ts";
import { tt } from "../../../i18n/teach.ts";
import { ErrorSummary } from "../../lib/forms.tsx";
import { fieldErrorFor } from "../../lib/validation-messages.ts";
import { type Level, studioApi } from "../lib/studio-api.ts";

const LEVELS: Level[] = ["beginner", "intermediate", "advanced"];

/** Title, category and level are all a draft needs; everything else is edited on the authoring page it opens. */
export function NewCourseForm({ onCancel }: { onCancel: () => void }) {
  const categories = useQuery({ queryKey: ["categories"], queryFn: studioApi.categories, staleTime: 300_000 });
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  const titleError = fieldErrorFor(failure, "title");

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setBusy(true);
    setFailure(undefined);
    try {
      const course = await studioApi.createCourse({
        title: String(form.get("title")),
        categorySlug: String(form.get("categorySlug")),
        level: String(form.get("level")) as Level,
      });
      location.assign(`/teach/courses/${course.id}`);
    } catch (error) {
      setBusy(false);
      setFailure(error);
    }
  };

  return (
    <form class="card new-course" onSubmit={submit} aria-labelledby="new-course-heading">
      <h2 id="new-course-heading">{tt("newCourse.title")}</h2>
      <ErrorSummary
        failure={failure}
        controlIds={{ title: "new-course-title", categorySlug: "new-course-category", level: "new-course-level" }}
      />
      <div class="field">
        <label for="new-course-title">{tt("newCourse.name")}</label>
        <input
          id="new-course-title"
          name="title"
          required
          minLength={3}
          maxLength={150}
          autoFocus
          aria-invalid={titleError ? "true" : undefined}
          aria-describedby={titleError ? "new-course-title-error" : undefined}
        />
        {titleError && <p id="new-course-title-error" class="field-error">{titleError}</p>}
      </div>
      <div class="field">
        <label for="new-course-category">{tt("newCourse.category")}</label>
        <select id="new-course-category" name="categorySlug" required>
          {(categories.data ?? []).map((category) => (
            <option key={category.slug} value={category.slug}>{category.name}</option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="new-course-level">{tt("newCourse.level")}</label>
        <select id="new-course-level" name="level">
          {LEVELS.map((level) => <option key={level} value={level}>{t(`level.${level}`)}</option>)}
        </select>
      </div>
      <div class="actions">
        <button class="button" type="submit" disabled={busy || !categories.data}>{tt("newCourse.create")}</button>
        <button class="button secondary" type="button" onClick={onCancel}>{tt("newCourse.cancel")}</button>
      </div>
    </form>
  );
}
