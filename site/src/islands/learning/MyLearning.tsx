import { useInfiniteQuery } from "@tanstack/preact-query";
import { t } from "../../i18n/en.ts";
import { api, call } from "../lib/api.ts";
import { QueryError, Skeleton, withIslandShell } from "../lib/query.tsx";
import { SignedIn } from "../lib/SignedIn.tsx";
import { ProgressBar } from "../lib/ProgressBar.tsx";

type EnrollmentsPage = Awaited<ReturnType<typeof fetchEnrollments>>;
type Enrollment = EnrollmentsPage["items"][number];

function fetchEnrollments(cursor: string | undefined) {
  return call(api.me.enrollments.$get({ query: cursor ? { cursor } : {} }));
}

function EnrollmentCard({ enrollment }: { enrollment: Enrollment }) {
  const { course, progressPercent, status, nextLesson } = enrollment;
  const refunded = status === "refunded";
  const continueHref = nextLesson ? `/learn/${course.slug}/${nextLesson.id}` : `/courses/${course.slug}`;
  return (
    <li class="card enrollment">
      <div>
        <h2>
          <a href={`/courses/${course.slug}`}>{course.title}</a>
        </h2>
        <p class="muted">{t("course.by", { name: course.teacher.name })}</p>
        {refunded ? <p class="muted">{t("my.status.refunded")}</p> : (
          <>
            <ProgressBar percent={progressPercent} label={t("enroll.progress", { percent: progressPercent })} />
            <p class="muted">
              {status === "completed" ? t("enroll.completed") : t("enroll.progress", { percent: progressPercent })}
            </p>
          </>
        )}
      </div>
      {!refunded && (
        <a class="button" href={status === "completed" ? `/courses/${course.slug}#reviews` : continueHref}>
          {status === "completed" ? t("my.review") : t("my.continue")}
          <span class="visually-hidden">: {course.title}</span>
        </a>
      )}
    </li>
  );
}

function Enrollments() {
  const enrollments = useInfiniteQuery({
    queryKey: ["enrollments"],
    queryFn: ({ pageParam }) => fetchEnrollments(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  if (enrollments.isPending) return <Skeleton lines={3} height="5rem" label={t("common.loading")} />;
  if (enrollments.isError) return <QueryError error={enrollments.error} onRetry={() => enrollments.refetch()} />;
  const items = enrollments.data.pages.flatMap((page) => page.items);
  if (items.length === 0) {
    return (
      <div class="alert info">
        <p>{t("my.empty")}</p>
        <a class="button" href="/courses">{t("my.browse")}</a>
      </div>
    );
  }
  return (
    <>
      <ul class="enrollment-list">{items.map((item) => <EnrollmentCard key={item.id} enrollment={item} />)}</ul>
      {enrollments.hasNextPage && (
        <button
          type="button"
          class="button secondary"
          onClick={() => enrollments.fetchNextPage()}
          disabled={enrollments.isFetchingNextPage}
        >
          {t("my.loadMore")}
        </button>
      )}
    </>
  );
}

function MyLearning() {
  return <SignedIn>{() => <Enrollments />}</SignedIn>;
}

export default withIslandShell(MyLearning);
