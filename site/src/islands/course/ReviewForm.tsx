import { useState } from "preact/hooks";
import { t } from "../../i18n/en.ts";
import { errorMessage } from "../lib/query.tsx";
import { usePutReview } from "./reviews-queries.ts";

const RATINGS = [1, 2, 3, 4, 5] as const;

/** Rate 1–5 (radio buttons, so arrow keys work) and optionally write a few words. */
export function ReviewForm({ courseId, author }: { courseId: string; author: { id: string; name: string } }) {
  const putReview = usePutReview(courseId, author);
  const [rating, setRating] = useState(0);
  const [body, setBody] = useState("");

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    if (rating === 0) return;
    putReview.mutate({ rating, body: body.trim() });
  };

  return (
    <form class="review-form card" onSubmit={submit}>
      <h3>{t("reviews.write")}</h3>
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
        <label for={`review-body-${courseId}`}>{t("reviews.body")}</label>
        <textarea
          id={`review-body-${courseId}`}
          rows={4}
          maxLength={5000}
          value={body}
          onInput={(event) => setBody(event.currentTarget.value)}
        />
      </div>
      <button type="submit" class="button" disabled={rating === 0 || putReview.isPending}>{t("reviews.submit")}</button>
      {putReview.isSuccess && <p class="alert success" role="status">{t("reviews.saved")}</p>}
      {putReview.isError && (
        <p class="alert error" role="alert">{t("reviews.failed", { message: errorMessage(putReview.error) })}</p>
      )}
    </form>
  );
}
