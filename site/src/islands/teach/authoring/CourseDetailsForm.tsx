import { useQuery } from "@tanstack/preact-query";
import { useState } from "preact/hooks";
import { t } from "../../../i18n/en.ts";
import { languageName } from "../../../i18n/languages.ts";
import { tt } from "../../../i18n/teach.ts";
import { COURSE_LANGUAGES, type CourseLanguage } from "../../../../../api/catalog/languages.ts";
import { ApiError } from "../../lib/api.ts";
import { fieldErrorSentence } from "../../lib/validation-messages.ts";
import type { SaveQueue } from "../autosave/save-queue.ts";
import { RichTextEditor } from "../editor/RichTextEditor.tsx";
import { describedBy, LabelledField } from "../lib/LabelledField.tsx";
import { type CoursePatch, type Level, studioApi, type StudioCourse } from "../lib/studio-api.ts";

const TYPING_DELAY_MS = 800;
const LEVELS: Level[] = ["beginner", "intermediate", "advanced"];
const LANGUAGES = COURSE_LANGUAGES.map((code) => ({ code, name: languageName(code) }))
  .sort((a, b) => a.name.localeCompare(b.name));
const MAX_PRICE_CENTS = 1_000_000;

interface Values {
  title: string;
  subtitle: string;
  categorySlug: string;
  level: Level;
  language: CourseLanguage;
  paid: boolean;
  /** As typed, in major units ("19.99"); priceCents is derived from it. */
  price: string;
  coverUrl: string;
  description: string;
}

type FieldErrors = Partial<Record<keyof CoursePatch | "price", string>>;

function valuesOf(course: StudioCourse): Values {
  return {
    title: course.title,
    subtitle: course.subtitle ?? "",
    categorySlug: course.category.slug,
    level: course.level,
    language: course.language as CourseLanguage,
    paid: course.priceCents > 0,
    price: course.priceCents > 0 ? (course.priceCents / 100).toFixed(2) : "",
    coverUrl: course.coverUrl ?? "",
    description: course.description,
  };
}

function priceCents(values: Values): number | undefined {
  if (!values.paid) return 0;
  const cents = Math.round(Number(values.price) * 100);
  return Number.isFinite(cents) && cents > 0 && cents <= MAX_PRICE_CENTS ? cents : undefined;
}

/**
 * The course's own fields, each autosaved through the queue a moment after the teacher stops typing. Values the
 * API would refuse are flagged here and not sent.
 */
