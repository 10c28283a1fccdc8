import { useMutation, useQuery, useQueryClient } from "@tanstack/preact-query";
import { api, ApiError, call } from "../lib/api.ts";

export type CourseProgress = Awaited<ReturnType<typeof fetchProgress>>;

const progressKey = (courseId: string) => ["progress", courseId] as const;

function fetchProgress(courseId: string) {
  return call(api.courses[":id"].progress.$get({ param: { id: courseId } }));
}

/** The learner's progress in a course, or null when they are not enrolled (403 not_enrolled). */
export function useCourseProgress(courseId: string, enabled: boolean) {
  return useQuery({
    queryKey: progressKey(courseId),
    queryFn: async () => {
      try {
        return await fetchProgress(courseId);
      } catch (error) {
        if (error instanceof ApiError && error.code === "not_enrolled") return null;
        throw error;
      }
    },
    enabled,
  });
}

export type CourseEnrollment = NonNullable<Awaited<ReturnType<typeof fetchEnrollment>>["enrollment"]>;

const enrollmentKey = (courseId: string) => ["enrollment", courseId] as const;

function fetchEnrollment(courseId: string) {
  return call(api.courses[":id"].enrollment.$get({ param: { id: courseId } }));
}

/**
 * The signed-in learner's enrollment in a course, or null when they have none.
 * Asking never fails for "not enrolled" (unlike progress, whose 403 the
 * browser would log as an error on every course page).
 */
export function useCourseEnrollment(courseId: string, enabled: boolean) {
  return useQuery({
    queryKey: enrollmentKey(courseId),
    queryFn: async () => (await fetchEnrollment(courseId)).enrollment,
    enabled,
  });
}

/** Puts an enrollment (the answer to enrolling, say) into the cache. */
export function useSetEnrollment(courseId: string) {
  const queryClient = useQueryClient();
  return (enrollment: CourseEnrollment | null) => queryClient.setQueryData(enrollmentKey(courseId), enrollment);
}

/** Whether an enrollment opens the course: a refunded one does not. */
export function grantsAccess(enrollment: CourseEnrollment | null | undefined): enrollment is CourseEnrollment {
  return enrollment != null && enrollment.status !== "refunded";
}

/**
 * Marks a lesson complete: the tick and the progress bar move at once and
 * move back, with the error kept for the page to show, if the server refuses.
 */
export function useCompleteLesson(courseId: string) {
  const queryClient = useQueryClient();
  const key = progressKey(courseId);
  const mutationKey = ["complete", courseId];
  return useMutation({
    mutationKey,
    mutationFn: (lessonId: string) => call(api.lessons[":id"].complete.$post({ param: { id: lessonId } })),
    onMutate: async (lessonId) => {
      await queryClient.cancelQueries({ queryKey: key });
      const before = queryClient.getQueryData<CourseProgress | null>(key);
      if (before && !before.completedLessonIds.includes(lessonId)) {
        const completedLessons = before.completedLessons + 1;
        queryClient.setQueryData<CourseProgress>(key, {
          ...before,
          completedLessonIds: [...before.completedLessonIds, lessonId],
          completedLessons,
          progressPercent: before.totalLessons === 0
            ? 0
            : Math.min(100, Math.floor((100 * completedLessons) / before.totalLessons)),
        });
      }
      return { before };
    },
    onError: (_error, _lessonId, context) => queryClient.setQueryData(key, context?.before),
    // Answers to quick successive clicks can arrive out of order: once the last one is in, ask for the truth.
    onSettled: () => {
      if (queryClient.isMutating({ mutationKey }) === 1) void queryClient.invalidateQueries({ queryKey: key });
    },
  });
}
