import { type InfiniteData, useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/preact-query";
import { api, call } from "../lib/api.ts";

export type NotificationsPage = Awaited<ReturnType<typeof fetchNotifications>>;
export type NotificationItem = NotificationsPage["items"][number];

const NOTIFICATIONS_KEY = ["notifications"] as const;
const PAGE_SIZE = "10";
/** How often the bell looks for news while the page stays open. */
const POLL_MS = 60_000;

function fetchNotifications(cursor: string | undefined) {
  return call(api.notifications.$get({ query: cursor ? { cursor, limit: PAGE_SIZE } : { limit: PAGE_SIZE } }));
}

/** The signed-in user's notifications, newest first, shared by the bell and the notifications page. */
export function useNotifications(enabled: boolean) {
  return useInfiniteQuery({
    queryKey: NOTIFICATIONS_KEY,
    queryFn: ({ pageParam }) => fetchNotifications(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
    refetchInterval: POLL_MS,
  });
}

type Cache = InfiniteData<NotificationsPage, unknown>;

function markInCache(cache: Cache | undefined, isTarget: (item: NotificationItem) => boolean): Cache | undefined {
  if (!cache) return cache;
  const readAt = new Date().toISOString();
  let newlyRead = 0;
  const pages = cache.pages.map((page) => ({
    ...page,
    items: page.items.map((item) => {
      if (item.readAt !== null || !isTarget(item)) return item;
      newlyRead++;
      return { ...item, readAt };
    }),
  }));
  return {
    ...cache,
    pages: pages.map((page) => ({ ...page, unreadCount: Math.max(0, page.unreadCount - newlyRead) })),
  };
}

/**
 * Marks one notification (an id) or all (no id) as read: the list and the
 * unread count change at once, and go back as they were if the server refuses.
 */
export function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string | undefined) =>
      call(id ? api.notifications[":id"].read.$post({ param: { id } }) : api.notifications["read-all"].$post()),
    onMutate: async (id) => {
      await queryClient.cancelQueries({ queryKey: NOTIFICATIONS_KEY });
      const before = queryClient.getQueryData<Cache>(NOTIFICATIONS_KEY);
      queryClient.setQueryData<Cache>(
        NOTIFICATIONS_KEY,
        (cache) => markInCache(cache, (item) => id === undefined || item.id === id),
      );
      return { before };
    },
    onError: (_error, _id, context) => {
      queryClient.setQueryData(NOTIFICATIONS_KEY, context?.before);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: NOTIFICATIONS_KEY }),
  });
}

export function unreadCountOf(data: { pages: NotificationsPage[] } | undefined): number {
  return data?.pages[0]?.unreadCount ?? 0;
}
