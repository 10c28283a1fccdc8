import { type InfiniteData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/preact-query";
import { api, call } from "../lib/api.ts";

export type ReviewsPage = Awaited<ReturnType<typeof fetchReviews>>;
export type Review = ReviewsPage["items"][number];
export interface RatingSummary {
  avgRating: number;
  reviewsCount: number;
}
export interface ReviewInput {
  rating: number;
  body: string;
}

type ReviewsCache = InfiniteData<ReviewsPage, unknown>;

const reviewsKey = (courseId: string) => ["reviews", courseId] as const;
const ratingKey = (courseId: string) => ["rating", courseId] as const;
const ownReviewKey = (courseId: string) => ["review", "mine", courseId] as const;

function fetchReviews(courseId: string, cursor: string | undefined) {
  return call(api.courses[":id"].reviews.$get({ param: { id: courseId }, query: cursor ? { cursor } : {} }));
}

/** The course's reviews, newest first, starting from the page the server rendered. */
export function useReviews(courseId: string, firstPage: ReviewsPage) {
  return useInfiniteQuery({
    queryKey: reviewsKey(courseId),
    queryFn: ({ pageParam }) => fetchReviews(courseId, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    initialData: { pages: [firstPage], pageParams: [undefined] },
    staleTime: Infinity,
  });
}

/** The course's average and count; refetched past the HTTP cache after the learner's own review changes them. */
export function useRating(courseId: string, initial: RatingSummary) {
  return useQuery({
    queryKey: ratingKey(courseId),
    queryFn: async (): Promise<RatingSummary> => {
      const course = await call(
        api.courses[":idOrSlug"].$get({ param: { idOrSlug: courseId } }, { init: { cache: "no-cache" } }),
      );
      return { avgRating: course.avgRating, reviewsCount: course.reviewsCount };
    },
    initialData: initial,
    staleTime: Infinity,
  });
}

/** The signed-in learner's own review of the course (null before they write one): what the form edits. */
export function useOwnReview(courseId: string) {
  return useQuery({
    queryKey: ownReviewKey(courseId),
    queryFn: async (): Promise<Review | null> =>
      (await call(api.courses[":id"].reviews.mine.$get({ param: { id: courseId } }))).review,
    staleTime: Infinity,
  });
}

function withoutReview(cache: ReviewsCache | undefined, authorId: string): ReviewsCache | undefined {
  if (!cache) return cache;
  return {
    ...cache,
    pages: cache.pages.map((page) => ({ ...page, items: page.items.filter((item) => item.author.id !== authorId) })),
  };
}

function withReview(cache: ReviewsCache | undefined, review: Review): ReviewsCache | undefined {
  const pages = withoutReview(cache, review.author.id)?.pages;
  if (!cache || !pages) return cache;
  const [first, ...rest] = pages;
  return { ...cache, pages: first ? [{ ...first, items: [review, ...first.items] }, ...rest] : pages };
}

/** The summary with one rating replaced (`previous` → `rating`), added (no previous) or taken out (no rating). */
function withRating(summary: RatingSummary, previous: number | undefined, rating: number | undefined): RatingSummary {
  const total = summary.avgRating * summary.reviewsCount - (previous ?? 0) + (rating ?? 0);
  const reviewsCount = summary.reviewsCount + (previous === undefined ? 1 : 0) - (rating === undefined ? 1 : 0);
  return { reviewsCount, avgRating: reviewsCount <= 0 ? 0 : Math.round((total / reviewsCount) * 100) / 100 };
}

/** The learner's review as it stands: the own-review answer, else whatever a loaded page shows. */
function currentReview(
  reviews: ReviewsCache | undefined,
  own: Review | null | undefined,
  authorId: string,
): Review | undefined {
  return own ?? reviews?.pages.flatMap((page) => page.items).find((item) => item.author.id === authorId);
}

/**
 * Publishes (or replaces) the learner's review: it shows at the top of the
 * list and in the average at once; if the server refuses, both go back and
 * the error stays on the mutation for the form to show.
 */
export function usePutReview(courseId: string, author: { id: string; name: string }) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ReviewInput) =>
      call(api.courses[":id"].reviews.mine.$put({ param: { id: courseId }, json: input })),
    onMutate: async (input) => {
      await queryClient.cancelQueries({ queryKey: reviewsKey(courseId) });
      const reviews = queryClient.getQueryData<ReviewsCache>(reviewsKey(courseId));
      const rating = queryClient.getQueryData<RatingSummary>(ratingKey(courseId));
      const own = queryClient.getQueryData<Review | null>(ownReviewKey(courseId));
      const previous = currentReview(reviews, own, author.id);
      const now = new Date().toISOString();
      const optimistic: Review = {
        id: previous?.id ?? `pending-${now}`,
        rating: input.rating,
        body: input.body,
        author,
        createdAt: previous?.createdAt ?? now,
        updatedAt: now,
      };
      queryClient.setQueryData<ReviewsCache>(reviewsKey(courseId), (cache) => withReview(cache, optimistic));
      if (rating) queryClient.setQueryData(ratingKey(courseId), withRating(rating, previous?.rating, input.rating));
      return { reviews, rating };
    },
    onError: (_error, _input, context) => {
      queryClient.setQueryData(reviewsKey(courseId), context?.reviews);
      queryClient.setQueryData(ratingKey(courseId), context?.rating);
    },
    onSuccess: (saved) => {
      queryClient.setQueryData<ReviewsCache>(reviewsKey(courseId), (cache) => withReview(cache, saved));
      queryClient.setQueryData<Review | null>(ownReviewKey(courseId), saved);
      void queryClient.invalidateQueries({ queryKey: ratingKey(courseId) });
    },
  });
}

/** Deletes the learner's review: gone from the list and the average at once, back if the server refuses. */
export function useDeleteReview(courseId: string, author: { id: string }) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => call(api.courses[":id"].reviews.mine.$delete({ param: { id: courseId } })),
    onMutate: async () => {
      await queryClient.cancelQueries({ queryKey: reviewsKey(courseId) });
      const reviews = queryClient.getQueryData<ReviewsCache>(reviewsKey(courseId));
      const rating = queryClient.getQueryData<RatingSummary>(ratingKey(courseId));
      const previous = currentReview(reviews, queryClient.getQueryData(ownReviewKey(courseId)), author.id);
      queryClient.setQueryData<ReviewsCache>(reviewsKey(courseId), (cache) => withoutReview(cache, author.id));
      if (rating && previous) {
        queryClient.setQueryData(ratingKey(courseId), withRating(rating, previous.rating, undefined));
      }
      return { reviews, rating };
    },
    onError: (_error, _input, context) => {
      queryClient.setQueryData(reviewsKey(courseId), context?.reviews);
      queryClient.setQueryData(ratingKey(courseId), context?.rating);
    },
    onSuccess: () => {
      queryClient.setQueryData<Review | null>(ownReviewKey(courseId), null);
      void queryClient.invalidateQueries({ queryKey: ratingKey(courseId) });
    },
  });
}
