import { useState } from "preact/hooks";
import { t } from "../../i18n/en.ts";
import { ErrorSummary } from "../lib/forms.tsx";
import { QueryError, Skeleton } from "../lib/query.tsx";
import { type Review, useDeleteReview, useOwnReview, usePutReview } from "./reviews-queries.ts";

const RATINGS = [1, 2, 3, 4, 5] as const;

interface Props {
  courseId: string;
  author: { id: string; name: string };
}

/** The learner's review: starts from the one they already wrote, if any, so saving edits it rather than replaces it. */
export function ReviewForm({ courseId, author }: Props) {
  const own = useOwnReview(courseId);
  if (own.isPending) return <Skeleton lines={3} label={t("common.loading")} />;
  if (own.isError) return <QueryError error={own.error} onRetry={() => own.refetch()} />;
  return <ReviewEditor courseId={courseId} author={author} existing={own.data} />;
}

/** Rate 1–5 (radio buttons, so arrow keys work) and optionally write a few words. */
function ReviewEditor({ courseId, author, existing }: Props & { existing: Review | null }) {
  const putReview = usePutReview(courseId, author);
  const deleteReview = useDeleteReview(courseId, author);
  const [rating, setRating] = useState(existing?.rating ?? 0);
  const [body, setBody] = useState(existing?.body ?? "");
  const busy = putReview.isPending || deleteReview.isPending;
  const bodyId = `review-body-${courseId}`;

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    if (rating === 0) return;
    deleteReview.reset();
    putReview.mutate({ rating, body: body.trim() });
  };

  const remove = () => {
    putReview.reset();
    deleteReview.mutate(undefined, {
      onSuccess: () => {
        setRating(0);
        setBody("");
      },
    });
  };

  return (
    <form class="review-form card" onSubmit={submit}>
      <h3>{existing ? t("reviews.edit") : t("reviews.write")}</h3>
      <fieldset>
        <legend>{t("reviews.yourRating")}</legend>
        <div class="star-input">
          {RATINGS.map((value) => (
            <label key={value} class={value <= rating ? "on" : undefined}>
              <input
                type="radio"
                name="rating"
                value={value}
                checked={rating === value}
                onChange={() => setRating(value)}
                required
                class="visually-hidden"
              />
              <span aria-hidden="true">★</span>
              <span class="visually-hidden">{t("reviews.stars", { count: value })}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <div class="field">
        <label for={bodyId}>{t("reviews.body")}</label>
        <textarea
          id={bodyId}
          rows={4}
          maxLength={5000}
          value={body}
          onInput={(event) => setBody(event.currentTarget.value)}
        />
      </div>
      <div class="review-actions">
        <button type="submit" class="button" disabled={rating === 0 || busy}>
          {existing ? t("reviews.update") : t("reviews.submit")}
        </button>
        {existing && (
          <button type="button" class="button secondary" onClick={remove} disabled={busy}>
            {t("reviews.delete")}
          </button>
        )}
      </div>
      {putReview.isSuccess && <p class="alert success" role="status">{t("reviews.saved")}</p>}
      {deleteReview.isSuccess && <p class="alert success" role="status">{t("reviews.deleted")}</p>}
      <ErrorSummary
        failure={putReview.error ?? deleteReview.error ?? undefined}
        lead={putReview.isError ? t("reviews.failed") : t("reviews.deleteFailed")}
        controlIds={{ body: bodyId }}
      />
    </form>
  );
}
