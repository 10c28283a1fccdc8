import { useEffect, useState } from "preact/hooks";
import { t } from "../../i18n/en.ts";
import { formatDate, formatRating } from "../../i18n/format.ts";
import { errorMessage, withIslandShell } from "../lib/query.tsx";
import { type SessionUser, useSession } from "../lib/session.ts";
import { grantsAccess, useCourseEnrollment } from "../learning/progress.ts";
import { type RatingSummary, type ReviewsPage, useRating, useReviews } from "./reviews-queries.ts";

interface Props extends RatingSummary {
  courseId: string;
  teacherId: string;
  /** The first page, rendered on the server so people and crawlers read it without JavaScript. */
  firstPage: ReviewsPage;
}

function StarsText({ rating }: { rating: number }) {
  return (
    <span class="review-stars" role="img" aria-label={t("course.rating", { rating: formatRating(rating) })}>
      {"★".repeat(rating)}
      <span aria-hidden="true" class="off">{"★".repeat(5 - rating)}</span>
    </span>
  );
}

type ReviewFormComponent = typeof import("./ReviewForm.tsx").ReviewForm;

const FormUnavailable: ReviewFormComponent = () => <p class="alert error">{t("errors.network")}</p>;

/**
 * The review form, for learners with access. It and its form helpers load only for them: every visitor of a
 * course page would otherwise pay for a form they cannot use.
 */
function WriteReview({ courseId, user }: { courseId: string; user: SessionUser }) {
  const enrollment = useCourseEnrollment(courseId, true);
  const [ReviewForm, setReviewForm] = useState<ReviewFormComponent>();
  const mayReview = grantsAccess(enrollment.data);
  useEffect(() => {
    if (!mayReview || ReviewForm) return;
    void import("./ReviewForm.tsx").then(
      (module) => setReviewForm(() => module.ReviewForm),
      () => setReviewForm(() => FormUnavailable),
    );
  }, [mayReview]);
  if (enrollment.isPending) return null;
  if (!mayReview) return <p class="muted">{t("reviews.onlyEnrolled")}</p>;
  return ReviewForm ? <ReviewForm courseId={courseId} author={{ id: user.id, name: user.name }} /> : null;
}

function Reviews({ courseId, teacherId, avgRating, reviewsCount, firstPage }: Props) {
  const session = useSession();
  const reviews = useReviews(courseId, firstPage);
  const rating = useRating(courseId, { avgRating, reviewsCount });
  const items = reviews.data.pages.flatMap((page) => page.items);
  const user = session.status === "authenticated" ? session.user : undefined;

  return (
    <div class="reviews-island">
      <p class="rating-summary" aria-live="polite">
        {rating.data.reviewsCount === 0 ? t("course.noReviews") : (
          <>
            <strong>{formatRating(rating.data.avgRating)}</strong>{" "}
            <StarsText rating={Math.round(rating.data.avgRating)} />{" "}
            <span class="muted">{t("course.reviewsCount", { count: rating.data.reviewsCount })}</span>
          </>
        )}
      </p>
      {user && user.id !== teacherId && <WriteReview courseId={courseId} user={user} />}
      <ul class="review-list">
        {items.map((review) => (
          <li key={review.id} class={review.id.startsWith("pending-") ? "pending" : undefined}>
            <p class="review-head">
              <strong>
                {review.author.id === user?.id ? `${review.author.name} (${t("reviews.you")})` : review.author.name}
              </strong>{" "}
              <StarsText rating={review.rating} />{" "}
              <time class="muted" dateTime={review.updatedAt}>{formatDate(review.updatedAt)}</time>
            </p>
            {review.body && <p class="review-body">{review.body}</p>}
          </li>
        ))}
      </ul>
      {reviews.isFetchNextPageError && <p class="alert error" role="alert">{errorMessage(reviews.error)}</p>}
      {reviews.hasNextPage && (
        <button
          type="button"
          class="button secondary"
          onClick={() => reviews.fetchNextPage()}
          disabled={reviews.isFetchingNextPage}
        >
          {t("reviews.more")}
        </button>
      )}
    </div>
  );
}

export default withIslandShell(Reviews);
