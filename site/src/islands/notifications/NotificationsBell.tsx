import { t } from "../../i18n/en.ts";
import { useDisclosure } from "../lib/disclosure.ts";
import { errorMessage } from "../lib/query.tsx";
import { NotificationList } from "./NotificationList.tsx";
import { unreadCountOf, useMarkRead, useNotifications } from "./queries.ts";

const SHOWN_IN_DROPDOWN = 5;

/** The header's bell: the unread count at a glance, the latest notifications one click away. */
export function NotificationsBell() {
  const notifications = useNotifications(true);
  const markRead = useMarkRead();
  const disclosure = useDisclosure();
  const unread = unreadCountOf(notifications.data);
  const latest = notifications.data?.pages[0]?.items.slice(0, SHOWN_IN_DROPDOWN) ?? [];
  const label = unread > 0 ? t("notifications.unread", { count: unread }) : t("nav.notifications");

  return (
    <div class="bell" ref={disclosure.containerRef}>
      <button {...disclosure.buttonProps} class="bell-button" aria-label={label} aria-controls="notifications-panel">
        <svg aria-hidden="true" viewBox="0 0 24 24" width="22" height="22">
          <path
            fill="currentColor"
            d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z"
          />
        </svg>
        {unread > 0 && <span class="count" aria-hidden="true">{unread > 99 ? "99+" : unread}</span>}
      </button>
      {disclosure.open && (
        <div id="notifications-panel" class="panel" role="region" aria-label={t("nav.notifications")}>
          <div class="panel-head">
            <strong>{t("notifications.title")}</strong>
            {unread > 0 && (
              <button type="button" class="link-button" onClick={() => markRead.mutate(undefined)}>
                {t("notifications.markAllRead")}
              </button>
            )}
          </div>
          {markRead.isError && (
            <p class="alert error" role="alert">
              {t("notifications.failed", { message: errorMessage(markRead.error) })}
            </p>
          )}
          <NotificationList
            items={latest}
            loading={notifications.isPending}
            onOpen={(item) => item.readAt === null ? markRead.mutateAsync(item.id) : undefined}
            compact
          />
          <a class="see-all" href="/notifications">{t("notifications.seeAll")}</a>
        </div>
      )}
    </div>
  );
}
