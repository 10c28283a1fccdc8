import { useEffect, useState } from "preact/hooks";
import { t } from "../../i18n/en.ts";
import { formatPrice } from "../../i18n/format.ts";
import { api, ApiError, call } from "../lib/api.ts";
import { ErrorAlert } from "../lib/error-alert.tsx";
import { withIslandShell } from "../lib/query.tsx";
import { useSession } from "../lib/session.ts";
import { ProgressBar } from "../lib/ProgressBar.tsx";
import { grantsAccess, useCourseEnrollment, useSetEnrollment } from "../learning/progress.ts";

interface Props {
  courseId: string;
  slug: string;
  priceCents: number;
  currency: string;
  teacherId: string;
  /** Every lesson in curriculum order: a new enrollment starts at the first. */
  lessonIds: string[];
}

/**
 * The curriculum is rendered once for everyone (the page is cached at the edge): a title the visitor may not open is
 * plain text carrying its address. For the course's learners and its teacher, those titles become links.
 */
function linkLessonTitles() {
  for (const title of document.querySelectorAll<HTMLElement>("[data-lesson-href]")) {
    const link = document.createElement("a");
    link.href = title.dataset.lessonHref!;
    link.textContent = title.textContent;
    title.replaceWith(link);
  }
}

/**
 * The course page's call to action, by the visitor's state: log in to enroll;
 * enroll (free) or buy (paid, email confirmed); continue where they stopped;
 * nothing to do for the course's own teacher. Those last two may open every
 * lesson, so the curriculum's titles become links for them.
 */
function EnrollButton({ courseId, slug, priceCents, currency, teacherId, lessonIds }: Props) {
  const session = useSession();
  const signedIn = session.status === "authenticated";
  const enrollment = useCourseEnrollment(courseId, signedIn && session.user.id !== teacherId);
  const setEnrollment = useSetEnrollment(courseId);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  // One key per purchase attempt: a double click or a retry replays the same checkout instead of opening two.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const isFree = priceCents === 0;
  const lessonHref = (lessonId: string | undefined) => lessonId ? `/learn/${slug}/${lessonId}` : `/courses/${slug}`;
  const opensEveryLesson = signedIn && (session.user.id === teacherId || grantsAccess(enrollment.data));
  useEffect(() => {
    if (opensEveryLesson) linkLessonTitles();
  }, [opensEveryLesson]);

  if (!signedIn) {
    const loginHref = `/login?next=${encodeURIComponent(`/courses/${slug}`)}`;
    return (
      <a class="button block" href={loginHref} aria-busy={session.status === "loading"}>
        {isFree ? t("enroll.free") : t("enroll.buy", { price: formatPrice(priceCents, currency) })}
      </a>
    );
  }
  if (session.user.id === teacherId) return <p>{t("enroll.ownCourse")}</p>;
  if (enrollment.isPending) return <span class="skeleton" style={{ height: "2.75rem" }} aria-hidden="true" />;

  if (grantsAccess(enrollment.data)) {
    const { progressPercent, status, completedLessons, nextLesson } = enrollment.data;
    const next = nextLesson?.id ?? lessonIds[0];
    return (
      <div class="enrolled">
        <p>{status === "completed" ? t("enroll.completed") : t("enroll.progress", { percent: progressPercent })}</p>
        <ProgressBar percent={progressPercent} label={t("enroll.progress", { percent: progressPercent })} />
        <a class="button block" href={lessonHref(next)}>
          {completedLessons === 0 ? t("enroll.start") : t("enroll.continue")}
        </a>
        {status === "completed" && <a href="#reviews">{t("enroll.review")}</a>}
      </div>
    );
  }

  const act = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      if (isFree) {
        setEnrollment(await call(api.courses[":id"].enroll.$post({ param: { id: courseId } })));
        location.assign(lessonHref(lessonIds[0]));
      } else {
        const checkout = await call(
          api.courses[":id"].checkout.$post({ param: { id: courseId } }, {
            headers: { "Idempotency-Key": idempotencyKey },
          }),
        );
        location.assign(checkout.checkoutUrl);
      }
    } catch (error) {
      setFailure(error);
      setBusy(false);
    }
  };

  const needsVerification = !isFree && !session.user.emailVerified;
  return (
    <div>
      <button type="button" class="button block" onClick={act} disabled={busy || needsVerification}>
        {isFree ? t("enroll.free") : t("enroll.buy", { price: formatPrice(priceCents, currency) })}
      </button>
      {busy && !isFree && <p role="status">{t("enroll.redirecting")}</p>}
      {needsVerification && <p class="alert info">{t("enroll.verifyToBuy")}</p>}
      <ErrorAlert failure={failure}>
        {failure instanceof ApiError && failure.code === "email_not_verified" && <p>{t("enroll.verifyToBuy")}</p>}
      </ErrorAlert>
    </div>
  );
}

export default withIslandShell(EnrollButton);
