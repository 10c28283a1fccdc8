import { t } from "../../i18n/en.ts";
import { formatDate } from "../../i18n/format.ts";
import { Skeleton } from "../lib/query.tsx";
import type { NotificationItem } from "./queries.ts";

interface Props {
  items: NotificationItem[];
  loading: boolean;
  /** Marks the item read; a link waits for it, so leaving the page does not cancel the request. */
  onOpen: (item: NotificationItem) => Promise<unknown> | unknown;
  compact?: boolean;
}

export function NotificationList({ items, loading, onOpen, compact = false }: Props) {
  if (loading) return <Skeleton lines={compact ? 2 : 4} height="2.5rem" label={t("common.loading")} />;
  if (items.length === 0) return <p class="muted">{t("notifications.empty")}</p>;

  const follow = async (event: MouseEvent, item: NotificationItem) => {
    if (!item.link || event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    await Promise.resolve(onOpen(item)).catch(() => undefined);
    location.assign(item.link);
  };

  return (
    <ul class={compact ? "notification-list compact" : "notification-list"}>
      {items.map((item) => (
        <li key={item.id} class={item.readAt === null ? "unread" : undefined}>
          <div class="notification-text">
            {item.readAt === null && <span class="badge">{t("notifications.new")}</span>} {item.link
              ? <a href={item.link} onClick={(event) => follow(event, item)}>{item.title}</a>
              : <strong>{item.title}</strong>}
            {!compact && <p>{item.body}</p>}
            <time class="muted" dateTime={item.createdAt}>{formatDate(item.createdAt)}</time>
          </div>
          {!compact && item.readAt === null && (
            <button
              type="button"
              class="button small secondary"
              onClick={() => onOpen(item)}
            >
              {t("notifications.markRead")}
              <span class="visually-hidden">: {item.title}</span>
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}
