import { useInfiniteQuery } from "@tanstack/preact-query";
import { useState } from "preact/hooks";
import { formatRating } from "../../../i18n/format.ts";
import { tt } from "../../../i18n/teach.ts";
import { QueryError, Skeleton, withIslandShell } from "../../lib/query.tsx";
import { formatMoney } from "../lib/format.ts";
import { StudioGate } from "../lib/StudioGate.tsx";
import { studioApi, type TeacherCourseRow } from "../lib/studio-api.ts";
import { NewCourseForm } from "./NewCourseForm.tsx";

/** /teach: the teacher's courses, drafts first among equals, with their learners, rating and revenue. */
function TeacherCourses() {
  return <StudioGate>{() => <CourseList />}</StudioGate>;
}

function CourseList() {
  const [creating, setCreating] = useState(false);
  const courses = useInfiniteQuery({
    queryKey: ["teacher-courses"],
    queryFn: ({ pageParam }) => studioApi.teacherCourses(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });

  const rows = courses.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      <div class="studio-actions">
        {!creating && (
          <button type="button" class="button" onClick={() => setCreating(true)}>{tt("courses.new")}</button>
        )}
      </div>
      {creating && <NewCourseForm onCancel={() => setCreating(false)} />}
      {courses.isPending
        ? <Skeleton lines={4} label={tt("courses.table")} height="2.5rem" />
        : courses.isError
        ? <QueryError error={courses.error} onRetry={() => void courses.refetch()} />
        : rows.length === 0
        ? <p class="alert info">{tt("courses.empty")}</p>
        : (
          <div class="table-scroll">
            <table class="studio-table">
              <caption class="visually-hidden">{tt("courses.table")}</caption>
              <thead>
                <tr>
                  <th scope="col">{tt("courses.course")}</th>
                  <th scope="col">{tt("courses.status")}</th>
                  <th scope="col" class="number">{tt("courses.enrollments")}</th>
                  <th scope="col" class="number">{tt("courses.rating")}</th>
                  <th scope="col" class="number">{tt("courses.revenue")}</th>
                </tr>
              </thead>
              <tbody>{rows.map((course) => <CourseRow key={course.id} course={course} />)}</tbody>
            </table>
          </div>
        )}
      {courses.hasNextPage && (
        <button
          type="button"
          class="button secondary"
          disabled={courses.isFetchingNextPage}
          onClick={() => void courses.fetchNextPage()}
        >
          {tt("courses.more")}
        </button>
      )}
    </>
  );
}

function CourseRow({ course }: { course: TeacherCourseRow }) {
  return (
    <tr>
      <th scope="row">
        <a href={`/teach/courses/${course.id}`}>{course.title}</a>
        {course.subtitle && <span class="muted subtitle">{course.subtitle}</span>}
      </th>
      <td>
        <span class={`badge status-${course.status}`}>{tt(`status.${course.status}`)}</span>
      </td>
      <td class="number">{course.enrollmentsCount}</td>
      <td class="number">
        {course.reviewsCount === 0
          ? tt("courses.noRating")
          : tt("courses.ratingValue", { rating: formatRating(course.avgRating), count: course.reviewsCount })}
      </td>
      <td class="number">{formatMoney(course.revenue.netCents, course.revenue.currency)}</td>
    </tr>
  );
}

export default withIslandShell(TeacherCourses);
