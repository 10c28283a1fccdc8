import { t } from "../../i18n/en.ts";
import { errorMessage, QueryError, withIslandShell } from "../lib/query.tsx";
import { SignedIn } from "../lib/SignedIn.tsx";
import { NotificationList } from "./NotificationList.tsx";
import { unreadCountOf, useMarkRead, useNotifications } from "./queries.ts";

function AllNotifications() {
  const notifications = useNotifications(true);
  const markRead = useMarkRead();
  const unread = unreadCountOf(notifications.data);
  if (notifications.isError && !notifications.data) {
    return <QueryError error={notifications.error} onRetry={() => notifications.refetch()} />;
  }
  return (
    <>
      <div class="panel-head">
        <p aria-live="polite">{t("notifications.unread", { count: unread })}</p>
        {unread > 0 && (
          <button type="button" class="button small secondary" onClick={() => markRead.mutate(undefined)}>
            {t("notifications.markAllRead")}
          </button>
        )}
      </div>
      {markRead.isError && (
        <p class="alert error" role="alert">{t("notifications.failed", { message: errorMessage(markRead.error) })}</p>
      )}
      <NotificationList
        items={notifications.data?.pages.flatMap((page) => page.items) ?? []}
        loading={notifications.isPending}
        onOpen={(item) => (item.readAt === null ? markRead.mutateAsync(item.id) : undefined)}
      />
      {notifications.hasNextPage && (
        <button
          type="button"
          class="button secondary"
          onClick={() => notifications.fetchNextPage()}
          disabled={notifications.isFetchingNextPage}
        >
          {t("notifications.loadMore")}
        </button>
      )}
    </>
  );
}

function NotificationsPage() {
  return <SignedIn>{() => <AllNotifications />}</SignedIn>;
}

export default withIslandShell(NotificationsPage);