export function CourseDetailsForm(
  { course, queue, onSaved }: { course: StudioCourse; queue: SaveQueue; onSaved: (course: StudioCourse) => void },
) {
  const categories = useQuery({ queryKey: ["categories"], queryFn: studioApi.categories, staleTime: 300_000 });
  const [values, setValues] = useState(() => valuesOf(course));
  const [errors, setErrors] = useState<FieldErrors>({});
  const id = (field: string) => `course-${field}`;

  const change = (next: Partial<Values>, patch: CoursePatch | undefined, fieldErrors: FieldErrors = {}) => {
    setValues((current) => ({ ...current, ...next }));
    const cleared = Object.fromEntries(Object.keys({ ...next, ...patch }).map((key) => [key, undefined]));
    setErrors((current) => ({ ...current, ...cleared, ...fieldErrors }));
    if (!patch) return;
    queue
      .patch("course", patch, (fields) => studioApi.updateCourse(course.id, fields), TYPING_DELAY_MS)
      .then(onSaved)
      .catch((error: unknown) => {
        if (!(error instanceof ApiError)) return;
        setErrors((current) => ({
          ...current,
          ...Object.fromEntries(error.errors.map((field) => [field.path, fieldErrorSentence(field)])),
        }));
      });
  };

  const setPrice = (next: Partial<Values>) => {
    const merged = { ...values, ...next };
    const cents = priceCents(merged);
    if (cents === undefined) change(next, undefined, { price: tt("details.priceInvalid") });
    else change(next, { priceCents: cents });
  };

  const setCoverUrl = (coverUrl: string) => {
    const trimmed = coverUrl.trim();
    if (trimmed && !trimmed.startsWith("https://")) {
      change({ coverUrl }, undefined, { coverUrl: tt("details.coverInvalid") });
    } else change({ coverUrl }, { coverUrl: trimmed || null });
  };

  return (
    <section class="course-details" aria-labelledby="details-heading">
      <h2 id="details-heading">{tt("details.heading")}</h2>
      <LabelledField id={id("title")} label={tt("details.title")} error={errors.title}>
        <input
          id={id("title")}
          value={values.title}
          maxLength={150}
          aria-invalid={errors.title ? "true" : undefined}
          aria-describedby={describedBy(id("title"), false, errors.title)}
          onInput={(event) => {
            const title = event.currentTarget.value;
            if (title.trim().length >= 3) change({ title }, { title: title.trim() });
            else change({ title }, undefined, { title: tt("lesson.titleTooShort") });
          }}
        />
      </LabelledField>
      <LabelledField id={id("subtitle")} label={tt("details.subtitle")} error={errors.subtitle}>
        <input
          id={id("subtitle")}
          value={values.subtitle}
          maxLength={250}
          aria-describedby={describedBy(id("subtitle"), false, errors.subtitle)}
          onInput={(event) => {
            const subtitle = event.currentTarget.value;
            change({ subtitle }, { subtitle: subtitle.trim() || null });
          }}
        />
      </LabelledField>
      <div class="field-row">
        <LabelledField id={id("category")} label={tt("details.category")} error={errors.categorySlug}>
          <select
            id={id("category")}
            value={values.categorySlug}
            onChange={(event) => {
              const categorySlug = event.currentTarget.value;
              change({ categorySlug }, { categorySlug });
            }}
          >
            {(categories.data ?? [course.category]).map((category) => (
              <option key={category.slug} value={category.slug}>{category.name}</option>
            ))}
          </select>
        </LabelledField>
        <LabelledField id={id("level")} label={tt("details.level")} error={errors.level}>
          <select
            id={id("level")}
            value={values.level}
            onChange={(event) => {
              const level = event.currentTarget.value as Level;
              change({ level }, { level });
            }}
          >
            {LEVELS.map((level) => <option key={level} value={level}>{t(`level.${level}`)}</option>)}
          </select>
        </LabelledField>
        <LabelledField id={id("language")} label={tt("details.language")} error={errors.language}>
          <select
            id={id("language")}
            value={values.language}
            onChange={(event) => {
              const language = event.currentTarget.value as CourseLanguage;
              change({ language }, { language });
            }}
          >
            {LANGUAGES.map(({ code, name }) => <option key={code} value={code}>{name}</option>)}
          </select>
        </LabelledField>
      </div>
      <fieldset class="pricing">
        <legend>{tt("details.pricing")}</legend>
        <label>
          <input type="radio" name="pricing" checked={!values.paid} onChange={() => setPrice({ paid: false })} />{" "}
          {tt("details.free")}
        </label>
        <label>
          <input
            type="radio"
            name="pricing"
            checked={values.paid}
            onChange={() => setPrice({ paid: true, price: values.price || "19.99" })}
          />{" "}
          {tt("details.paid")}
        </label>
        {values.paid && (
          <LabelledField
            id={id("price")}
            label={tt("details.price", { currency: course.currency })}
            error={errors.price ?? errors.priceCents}
          >
            <input
              id={id("price")}
              type="number"
              inputMode="decimal"
              min="0.01"
              max={MAX_PRICE_CENTS / 100}
              step="0.01"
              value={values.price}
              aria-invalid={errors.price ? "true" : undefined}
              aria-describedby={describedBy(id("price"), false, errors.price ?? errors.priceCents)}
              onInput={(event) => setPrice({ price: event.currentTarget.value })}
            />
          </LabelledField>
        )}
      </fieldset>
      <LabelledField
        id={id("cover")}
        label={tt("details.cover")}
        hint={tt("details.coverHint")}
        error={errors.coverUrl}
      >
        <input
          id={id("cover")}
          type="url"
          value={values.coverUrl}
          placeholder="https://"
          aria-invalid={errors.coverUrl ? "true" : undefined}
          aria-describedby={describedBy(id("cover"), true, errors.coverUrl)}
          onInput={(event) => setCoverUrl(event.currentTarget.value)}
        />
      </LabelledField>
      <div class="field">
        <span id={id("description")} class="label">{tt("details.description")}</span>
        <RichTextEditor
          labelledBy={id("description")}
          describedBy={id("description-hint")}
          initialHtml={values.description}
          onChange={(description) => change({ description }, { description })}
        />
        <small id={id("description-hint")} class="muted">{tt("details.descriptionHint")}</small>
        {errors.description && <span class="field-error">{errors.description}</span>}
      </div>
    </section>
  );
}
